"""manage.py backup: the database (pg_dump -Fc or SQLite's backup API) and media, in one folder."""

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and media to a new folder (default: backups/ccin-<time>/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="Folder to create; by default backups/ccin-<UTC time>/ beside manage.py.",
        )

    def handle(self, *args, destination: str | None = None, **options):
        if destination is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            destination = f"backups/ccin-{stamp}"
        try:
            folder = backup(Path(destination))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        # The last line is the folder alone, for scripts (make backup prints it).
        self.stdout.write(str(folder))
