"""Members' Update, the network's newsletter to its members: the archive and its issues."""

from __future__ import annotations

from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from caching.versions import remember
from home.api_fields import body_api_fields
from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.feeds import feed_links
from home.hosts import absolute_url
from home.images import card_renditions
from home.listing import Choice, Filter, FilteredListingMixin, FilterSet, paginate
from home.listing_feeds import serve_feed
from home.models import BasePage, PoliticalFlagMixin
from home.structured_data import article, media_object

from ..newsletter_feeds import NEWSLETTER_NAME, MembersUpdateFeed

ISSUES_PER_PAGE = 12
# Sub-routes of the archive; an issue with one of these slugs would be unreachable.
RESERVED_SLUGS = frozenset({"feed"})

YEAR = Filter("year", "Year", "years", where=lambda year: Q(issue_date__year=year))
ISSUE_FILTERS = (YEAR,)


class MembersUpdateQuerySet(PageQuerySet):
    def newest_first(self) -> MembersUpdateQuerySet:
        return self.order_by("-issue_date", "-issue_number", "-pk")


class MembersUpdateIndexPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """/members-update/: every issue of the newsletter, newest first, by year, with feeds."""

    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="What the newsletter is and who it is for, shown above the issues.",
    )
    feed_description = models.CharField(
        max_length=250,
        blank=True,
        help_text="What feed readers show under the newsletter's name. Leave empty to use a "
        "sentence made from the site's name.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("feed_description")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.MembersUpdatePage"]
    max_count = 1

    class Meta:
        verbose_name = "Members' Update archive"

    def issues(self) -> MembersUpdateQuerySet:
        """Live, public issues of this archive, newest first."""
        return (
            MembersUpdatePage.objects.child_of(self)
            .exact_type(MembersUpdatePage)  # read from the type's index (publications.py)
            .live()
            .public()
            .newest_first()
        )

    def years(self) -> list[int]:
        """Years with at least one live issue, newest first (remembered until content changes)."""

        def read() -> list[int]:
            dates = self.issues().order_by().dates("issue_date", "year", order="DESC")
            return [day.year for day in dates]

        return remember(f"members-update:years:{self.pk}", read)

    def filters(self, request: HttpRequest) -> FilterSet:
        choices = {"year": [Choice(str(year), str(year), target=year) for year in self.years()]}
        return FilterSet(request.GET, ISSUE_FILTERS, choices, base_url=self.url)

    def listed(self, filters: FilterSet) -> MembersUpdateQuerySet:
        """The issues the filters keep, with what a card shows of each."""
        return (
            filters.narrow(self.issues())
            .defer_streamfields()
            .select_related("listing_image", "document")
            .prefetch_related(
                Prefetch(
                    "listing_image__renditions",
                    queryset=card_renditions(),
                    to_attr="prefetched_renditions",
                )
            )
        )

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        filters = self.filters(request)
        page_obj = paginate(self.listed(filters), ISSUES_PER_PAGE, request.GET.get("page"))
        issues = list(page_obj.object_list)
        page_feeds = self.feeds(filters)
        url = absolute_url(request, self.url or "/")
        context.update(
            filters=filters,
            active_filters=filters.active,
            page_obj=page_obj,
            paginator=page_obj.paginator,
            issues=issues,
            issues_by_year=[
                {"year": year, "issues": list(group)}
                for year, group in groupby(issues, key=lambda issue: issue.issue_date.year)
            ],
            query_string=filters.query_string,
            canonical_url=f"{url}?page={page_obj.number}" if page_obj.number > 1 else url,
            page_feeds=page_feeds,
            extra_feeds=page_feeds,
        )
        return context

    def feeds(self, filters: FilterSet | None = None) -> list[dict[str, str]]:
        """The feeds of the archive as shown (one year's, when filtered to one): for
        autodiscovery and the subscribe links."""
        query = filters.query_string if filters is not None else ""
        subject = NEWSLETTER_NAME
        if filters is not None and filters.labels:
            subject = f"{NEWSLETTER_NAME}, {', '.join(filters.labels)}"
        return feed_links(f"{self.url or ''}feed/{'?' + query if query else ''}", subject)

    @path("")
    def index_route(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)

    @path("feed/", name="feed")
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        return self.feed(request, "rss")

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        return self.feed(request, "atom")

    @path("feed/json/", name="json_feed")
    def json_feed(self, request: HttpRequest) -> HttpResponse:
        return self.feed(request, "json")

    def feed(self, request: HttpRequest, name: str) -> HttpResponse:
        """The issues in one format, of every year or the one ``?year=`` names; a year with
        no issue is a plain 404 saying so, not a feed of everything."""
        return serve_feed(MembersUpdateFeed, self, self.filters(request), name)(request)


class MembersUpdatePage(PoliticalFlagMixin, BasePage):
    """One issue of Members' Update: its date, what is in it and, if there is one, its PDF."""

    issue_date = models.DateField(
        help_text="The date the issue went out to members. The archive lists issues by it, "
        "newest first, and groups them by its year."
    )
    issue_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The issue's number, if the newsletter numbers its issues. Leave empty if not.",
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="The issue itself: a heading for each item, its text, images and links.",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The issue as members received it, usually a PDF. Optional: its type and "
        "size are shown on the download link.",
    )

    objects = PageManager.from_queryset(MembersUpdateQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("issue_number")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("document"),
    ]
    promote_panels = [
        *BasePage.promote_panels[:1],
        FieldPanel("listing_image", heading="Listing and sharing image"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("issue_date"),
    ]
    api_fields = [
        *BasePage.api_fields,
        APIField("issue_date"),
        APIField("issue_number"),
        APIField("document"),
        *body_api_fields("body"),
    ]

    route_select_related = ("listing_image", "document")
    parent_page_types = ["news.MembersUpdateIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Members' Update issue"

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by the archive itself; choose another slug."}
            )

    @property
    def issue_label(self) -> str:
        """ "March 2026", or "Issue 12 · March 2026" for a numbered issue."""
        month = date_format(self.issue_date, "F Y") if self.issue_date else ""
        if self.issue_number:
            return f"Issue {self.issue_number} · {month}" if month else f"Issue {self.issue_number}"
        return month

    @property
    def listing_meta(self) -> str:
        return self.issue_label or NEWSLETTER_NAME

    def get_structured_data_node(self, request: HttpRequest | None = None) -> dict:
        """schema.org Article, part of the Members' Update periodical, with its PDF."""
        parent = self.get_parent() if self.pk else None
        periodical = {"@type": "Periodical", "name": NEWSLETTER_NAME}
        if parent is not None:
            periodical["url"] = parent.get_full_url(request)
        return article(
            self,
            request,
            date_published=self.issue_date,
            isPartOf=periodical,
            associatedMedia=media_object(request, self.document),
            articleSection=NEWSLETTER_NAME,
        )
