"""manage.py import_wordpress EXPORT.xml [--uploads DIR_OR_ZIP] [--dry-run] [--publish]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import Importer
from wordpress.uploads import Uploads, UploadsError
from wordpress.wxr import WXRError, parse

MAX_BYTES = 100 * 2**20


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, from Tools → Export) with its wp-content/uploads: "
        "case studies, projects, publications, news, pages and files, with redirects from "
        "every old address. Re-running the same export changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The WXR file WordPress exported.")
        parser.add_argument(
            "--uploads", type=Path, help="The wp-content/uploads folder, or a zip of it."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish items that were public on the old site (otherwise all are drafts).",
        )
        parser.add_argument("--user", help="The username recorded as having imported.")

    def handle(self, *args, **options):
        path: Path = options["export"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path} is larger than the {MAX_BYTES // 2**20} MB limit.")
        try:
            export = parse(path.read_bytes())
        except WXRError as error:
            raise CommandError(str(error)) from None
        uploads = None
        if options["uploads"]:
            if not options["uploads"].exists():
                raise CommandError(f"{options['uploads']} does not exist.")
            try:
                uploads = Uploads.from_path(options["uploads"])
            except UploadsError as error:
                raise CommandError(str(error)) from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user called {options['user']!r}.")
        report = Importer(
            export,
            uploads,
            publish=options["publish"],
            user=user,
            dry_run=options["dry_run"],
        ).run_import()
        for line in report.lines()[:-1]:
            self.stdout.write(line)
        if report.failed:
            raise CommandError(report.failed)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed. Without --dry-run it would do this:")
        self.stdout.write(self.style.SUCCESS(report.summary()))
