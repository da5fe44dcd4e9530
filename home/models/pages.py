"""The pages every app builds on (BasePage and its mixins) and the site's own: home, standard."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from caching.restrictions import in_private_section
from caching.routing import fast_route

from ..api_fields import listing_api_fields
from ..blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from ..structured_data import breadcrumb_list, graph, organization

MISSION = "People-centred councils driving social innovation, putting people first"


class ListingFieldsMixin(models.Model):
    """A summary and image used in listings, feeds, search results and social cards."""

    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two plain sentences. Shown in listings, feeds, search results "
        "and as the description search engines and social sites display.",
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown on cards and when the page is shared. Landscape, at least 1200×630.",
    )

    listing_panels = [FieldPanel("summary"), FieldPanel("listing_image")]

    class Meta:
        abstract = True


class PoliticalFlagMixin(models.Model):
    """Marks pages that need a second approval during the pre-election period."""

    political = models.BooleanField(
        "politically sensitive",
        default=False,
        help_text="Tick if this page comments on parties, candidates, elections or council "
        "control. During the pre-election period such pages need a second moderator's "
        "approval before they go live.",
    )

    settings_panels = [*Page.settings_panels, FieldPanel("political")]

    class Meta:
        abstract = True


class BasePage(ListingFieldsMixin, Page):
    """Every page type of the site: listing fields, meta description, social image."""

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        MultiFieldPanel(ListingFieldsMixin.listing_panels, heading="Listings and sharing"),
    ]
    # Fields of the public API (/api/v2/pages/); page types add theirs.
    api_fields = listing_api_fields()

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    @property
    def social_image(self):
        return self.listing_image

    def get_structured_data(self, request=None) -> dict | None:
        """schema.org JSON-LD for this page; page types add their own node (articles)."""
        return graph(
            self.get_structured_data_node(request),
            breadcrumb_list(self, request, self.get_subpage_crumbs(request)),
        )

    def get_subpage_crumbs(self, request=None) -> list[tuple[str, str]]:
        """(name, absolute URL) crumbs below this page when a routable sub-page is shown."""
        return []

    def get_structured_data_node(self, request=None) -> dict | None:
        """The page's own schema.org node, e.g. a NewsArticle; none for plain pages."""
        return None

    def get_view_restrictions(self):
        """Wagtail's check, skipped without a query outside every private section."""
        if self.alias_of_id is None and not in_private_section(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(PoliticalFlagMixin, BasePage):
    """The site root: mission, network figures, latest news, featured case studies."""

    mission = models.CharField(
        max_length=200,
        default=MISSION,
        help_text="The network's one-line mission, shown as the page's main heading.",
    )
    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="A short paragraph under the mission: who the network is.",
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="Optional sections shown after the network figures.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("mission"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Wagtail's routing, with the chain of pages below the root read in one query."""
        if path_components:
            result = fast_route(self, request, path_components)
            if result is not None:
                return result
        return super().route(request, path_components)

    def get_structured_data_node(self, request=None) -> dict | None:
        return organization(request)


class StandardPage(PoliticalFlagMixin, BasePage):
    """A plain content page: about, accessibility statement, privacy, contact."""

    intro = models.TextField(blank=True, help_text="An optional lead paragraph in plain text.")
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "standard page"

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary or self.intro
