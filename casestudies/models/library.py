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
from security.csrf import same_origin_form

from ..facets import CaseStudySearch
from ..feeds import CASE_STUDY_FEEDS
from ..submissions import handle_submission, render_thanks, resend
from .case_studies import CaseStudyPage

# Routes that show the submission form or its thanks, not the listing.
FORM_ROUTES = ("submit", "submit_thanks")


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
        match = getattr(request, "routable_resolver_match", None)
        if match is not None and match.url_name in FORM_ROUTES:
            return context  # the submission form: none of the listing and its counts
        context.update(CaseStudySearch(self, request.GET).listing_context(self.get_url(request)))
        return context

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        return self.serve_feed(request, "rss")

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request: HttpRequest) -> HttpResponse:
        return self.serve_feed(request, "atom")

    @path("feed/json/", name="feed_json")
    def feed_json(self, request: HttpRequest) -> HttpResponse:
        return self.serve_feed(request, "json")

    def serve_feed(self, request: HttpRequest, kind: str) -> HttpResponse:
        """The case studies the finder's filters keep, as ``kind``; unknown values: a 404."""
        search = CaseStudySearch(self, request.GET)
        if search.filters.unknown:
            return search.filters.not_found()
        return CASE_STUDY_FEEDS[kind](self, search)(request)

    @path("submit/", name="submit")
    @same_origin_form(resend=resend)
    def submit(self, request: HttpRequest) -> HttpResponse:
        """ "Submit a case study": a POST makes a draft for moderation (casestudies.submissions).

        Anonymous POSTs need no CSRF token, only the browser's word that they come from this
        site (security.csrf), so the form page carries none and can be cached.
        """
        return handle_submission(request, self)

    @path("submit/thanks/", name="submit_thanks")
    def submit_thanks(self, request: HttpRequest) -> HttpResponse:
        return render_thanks(request, self)
