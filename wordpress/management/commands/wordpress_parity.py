"""manage.py wordpress_parity EXPORT.xml [--base-url URL]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.parity import check
from wordpress.wxr import WXRError, parse


class Command(BaseCommand):
    help = (
        "Request every address a WordPress export names from this site: each must answer "
        "200 after at most one redirect. Lists those that do not, and compares counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path)
        parser.add_argument(
            "--base-url", default="", help="A running site to ask over HTTP (default: in-process)."
        )

    def handle(self, *args, **options):
        try:
            export = parse(options["export"].read_bytes())
        except (OSError, WXRError) as error:
            raise CommandError(str(error)) from None
        parity = check(export, options["base_url"])
        for line in parity.lines():
            self.stdout.write(line)
        if parity.resolved < len(parity.checked):
            raise CommandError(parity.summary())
