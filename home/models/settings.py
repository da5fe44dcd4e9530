"""Site settings: contacts, the network's published figures, the pre-election period."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField

from caching.versions import DEFAULT_SECONDS, remember

from ..blocks import SOCIAL_PLATFORMS, SocialLinkBlock


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contacts, social links, press boilerplate and the network's published figures."""

    organisation_name = models.CharField(
        max_length=200, default="Co-operative Councils' Innovation Network"
    )
    short_name = models.CharField(max_length=20, default="CCIN")
    contact_email = models.EmailField(default="info@councils.coop")
    press_office_name = models.CharField(
        max_length=200, default="CCIN Press Office", help_text="Shown on every press release."
    )
    press_office_email = models.EmailField(default="press@councils.coop")
    press_office_phone = models.CharField(max_length=40, blank=True)
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)
    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the footer of every page.",
    )
    about_boilerplate = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        verbose_name="About CCIN boilerplate",
        help_text='The "About CCIN" note to editors under each press release.',
    )

    full_members = models.PositiveIntegerField(default=44)
    associate_members = models.PositiveIntegerField(default=28)
    affiliates = models.PositiveIntegerField(default=45)
    supporters = models.PositiveIntegerField(default=23)
    citizens_served = models.PositiveBigIntegerField(
        default=12_270_000, help_text="People living in full member areas, e.g. 12270000."
    )
    combined_budget = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("20.94"),
        verbose_name="combined budget (£bn)",
        help_text="Members' combined annual budget in billions of pounds, e.g. 20.94.",
    )
    figures_as_of = models.DateField(
        null=True, blank=True, help_text="When the network published these figures."
    )

    pre_election_start = models.DateTimeField(
        "pre-election period starts",
        null=True,
        blank=True,
        help_text="The start of the pre-election period (\u201cpurdah\u201d) before local "
        "elections. While it runs, public pages show a notice and politically sensitive "
        "pages need a second moderator's approval.",
    )
    pre_election_end = models.DateTimeField(
        "pre-election period ends",
        null=True,
        blank=True,
        help_text="Usually the close of polls on election day.",
    )
    pre_election_notice = models.TextField(
        blank=True,
        default="We are in the pre-election period before local elections. Until polling "
        "day we are not publishing new material that could be seen as seeking to influence "
        "voters; our existing pages remain available.",
        help_text="Shown at the top of every public page during the pre-election period.",
    )

    contact_panels = [
        FieldRowPanel([FieldPanel("organisation_name"), FieldPanel("short_name")]),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [
                FieldPanel("press_office_name"),
                FieldRowPanel([FieldPanel("press_office_email"), FieldPanel("press_office_phone")]),
            ],
            heading="Press office",
        ),
        FieldPanel("social_links"),
        FieldPanel("accessibility_statement"),
        FieldPanel("about_boilerplate"),
    ]
    figures_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("full_members"),
                        FieldPanel("associate_members"),
                        FieldPanel("affiliates"),
                        FieldPanel("supporters"),
                    ]
                ),
                FieldRowPanel([FieldPanel("citizens_served"), FieldPanel("combined_budget")]),
                FieldPanel("figures_as_of"),
            ],
            heading="Network figures, as the network publishes them",
            help_text="Affiliates can be individuals, so these are entered here rather than "
            "counted from the member directory.",
        )
    ]
    pre_election_panels = [
        FieldRowPanel([FieldPanel("pre_election_start"), FieldPanel("pre_election_end")]),
        FieldPanel("pre_election_notice"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(contact_panels, heading="Contacts and footer"),
            ObjectList(figures_panels, heading="Network figures"),
            ObjectList(pre_election_panels, heading="Pre-election period"),
        ]
    )

    class Meta:
        verbose_name = "site settings"

    @classmethod
    def base_queryset(cls):
        # The footer links the accessibility statement on every page.
        return super().base_queryset().select_related("accessibility_statement")

    @classmethod
    def for_site(cls, site):
        """The settings, from the cache until any content (these settings included) changes."""
        if site is None:
            return super().for_site(site)
        return remember(f"site-settings:{site.pk}", lambda: super(SiteSettings, cls).for_site(site))

    def clean(self):
        super().clean()
        if (
            self.pre_election_start
            and self.pre_election_end
            and self.pre_election_end <= self.pre_election_start
        ):
            raise ValidationError({"pre_election_end": "The period must end after it starts."})

    def in_pre_election_period(self, at: datetime | None = None) -> bool:
        """Whether the pre-election period is running at the given time (default: now)."""
        if not (self.pre_election_start and self.pre_election_end):
            return False
        at = at or timezone.now()
        return self.pre_election_start <= at < self.pre_election_end

    @property
    def pre_election_active(self) -> bool:
        return self.in_pre_election_period()

    @property
    def total_members(self) -> int:
        return self.full_members + self.associate_members + self.affiliates + self.supporters

    @property
    def citizens_display(self) -> str:
        """12270000 → "12.27m"."""
        return f"{self.citizens_served / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"

    @property
    def budget_display(self) -> str:
        """Decimal("20.94") → "£20.94bn"."""
        return f"£{self.combined_budget.normalize():f}bn"

    @cached_property
    def social_link_list(self) -> list[dict]:
        """[{"label": "LinkedIn", "url": …}, …] for the footer."""
        labels = dict(SOCIAL_PLATFORMS)
        return [
            {
                "label": labels.get(block.value["platform"], block.value["platform"]),
                "url": block.value["url"],
            }
            for block in self.social_links
        ]


def seconds_until_notice_changes(request: HttpRequest) -> int:
    """Seconds until the pre-election notice (on every page) appears or goes, if soon.

    The notice turns on and off by the clock, not by a save, so a page cached before the
    period starts must expire when it does.
    """
    try:
        site_settings = SiteSettings.for_request(request)  # already loaded by the page
    except Exception:  # no site for this host: nothing time-dependent on the page
        return DEFAULT_SECONDS
    now = timezone.now()
    upcoming = [
        moment
        for moment in (site_settings.pre_election_start, site_settings.pre_election_end)
        if moment and moment > now
    ]
    if not upcoming:
        return DEFAULT_SECONDS
    return max(1, int((min(upcoming) - now).total_seconds()))
