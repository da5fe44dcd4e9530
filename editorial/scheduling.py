"""What is scheduled to go live, and whether the scheduler is keeping up."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from wagtail.models import Page, Revision

from editorial.models import SchedulerRun

#: The scheduler runs every minute; this long without a run while something waits is a fault.
SCHEDULER_GRACE = timedelta(minutes=10)


@dataclass
class SchedulerStatus:
    last_run: SchedulerRun | None
    overdue: list[Revision]

    @property
    def stalled(self) -> bool:
        """Something is past its go-live time and the scheduler has not run for a while."""
        if not self.overdue:
            return False
        if self.last_run is None:
            return True
        return self.last_run.started_at < timezone.now() - SCHEDULER_GRACE


def scheduled_revisions(limit: int | None = None):
    """Approved page revisions waiting for their go-live time, soonest first."""
    revisions = (
        Revision.page_revisions.filter(approved_go_live_at__isnull=False)
        .select_related("user")
        .order_by("approved_go_live_at")
    )
    return revisions[:limit] if limit else revisions


def scheduler_status(now: datetime | None = None) -> SchedulerStatus:
    now = now or timezone.now()
    overdue = list(scheduled_revisions().filter(approved_go_live_at__lte=now)[:20])
    return SchedulerStatus(last_run=SchedulerRun.objects.first(), overdue=overdue)


def pages_for(revisions) -> dict[int, Page]:
    """The specific pages of these revisions, in one query per page type."""
    ids = {int(revision.object_id) for revision in revisions}
    return {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
