"""/case-studies/: the library page; what it filters on is in casestudies/facets.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from home.listing import FilteredListingMixin
from home.models import BasePage

from ..facets import CaseStudySearch
from ..feeds import CaseStudyFeed
from .case_studies import CaseStudyPage


class CaseStudyIndexPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """/case-studies/: the searchable, filterable library, with a feed for any filter."""

    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="A short paragraph above the search and filters.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["casestudies.CaseStudyPage"]
    max_count = 1

    class Meta:
        verbose_name = "case study index"

    def case_studies(self):
        """Every case study visitors may see here: live and public. Of exactly the type
        (home/lookups.py): read from the content type index, not by walking every page."""
        return CaseStudyPage.objects.child_of(self).exact_type(CaseStudyPage).live().public()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(CaseStudySearch(self, request.GET).listing_context(self.get_url(request)))
        return context

    @path("feed/")
    def feed(self, request: HttpRequest) -> HttpResponse:
        search = CaseStudySearch(self, request.GET)
        if search.filters.unknown:
            return search.filters.not_found()
        return CaseStudyFeed(self, search)(request)
