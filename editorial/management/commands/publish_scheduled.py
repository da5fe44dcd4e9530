"""Wagtail's `publish_scheduled`, recording each run so the admin can see the scheduler works.

Same name, so cron, the compose `scheduler` service and Wagtail's docs all keep working.
"""

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Page

from editorial.models import SchedulerRun


class Command(WagtailCommand):
    help = "Publish pages and snippets whose scheduled time has passed; record the run."

    def handle(self, *args, **options):
        run = SchedulerRun(started_at=timezone.now())
        if not options.get("dryrun"):
            run.save()
        live_before = Page.objects.live().count()
        try:
            super().handle(*args, **options)
        except Exception as error:
            run.message = repr(error)
            raise
        else:
            run.succeeded = True
            run.published = max(0, Page.objects.live().count() - live_before)
        finally:
            if run.pk:
                run.finished_at = timezone.now()
                run.save()
