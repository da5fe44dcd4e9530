"""Policy Labs and Policy Prototypes: member-led projects the network funds."""

from __future__ import annotations

import re
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.api_fields import CommaListField, body_api_fields
from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.listing import Choice, Filter, FilteredListingMixin, FilterSet
from home.listing_feeds import listing_feed_links, serve_feed
from home.lookups import first_live
from home.models import BasePage
from home.structured_data import article, organisations
from membership.api_fields import MemberRefListField
from membership.models import MemberCouncil, MemberDirectoryPage

from ..blocks import OutputsBlock
from ..listing_feeds import PolicyProjectFeed
from .publications import FEED_SLUG_TAKEN


class ProjectType(models.TextChoices):
    LAB = "lab", "Policy Lab"
    PROTOTYPE = "prototype", "Policy Prototype"


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"


# What the projects list shows of each (templates/casestudies/policy_labs_index_page.html).
PROJECT_LIST_FIELDS = ("title", "url_path", "summary", "status", "round", "project_type")

PROJECT_FILTERS = (
    Filter(
        "status",
        "Status",
        "projects",
        all_label="Active and completed",
        where=lambda status: Q(status=status),
    ),
)
PROJECT_CHOICES = {"status": [Choice(value, label) for value, label in ProjectStatus.choices]}

FUNDING_BANDS = {ProjectType.LAB: "£10,000–£20,000", ProjectType.PROTOTYPE: "up to £2,000"}

round_validator = RegexValidator(
    r"^\d{4}(/\d{1,2})?$", 'A year such as "2026", or a span such as "2024/5".'
)


def round_sort_key(round_label: str) -> tuple[int, int]:
    """ "2024/5" sorts after "2024" and before "2025"; newest first when reversed."""
    match = re.match(r"^(\d{4})(?:/(\d{1,2}))?$", round_label)
    if not match:
        return (0, 0)
    return (int(match.group(1)), 1 if match.group(2) else 0)


class PolicyLabsIndexPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """/policy-labs/: what Policy Labs and Prototypes are, and the funded projects by round."""

    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="What the programme is, shown above the projects.",
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="How the programme works: funding, who can apply, how to apply.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["casestudies.PolicyProjectPage"]
    max_count = 1

    class Meta:
        verbose_name = "policy labs index"

    def live_projects(self):
        """Live, public projects under this page, nothing loaded with them (the feeds)."""
        return (
            PolicyProjectPage.objects.child_of(self)
            .exact_type(PolicyProjectPage)  # read from the type's index (publications.py)
            .live()
            .public()
        )

    def projects(self):
        """Live projects with what the list shows: a whole page or council costs ten times
        the few fields the list reads."""
        return (
            self.live_projects()
            .only(*PROJECT_LIST_FIELDS)
            .prefetch_related(
                Prefetch("lead_councils", queryset=MemberCouncil.objects.only("name"))
            )
            .order_by("title")
        )

    def filters(self, request: HttpRequest) -> FilterSet:
        return FilterSet(request.GET, PROJECT_FILTERS, PROJECT_CHOICES, base_url=self.url)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        filters = self.filters(request)
        page_feeds = listing_feed_links(self, filters, "Policy Labs and Prototypes")
        context.update(
            filters=filters,
            active_filters=filters.active,
            status=filters["status"].value,
            rounds=by_round(filters.narrow(self.projects())),
            page_feeds=page_feeds,
        )
        return context

    @path("")
    def index_route(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)

    # /policy-labs/feed/, feed/atom/ and feed/json/, each taking ?status= as the list does.
    @path("feed/", name="feed")
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        return serve_feed(PolicyProjectFeed, self, self.filters(request), "rss")(request)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        return serve_feed(PolicyProjectFeed, self, self.filters(request), "atom")(request)

    @path("feed/json/", name="json_feed")
    def json_feed(self, request: HttpRequest) -> HttpResponse:
        return serve_feed(PolicyProjectFeed, self, self.filters(request), "json")(request)


def by_round(projects) -> list[dict]:
    """Projects grouped by round, newest first, then by type (Labs before Prototypes)."""
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for project in projects:
        grouped[project.round][project.project_type].append(project)
    return [
        {
            "label": label,
            "groups": [
                {"type": kind, "label": f"{kind.label}s", "projects": grouped[label][kind]}
                for kind in ProjectType
                if grouped[label][kind]
            ],
        }
        for label in sorted(grouped, key=round_sort_key, reverse=True)
    ]


