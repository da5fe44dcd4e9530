"""Case studies sent in by people at member councils through the public form.

What the page will show is a draft ``CaseStudyPage``; who sent it (name, role, work e-mail,
phone) is kept here, apart from the page, so no page field, API field, feed or search index
can ever carry it. Only moderators may read these records (home/migrations: their group's
permissions; casestudies/migrations/0004_case_study_submissions.py).
"""

from __future__ import annotations

from django.db import models
from wagtail.snippets.models import register_snippet


class CaseStudySubmission(models.Model):
    """Who sent a case study in, and the draft page made from it; never shown publicly."""

    page = models.OneToOneField(
        "casestudies.CaseStudyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The draft case study made from this submission. Empty if it was deleted.",
    )
    title = models.CharField(
        max_length=255, help_text="The case study's title as it was sent, kept if the draft goes."
    )
    name = models.CharField(max_length=200, help_text="Who sent it.")
    role = models.CharField(max_length=200, help_text="Their job title or role.")
    council = models.ForeignKey(
        "membership.MemberCouncil",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member council they chose, if any.",
    )
    organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organisation they typed, when it is not a listed member council.",
    )
    email = models.EmailField(help_text="Their work e-mail address: for replies only.")
    phone = models.CharField(max_length=40, blank=True, help_text="Their phone number, if given.")
    consented_at = models.DateTimeField(
        help_text="When they agreed that the network may edit and publish what they sent."
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(
        default=False, help_text="Tick once the draft has been reviewed and the sender told."
    )
    notes = models.TextField(blank=True, help_text="Moderators' notes; never shown publicly.")

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "case study submission"
        verbose_name_plural = "case study submissions"

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"

    @property
    def sender_organisation(self) -> str:
        """The member council's name, else the organisation they typed."""
        return self.council.name if self.council_id else self.organisation


# The admin listing (moderators only, by permission). Named, not imported: the viewset's
# module is admin code, built once the admin is ready.
register_snippet(CaseStudySubmission, viewset="casestudies.submissions.CaseStudySubmissionViewSet")
