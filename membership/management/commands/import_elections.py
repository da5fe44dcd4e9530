"""manage.py import_elections PATH.csv --kind results|control|councillors"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.importers import KINDS, ImportFailed, import_csv


class Command(BaseCommand):
    help = (
        "Import election results, control changes or councillor changes from a CSV file in "
        "the layout of the published tables (opencouncildata). Every row is checked first; "
        "if any row is bad, nothing is imported. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument("--kind", required=True, choices=KINDS, help="Which table it is.")
        parser.add_argument(
            "--year", type=int, default=2026, help="Election year of a results file."
        )

    def handle(self, *args, path: Path, kind: str, year: int, **options):
        try:
            with path.open(newline="", encoding="utf-8-sig") as stream:
                report = import_csv(stream, kind, year=year)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text; save it as CSV UTF-8.") from error
        except ImportFailed as failure:
            for line in failure.errors:
                self.stderr.write(line)
            raise CommandError(str(failure)) from failure
        self.stdout.write(self.style.SUCCESS(f"{path.name}: {report}"))
        if report.unmatched_councils:
            names = ", ".join(sorted(report.unmatched_councils))
            self.stdout.write(f"Not member councils (kept by name only): {names}")