class PolicyProjectPage(BasePage):
    """A funded Policy Lab or Policy Prototype."""

    project_type = models.CharField(
        "type",
        max_length=20,
        choices=ProjectType.choices,
        default=ProjectType.LAB,
        help_text="Policy Labs are larger collaborations (£10,000–£20,000 of funding); "
        "Policy Prototypes are smaller projects in one place (up to £2,000).",
    )
    round = models.CharField(
        max_length=10,
        validators=[round_validator],
        help_text='The funding round, e.g. "2026" or "2024/5". Projects are grouped by it.',
    )
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    lead_councils = ParentalManyToManyField(
        "membership.MemberCouncil",
        blank=True,
        related_name="policy_projects_led",
        help_text="The member council or councils leading the project.",
    )
    partner_councils = ParentalManyToManyField(
        "membership.MemberCouncil",
        blank=True,
        related_name="policy_projects_joined",
        help_text="Other member councils taking part.",
    )
    other_partners = models.CharField(
        max_length=400,
        blank=True,
        help_text="Partners that are not members, separated by commas.",
    )
    body = StreamField(
        BaseStreamBlock(), blank=True, help_text="What the project is doing and why."
    )
    outputs = StreamField(
        OutputsBlock(),
        blank=True,
        help_text="What the project has produced: documents, reports on this site, links.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("project_type"), FieldPanel("round"), FieldPanel("status")]),
        MultiFieldPanel(
            [
                FieldPanel("lead_councils", widget=forms.SelectMultiple),
                FieldPanel("partner_councils", widget=forms.SelectMultiple),
                FieldPanel("other_partners"),
            ],
            heading="Who is involved",
        ),
        FieldPanel("body"),
        FieldPanel("outputs"),
    ]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        FieldPanel("listing_image"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.RelatedFields("lead_councils", [index.SearchField("name")]),
    ]

    api_fields = [
        *BasePage.api_fields,
        APIField("project_type"),
        APIField("round"),
        APIField("status"),
        APIField("funding_band"),
        APIField("lead_councils", serializer=MemberRefListField()),
        APIField("partner_councils", serializer=MemberRefListField()),
        APIField("other_partners", serializer=CommaListField()),
        *body_api_fields("body"),
        APIField("outputs"),
    ]

    parent_page_types = ["casestudies.PolicyLabsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "policy project"

    def clean(self) -> None:
        super().clean()
        if self.slug == "feed":  # the projects' feeds are at /policy-labs/feed/
            raise ValidationError({"slug": FEED_SLUG_TAKEN})

    @property
    def funding_band(self) -> str:
        """What a project of this type is eligible for, as the programme states it."""
        return FUNDING_BANDS[self.project_type]

    def get_structured_data_node(self, request: HttpRequest | None = None) -> dict:
        """schema.org Article about the project, by its lead and partner councils."""
        # Loaded once here and reused by the page template, which lists the same records.
        prefetch_related_objects([self], "lead_councils", "partner_councils")

        councils = [*self.lead_councils.all(), *self.partner_councils.all()]
        names = [council.name for council in councils] + self.partner_list
        return article(
            self,
            request,
            authors=organisations(names),
            articleSection=self.get_project_type_display(),
        )

    def lead_profiles(self) -> list[tuple[MemberCouncil, str]]:
        """Each lead council with the address of its profile in the member directory, or ""
        for a council the directory does not list."""
        leads = list(self.lead_councils.all())
        listed = {council.pk for council in leads if council.active and council.is_listed}
        directory = first_live(MemberDirectoryPage) if listed else None
        return [
            (council, directory.member_url(council) if directory and council.pk in listed else "")
            for council in leads
        ]

    @property
    def lead_names(self) -> str:
        return ", ".join(council.name for council in self.lead_councils.all())

    @property
    def listing_meta(self) -> str:
        return " · ".join(
            part for part in (self.get_project_type_display(), self.round, self.lead_names) if part
        )

    @property
    def partner_list(self) -> list[str]:
        return [name.strip() for name in self.other_partners.split(",") if name.strip()]
