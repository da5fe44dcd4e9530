"""Enquiries sent through the join form on the membership page."""

from django.db import models

from .snippets import Tier


class JoinEnquiry(models.Model):
    """Someone asking to join the network; kept so staff can follow it up."""

    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, help_text="Their council or organisation.")
    role = models.CharField(max_length=200, blank=True, help_text="Their job title or role.")
    email = models.EmailField()
    tier = models.CharField(
        "tier of interest",
        max_length=20,
        choices=Tier.choices,
        help_text="The kind of membership they asked about.",
    )
    message = models.TextField(blank=True, max_length=4000)
    submitted_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(
        default=False, help_text="Tick once someone has replied to this enquiry."
    )
    notes = models.TextField(blank=True, help_text="Staff notes; never shown publicly.")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "join enquiry"
        verbose_name_plural = "join enquiries"

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}"
