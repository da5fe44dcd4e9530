"""The scheduler's run log and the pre-election approval task.

Both tables were created by ``home``'s migrations before this app existed; they keep their
``home`` app label (and so their tables, content types and migrations) rather than move.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Page, Site, TaskState

from home.models import SiteSettings


class SchedulerRun(models.Model):
    """One run of `publish_scheduled`, so the admin can tell when the scheduler has stopped."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)
    message = models.TextField(blank=True)

    class Meta:
        app_label = "home"
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"publish_scheduled at {self.started_at:%Y-%m-%d %H:%M}"


class PreElectionApprovalTask(AbstractGroupApprovalTask):
    """A second approval, needed only for politically sensitive pages in the pre-election period.

    Outside the period, or for other content, the task skips itself when it starts, so the
    workflow moves straight on and editors see no extra step.
    """

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        page = obj.specific if isinstance(obj, Page) else obj
        needed = getattr(page, "political", False) and self._in_period(page)
        if needed:
            return super().start(workflow_state, user=user)
        task_state = TaskState(
            workflow_state=workflow_state,
            task=self,
            revision=obj.get_latest_revision(),
            status=TaskState.STATUS_SKIPPED,
            finished_at=timezone.now(),
            comment="Not needed: not politically sensitive, or outside the pre-election period.",
        )
        task_state.save()
        return task_state

    def earlier_approvers(self, obj) -> set[int]:
        """Who approved an earlier task of the workflow this object is in now."""
        state = getattr(obj, "current_workflow_state", None)
        if state is None:
            return set()
        return set(
            state.task_states.filter(status=TaskState.STATUS_APPROVED)
            .exclude(task_id=self.pk)
            .exclude(finished_by=None)
            .values_list("finished_by_id", flat=True)
        )

    def get_actions(self, obj, user):
        """Four eyes: whoever gave the first approval cannot give the second (Wagtail's
        workflow view refuses an action that is not listed here)."""
        if user.pk in self.earlier_approvers(obj):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        approved_earlier = TaskState.objects.filter(
            workflow_state=OuterRef("workflow_state"),
            status=TaskState.STATUS_APPROVED,
            finished_by=user,
        ).exclude(task_id=self.pk)
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(Exists(approved_earlier))
        )

    @staticmethod
    def _in_period(page) -> bool:
        site = page.get_site() if isinstance(page, Page) else None
        site = site or Site.objects.filter(is_default_site=True).first()
        return site is not None and SiteSettings.for_site(site).in_pre_election_period()

    class Meta:
        app_label = "home"
        verbose_name = "pre-election approval task"
        verbose_name_plural = "pre-election approval tasks"
