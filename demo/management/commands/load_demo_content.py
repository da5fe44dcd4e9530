"""Build the demo site from the seed presentation, idempotently.

Each part of the site has a module in ``demo/`` with
``load(stdout, *, volume=0) -> None``, ``volume`` being how many times the benchmark volume
of generated content to add (0: none; ``--volume`` is 1, ``--volume-scale N`` makes it N);
they run in ``PARTS`` order because later parts link to earlier parts' records (case studies
to member councils).
"""

import logging
import math

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo import casestudies, images, membership, news, newsletter, shell

PARTS = [shell, membership, news, newsletter, casestudies]


class Command(BaseCommand):
    help = "Load the demo content built from shared/seed (safe to run more than once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--volume",
            action="store_true",
            help="Also add generated content at the network's real size (for benchmarks).",
        )
        parser.add_argument(
            "--volume-scale",
            type=float,
            default=1,
            metavar="N",
            help="With --volume: N times that generated content (e.g. 10; default 1).",
        )

    def handle(self, *args, volume: bool = False, volume_scale: float = 1, **options):
        if not (math.isfinite(volume_scale) and volume_scale > 0):
            raise CommandError("--volume-scale must be a positive number.")
        if volume_scale != 1 and not volume:
            raise CommandError("--volume-scale needs --volume.")
        scale = volume_scale if volume else 0
        # Wagtail logs every page created and published; hundreds of lines hide the summary.
        wagtail_logger = logging.getLogger("wagtail")
        level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            for part in PARTS:
                with transaction.atomic():
                    part.load(self.stdout, volume=scale)
            with transaction.atomic():
                shell.finalise(self.stdout)
            with transaction.atomic():
                images.load(self.stdout)  # last: it illustrates pages every part made
        finally:
            wagtail_logger.setLevel(level)
        if volume and connection.vendor == "postgresql":
            # A bulk load leaves the planner's row estimates behind until autovacuum catches
            # up; with stale ones it nests loops over the search index (search went from
            # 5 ms to 110 ms). Refresh them now, as one would after any bulk import.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
