"""Snippets: member councils, their commitments, the network's principles, DPS suppliers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import LockableMixin, Orderable, RevisionMixin
from wagtail.search import index


class Tier(models.TextChoices):
    FULL = "full", "Full member"
    ASSOCIATE = "associate", "Associate member"
    AFFILIATE = "affiliate", "Affiliate"
    SUPPORTER = "supporter", "Supporter"


# Affiliates can be individuals, so only these tiers are listed publicly.
LISTED_TIERS = (Tier.FULL, Tier.ASSOCIATE)


class MemberKind(models.TextChoices):
    COUNCIL = "council", "Council"
    COMBINED_AUTHORITY = "combined-authority", "Combined authority"
    ORGANISATION = "organisation", "Organisation"


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


# Words left out of a member's monogram: "Royal Borough of Greenwich" → "RBG", "Tameside
# Borough Council" → "TB" (every member is a council, so "C" would say nothing).
MONOGRAM_SKIP = {"of", "the", "and", "council"}

gss_code_validator = RegexValidator(
    r"^[ENSW]\d{8}$",
    "A GSS code is a letter (E, N, S or W) and eight digits, e.g. E08000025.",
)


class Commitment(Orderable, models.Model):
    """One of "What councils can do": a step towards co-operative values in practice."""

    title = models.CharField(
        max_length=160,
        unique=True,
        help_text='As the public sees it, e.g. "Pays the Real Living Wage".',
    )
    slug = models.SlugField(max_length=160, unique=True, help_text="Used in filter addresses.")

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("slug")])]

    class Meta(Orderable.Meta):
        verbose_name = "commitment"

    def __str__(self) -> str:
        return self.title


class MemberCouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def listed(self):
        """Members shown publicly: active full and associate members."""
        return self.active().filter(tier__in=LISTED_TIERS)


@dataclass
class LinkedRecords:
    """Records that point at a member and would lose that link if it were deleted."""

    label: str
    objects: list = field(default_factory=list)


class MemberCouncil(LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
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
        max_length=100,
        blank=True,
        help_text='In plain words, e.g. "Labour majority" or "Green and Labour coalition".',
    )
    political_control_as_of = models.DateField(
        "political control as at",
        null=True,
        blank=True,
        help_text="The date the political control describes; the profile says so. Change it "
        "whenever you change the control.",
    )
    joined_year = models.PositiveSmallIntegerField(null=True, blank=True)
    profile = RichTextField(
        blank=True, features=["bold", "italic", "link", "ul"], help_text="A short public profile."
    )
    active = models.BooleanField(
        default=True, help_text="Untick when a member leaves; its history stays on the site."
    )
    commitments = ParentalManyToManyField(
        Commitment,
        blank=True,
        related_name="members",
        help_text="Tick what this council has done. Only tick what the council has confirmed.",
    )
    champion_member = models.CharField(
        "co-operative champion (councillor)",
        max_length=200,
        blank=True,
        help_text='The councillor named as co-operative champion, e.g. "Cllr Jane Smith".',
    )
    champion_officer = models.CharField(
        "co-operative champion (officer)",
        max_length=200,
        blank=True,
        help_text="The officer named as co-operative champion, with their job title.",
    )

    objects = MemberCouncilQuerySet.as_manager()

    details_panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("tier"), FieldPanel("kind"), FieldPanel("active")]),
        FieldRowPanel([FieldPanel("nation"), FieldPanel("region"), FieldPanel("gss_code")]),
        FieldPanel("website"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("population"), FieldPanel("annual_budget")]),
                FieldRowPanel(
                    [FieldPanel("political_control"), FieldPanel("political_control_as_of")]
                ),
                FieldPanel("joined_year"),
            ],
            heading="Facts",
        ),
        FieldPanel("profile"),
    ]
    commitments_panels = [
        FieldPanel("commitments", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("champion_member"), FieldPanel("champion_officer")],
            heading="Co-operative champion",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(details_panels, heading="Details"),
            ObjectList(commitments_panels, heading="Commitments"),
        ]
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("region"),
        index.SearchField("political_control"),
        index.FilterField("tier"),
        index.FilterField("nation"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "member council"

    def __str__(self) -> str:
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.tier in LISTED_TIERS

    @property
    def website_display(self) -> str:
        """The website as people say it: "https://www.wigan.gov.uk/" → "wigan.gov.uk"."""
        text = re.sub(r"^https?://", "", self.website)
        return text.removeprefix("www.").rstrip("/")

    @property
    def monogram(self) -> str:
        """Initials for where there is no logo: "Greater Manchester Combined Authority" → "GMCA"."""
        words = re.findall(r"[A-Za-z]+", self.name)
        initials = [word[0].upper() for word in words if word.lower() not in MONOGRAM_SKIP]
        return "".join(initials[:4]) or self.name[:1].upper()

    @property
    def has_champion(self) -> bool:
        return bool(self.champion_member or self.champion_officer)

    def linked_records(self) -> list[LinkedRecords]:
        """Pages and records that point at this member and would lose the link on deletion.

        Covers every reverse relation, including ones added later by other apps (case
        studies' lead and participating councils): ForeignKeys that protect this member
        and many-to-many links, which Django would otherwise drop without a word.
        """
        found = []
        for relation in self._meta.related_objects:
            if relation.related_model is MemberCouncil.commitments.through:
                continue
            if relation.many_to_many:
                # The reverse side of a (Parental)ManyToManyField on another model.
                query = {relation.field.name: self}
            elif relation.on_delete in (models.PROTECT, models.RESTRICT):
                query = {relation.field.name: self}
            else:
                continue
            related = relation.related_model
            objects = list(related._default_manager.filter(**query).distinct()[:50])
            if objects:
                label = (
                    f"{related._meta.verbose_name_plural.capitalize()} "
                    f"({relation.field.verbose_name})"
                )
                found.append(LinkedRecords(label=label, objects=objects))
        return found


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


class DPSSupplierSpecialism(TaggedItemBase):
    content_object = ParentalKey(
        "membership.DPSSupplier", on_delete=models.CASCADE, related_name="tagged_specialisms"
    )


class DPSSupplierQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class DPSSupplier(LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A supplier councils can hire through the network's Dynamic Purchasing System."""

    name = models.CharField(max_length=200, unique=True, help_text='e.g. "RedQuadrant".')
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in web addresses.")
    website = models.URLField(blank=True, help_text="The supplier's own website.")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The supplier's logo; its title is used as alt text.",
    )
    summary = models.TextField(
        blank=True,
        max_length=600,
        help_text="One or two plain sentences on what the supplier offers councils.",
    )
    specialisms = ClusterTaggableManager(
        through=DPSSupplierSpecialism,
        blank=True,
        help_text='Short tags, e.g. "procurement", "co-production", "evaluation".',
    )
    framework_start = models.PositiveSmallIntegerField(
        default=2020, help_text="The year the supplier's place on the DPS began."
    )
    framework_end = models.PositiveSmallIntegerField(
        default=2029, help_text="The year the DPS contract ends."
    )
    active = models.BooleanField(
        default=True, help_text="Untick when the supplier leaves the DPS; it is then not listed."
    )

    objects = DPSSupplierQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("summary"),
        FieldPanel("specialisms"),
        FieldRowPanel(
            [FieldPanel("framework_start"), FieldPanel("framework_end"), FieldPanel("active")],
            heading="Framework period",
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.RelatedFields("specialisms", [index.SearchField("name")]),
        index.FilterField("active"),
    ]

    class Meta:
        # Case-insensitive, so "branding.coop" sits among the Bs on every database.
        ordering = [Lower("name")]
        verbose_name = "DPS supplier"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.framework_end < self.framework_start:
            raise ValidationError({"framework_end": "The end year must not be before the start."})

    @property
    def framework_period(self) -> str:
        return f"{self.framework_start}–{self.framework_end}"
