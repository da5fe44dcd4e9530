"""manage.py restore FOLDER: put a backup from manage.py backup back (replaces the database)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into the database (DATABASE_URL's) and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder written by manage.py backup.")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead (e.g. a scratch one for a restore drill).",
        )
        parser.add_argument("--no-media", action="store_true", help="Restore the database only.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask before replacing the database.",
        )

    def handle(self, *args, source: str, database_url=None, no_media=False, **options):
        if options["interactive"]:
            answer = input(f"This replaces the contents of the database with {source}. Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore(Path(source), database_url=database_url, media=not no_media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest['engine']} backup of {manifest['created']}."
            )
        )
