"""The network's reports, each with its PDF as a Wagtail document."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.dates import MONTHS
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from caching.versions import remember
from home.api_fields import CommaListField, NameSlugListField, body_api_fields
from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.images import cover_renditions
from home.listing import Choice, Filter, FilteredListingMixin, FilterSet, paginate
from home.listing_feeds import listing_feed_links, serve_feed
from home.models import BasePage
from home.structured_data import article, media_object, organisations
from membership.api_fields import MemberRefListField

from ..listing_feeds import PublicationFeed
from .snippets import Theme

PUBLICATIONS_PER_PAGE = 12
# How a document that stands in for a report not online is titled, e.g. "Summary sheet: …".
SUMMARY_SHEET_TITLE = "summary sheet"
# The listing's feeds are at feed/ (listing_feeds.py): a report there could not be reached.
FEED_SLUG_TAKEN = "“feed” is the address of the list's feeds; choose another slug."


def _with_theme(pk: int) -> Q:
    tagged = PublicationPage.themes.through.objects.filter(theme_id=pk)
    return Q(pk__in=tagged.values("publicationpage_id"))


PUBLICATION_FILTERS = (
    Filter("year", "Year", "years", where=lambda year: Q(year=year)),
    Filter("theme", "Theme", "themes", where=_with_theme),
)


class PublicationIndexPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """/publications/: the network's reports, newest first, filterable by year and theme."""

    intro = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="A short paragraph above the list."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["casestudies.PublicationPage"]
    max_count = 1

    class Meta:
        verbose_name = "publication index"

    def publications(self):
        # exact_type: a condition SQLite answers from the content type index, so it reads
        # the publications; a path prefix (LIKE) alone makes it walk every page of the site.
        return PublicationPage.objects.child_of(self).exact_type(PublicationPage).live().public()

    def filter_choices(self) -> tuple[list[int], list]:
        """Years and themes of the published reports, so no choice leads to an empty list."""
        publications = self.publications()
        years = list(
            publications.exclude(year=None)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        themes = list(
            Theme.objects.filter(publications__in=publications.values("pk"))
            .distinct()
            .order_by("name")
        )
        return years, themes

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        filters = self.filters(request)
        page_obj = paginate(self.listed(filters), PUBLICATIONS_PER_PAGE, request.GET.get("page"))
        context.update(
            filters=filters,
            active_filters=filters.active,
            publications=page_obj.object_list,
            page_obj=page_obj,
            query_string=filters.query_string,
            page_feeds=listing_feed_links(self, filters, "Publications"),
        )
        return context

    @path("")
    def index_route(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)

    # /publications/feed/, feed/atom/ and feed/json/, each taking ?year= and ?theme= as the
    # list does.
    @path("feed/", name="feed")
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        return serve_feed(PublicationFeed, self, self.filters(request), "rss")(request)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        return serve_feed(PublicationFeed, self, self.filters(request), "atom")(request)

    @path("feed/json/", name="json_feed")
    def json_feed(self, request: HttpRequest) -> HttpResponse:
        return serve_feed(PublicationFeed, self, self.filters(request), "json")(request)

    def filters(self, request: HttpRequest) -> FilterSet:
        """The visitor's year and theme, among those of the published reports."""
        # The same for every visitor until content changes.
        years, themes = remember(f"publications:filters:{self.pk}", self.filter_choices)
        choices = {
            "year": [Choice(str(year), str(year), target=year) for year in years],
            "theme": [Choice(theme.slug, theme.name, target=theme.pk) for theme in themes],
        }
        return FilterSet(request.GET, PUBLICATION_FILTERS, choices, base_url=self.url)

    def listed(self, filters: FilterSet):
        """The reports the filters keep, newest first, with what the list shows of each."""
        return (
            filters.narrow(self.publications())
            .defer_streamfields()
            .select_related("cover_image", "document")
            .prefetch_related(
                "partner_councils",
                Prefetch("cover_image__renditions", queryset=cover_renditions()),
            )
            .order_by(F("year").desc(nulls_last=True), F("month").desc(nulls_last=True), "title")
        )


class PublicationPage(BasePage):
    """A report: who wrote it, when, a summary and the PDF to download."""

    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year the report was published. Leave empty if it is not known.",
    )
    month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=list(MONTHS.items()),
        help_text="The month, if known. Reports usually give only a month and year.",
    )
    partner_councils = ParentalManyToManyField(
        "membership.MemberCouncil",
        blank=True,
        related_name="publications",
        help_text="Member councils that wrote or commissioned the report.",
    )
    partner_organisations = models.CharField(
        max_length=400,
        blank=True,
        help_text='Other organisations, separated by commas, e.g. "Co-operative Futures".',
    )
    themes = ParentalManyToManyField(
        "casestudies.Theme",
        blank=True,
        related_name="publications",
        help_text="Visitors filter publications by theme.",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The report's cover, portrait. Shown beside the download link.",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The report itself, usually a PDF. Its size and type are shown on the link.",
    )
    body = StreamField(
        BaseStreamBlock(), blank=True, help_text="Key findings or an introduction to the report."
    )
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("month")]),
        FieldPanel("document"),
        MultiFieldPanel(
            [
                FieldPanel("partner_councils", widget=forms.SelectMultiple),
                FieldPanel("partner_organisations"),
            ],
            heading="Who wrote it",
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        FieldPanel("listing_image"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("partner_organisations"),
        # A report is often known by its PDF's name ("…final report.pdf").
        index.RelatedFields("document", [index.SearchField("title")]),
        index.FilterField("year"),
    ]

    api_fields = [
        *BasePage.api_fields,
        APIField("year"),
        APIField("month"),
        APIField("date_display"),
        APIField("partner_councils", serializer=MemberRefListField()),
        APIField("partner_organisations", serializer=CommaListField()),
        APIField("themes", serializer=NameSlugListField()),
        APIField("cover_image", serializer=ImageRenditionField("max-600x850")),
        APIField("document"),
        *body_api_fields("body"),
    ]

    parent_page_types = ["casestudies.PublicationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "publication"

    @property
    def organisation_list(self) -> list[str]:
        return [name.strip() for name in self.partner_organisations.split(",") if name.strip()]

    @property
    def has_summary_sheet(self) -> bool:
        """The document is a summary sheet, not the report: its title starts "Summary sheet".

        The page then says so, and how to request the full report."""
        return self.document is not None and self.document.title.lower().startswith(
            SUMMARY_SHEET_TITLE
        )

    def clean(self) -> None:
        super().clean()
        if self.slug == "feed":
            raise ValidationError({"slug": FEED_SLUG_TAKEN})
        if self.month and not self.year:
            raise ValidationError({"year": "Give the year as well as the month."})

    @property
    def date_display(self) -> str:
        """ "February 2022", "2025", or "" when the date is not known."""
        if not self.year:
            return ""
        return f"{MONTHS[self.month]} {self.year}" if self.month else str(self.year)

    @property
    def listing_meta(self) -> str:
        return self.date_display or "Publication"

    def get_structured_data_node(self, request: HttpRequest | None = None) -> dict:
        """schema.org Article for the report, with its document as the associated media."""
        # Loaded once here and reused by the page template, which lists the same records.
        prefetch_related_objects([self], "partner_councils", "themes")

        names = [c.name for c in self.partner_councils.all()] + self.organisation_list
        published = None
        if self.year:
            published = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return article(
            self,
            request,
            date_published=published,
            authors=organisations(names),
            about=[theme.name for theme in self.themes.all()],
            associatedMedia=media_object(request, self.document),
        )

    @property
    def social_image(self):
        return self.listing_image or self.cover_image
