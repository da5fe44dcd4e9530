"""Member councils and the network's principles: records other apps link to."""

from django.core.validators import RegexValidator
from django.db import models
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index


class Tier(models.TextChoices):
    FULL = "full", "Full member"
    ASSOCIATE = "associate", "Associate member"
    AFFILIATE = "affiliate", "Affiliate"
    SUPPORTER = "supporter", "Supporter"


class MemberKind(models.TextChoices):
    COUNCIL = "council", "Council"
    COMBINED_AUTHORITY = "combined-authority", "Combined authority"
    ORGANISATION = "organisation", "Organisation"


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


gss_code_validator = RegexValidator(
    r"^[ENSW]\d{8}$",
    "A GSS code is a letter (E, N, S or W) and eight digits, e.g. E08000025.",
)


class MemberCouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def listed(self):
        """Members shown publicly: active full and associate members."""
        return self.active().filter(tier__in=[Tier.FULL, Tier.ASSOCIATE])


class MemberCouncil(RevisionMixin, index.Indexed, ClusterableModel):
    """A member of the network: usually a council, sometimes a combined authority or body."""

    name = models.CharField(max_length=200, unique=True, help_text='e.g. "Kirklees Council".')
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the member's web address."
    )
    gss_code = models.CharField(
        "ONS GSS code",
        max_length=9,
        blank=True,
        validators=[gss_code_validator],
        help_text="The ONS code that links this member to public data, e.g. E08000034.",
    )
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.FULL)
    kind = models.CharField(max_length=30, choices=MemberKind.choices, default=MemberKind.COUNCIL)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    region = models.CharField(max_length=100, blank=True, help_text='e.g. "North West".')
    website = models.URLField(blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty if not known. Do not estimate."
    )
    annual_budget = models.DecimalField(
        "annual budget (£m)",
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="In millions of pounds. Leave empty if not known.",
    )
    political_control = models.CharField(
        max_length=100, blank=True, help_text='As the council describes it, e.g. "Labour (Maj)".'
    )
    joined_year = models.PositiveSmallIntegerField(null=True, blank=True)
    profile = RichTextField(
        blank=True, features=["bold", "italic", "link", "ul"], help_text="A short public profile."
    )
    active = models.BooleanField(
        default=True, help_text="Untick when a member leaves; its history stays on the site."
    )

    objects = MemberCouncilQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("tier"), FieldPanel("kind"), FieldPanel("active")]),
        FieldRowPanel([FieldPanel("nation"), FieldPanel("region"), FieldPanel("gss_code")]),
        FieldPanel("website"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("population"), FieldPanel("annual_budget")]),
                FieldRowPanel([FieldPanel("political_control"), FieldPanel("joined_year")]),
            ],
            heading="Facts",
        ),
        FieldPanel("profile"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("region"),
        index.FilterField("tier"),
        index.FilterField("nation"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "member council"

    def __str__(self) -> str:
        return self.name


class Principle(Orderable, index.Indexed, models.Model):
    """One of the network's nine principles; case studies say which they meet."""

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    icon = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A small square icon shown beside the principle's name.",
    )
    text = models.TextField(help_text="The principle's full statement.")

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("icon"),
        FieldPanel("text"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("text")]

    class Meta(Orderable.Meta):
        verbose_name = "principle"

    def __str__(self) -> str:
        return self.title
