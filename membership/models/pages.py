"""Pages: principles, membership (with the join form), directory, elections, DPS."""

from __future__ import annotations

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import urlencode
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from caching.versions import remember
from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.hosts import absolute_url
from home.images import prefetch_card_renditions
from home.listing import FilteredListingMixin
from home.lookups import first_live
from home.models import BasePage
from home.templatetags.navigation_tags import crumb_ancestors
from security.csrf import same_origin_form

from ..blocks import ActivityStreamBlock, TierStreamBlock, TitledTextStreamBlock
from ..election_data import (
    CONTROL_CHANGES,
    COUNCILLOR_CHANGES,
    DATASETS,
    FORMATS,
    PAGE_ROWS,
    RESULTS,
    TABLE_FILTERS,
    download_query,
    download_response,
    page_tables,
    sources,
)
from ..join import handle_join, resend
from ..links import case_study_index_url, member_case_studies, member_policy_projects
from ..listings import directory_listing, result_row_id
from ..tables import Column
from .snippets import LISTED_TIERS, Commitment, DPSSupplier, MemberCouncil, Principle

OPENCOUNCILDATA_CONTROL = "https://opencouncildata.co.uk/changesCtrl.php?y=2026"
OPENCOUNCILDATA_COUNCILLORS = "https://opencouncildata.co.uk/changes.php?y=2026"

PROFILE_CASE_STUDIES = 6


class PrinciplesPage(BasePage):
    """The nine principles, each linking to case studies that meet it, and "walking the talk"."""

    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="A short introduction shown above the principles.",
    )
    walking_the_talk_intro = models.TextField(
        blank=True,
        help_text='The sentence that introduces "Walking the talk".',
    )
    walking_the_talk = StreamField(
        TitledTextStreamBlock(),
        blank=True,
        help_text="How the network puts its principles into practice as a membership body.",
    )
    body = StreamField(BaseStreamBlock(), blank=True, help_text="Optional sections at the end.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("walking_the_talk_intro"), FieldPanel("walking_the_talk")],
            heading="Walking the talk",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("walking_the_talk"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "principles page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        base = case_study_index_url()
        context["principles"] = [
            (principle, f"{base}?{urlencode({'principle': principle.slug})}")
            for principle in Principle.objects.select_related("icon")
        ]
        return context


class MembershipPage(RoutablePageMixin, BasePage):
    """Tiers, benefits, what members can do, the published figures and the join form."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True, help_text="Lead paragraph.")
    tiers = StreamField(
        TierStreamBlock(), blank=True, help_text="The membership tiers and who each is for."
    )
    benefits = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="What members get from the network."
    )
    activities = StreamField(
        ActivityStreamBlock(),
        blank=True,
        verbose_name="what you can do with the CCIN",
        help_text="Things members can take part in or use.",
    )
    priorities_heading = models.CharField(
        max_length=120, default="Our priorities this year", help_text="Heading for priorities."
    )
    priorities = StreamField(
        TitledTextStreamBlock(), blank=True, help_text="The network's priorities this year."
    )
    body = StreamField(BaseStreamBlock(), blank=True, help_text="Optional extra sections.")
    join_heading = models.CharField(max_length=120, default="Ask about joining")
    join_intro = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="Shown above the join form: what happens after someone sends it.",
    )
    thank_you_text = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="Shown after someone sends the form.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("tiers"),
        FieldPanel("benefits"),
        FieldPanel("activities"),
        MultiFieldPanel(
            [FieldPanel("priorities_heading"), FieldPanel("priorities")], heading="Priorities"
        ),
        FieldPanel("body"),
    ]
    form_panels = [
        FieldPanel("join_heading"),
        FieldPanel("join_intro"),
        FieldPanel("thank_you_text"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(form_panels, heading="Join form"),
            ObjectList(BasePage.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("benefits"),
        index.SearchField("tiers"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["membership.MemberDirectoryPage", "membership.ElectionOutcomesPage"]
    max_count = 1

    class Meta:
        verbose_name = "membership page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", None)
        context["directory"] = (
            MemberDirectoryPage.objects.child_of(self)
            .exact_type(MemberDirectoryPage)  # the type's index, not a walk (home/lookups.py)
            .live()
            .public()
            .first()
        )
        context["dps_page"] = first_live(DPSPage)
        context["principles_page"] = first_live(PrinciplesPage)
        context["commitments"] = list(Commitment.objects.all())
        return context

    @path("", name="join")
    @same_origin_form(resend=resend)
    def join(self, request: HttpRequest) -> HttpResponse:
        """The page itself; a POST is a join enquiry (membership.join).

        Anonymous POSTs need no CSRF token, only the browser's word that they come from this
        site (security.csrf), so the page carries none and can be cached.
        """
        return handle_join(request, self)

    @path("thanks/", name="join_thanks")
    def join_thanks(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"submitted": True})


def elections_page_url(year: int) -> str:
    """The address of the live election outcomes page for ``year``, or "" if there is none."""
    page = ElectionOutcomesPage.objects.live().public().filter(election_year=year).first()
    return (page.url or "") if page else ""


class MemberDirectoryPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """Full and associate members, filterable by tier and nation, each with a profile."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True, help_text="Lead paragraph.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["membership.MembershipPage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "member directory page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        match = getattr(request, "routable_resolver_match", None)
        if match is not None and match.url_name == "member":
            return context  # a profile: none of the directory's listing and counts
        context.update(directory_listing(request.GET, self.url))
        return context

    @path("<slug:slug>/", name="member")
    def member_profile(self, request: HttpRequest, slug: str) -> HttpResponse:
        """A member's profile; affiliates and supporters are not listed, so they 404 too."""
        member = (
            MemberCouncil.objects.filter(slug=slug, tier__in=LISTED_TIERS)
            .select_related("logo")
            .prefetch_related("commitments")
            .first()
        )
        if member is None:
            raise Http404("No listed member has that address.")
        request.ccin_member = member  # for the JSON-LD breadcrumbs (get_subpage_crumbs)
        case_studies = member_case_studies(member)
        profile_case_studies = list(
            case_studies.select_related("listing_image")[:PROFILE_CASE_STUDIES]
        )
        prefetch_card_renditions(profile_case_studies)  # one query for the cards' pictures
        ancestors = crumb_ancestors(self)
        election_result = member.election_results.order_by("-year").first()
        elections_url = (
            remember(
                f"elections-page-url:{election_result.year}",
                lambda: elections_page_url(election_result.year),
            )
            if election_result
            else ""
        )
        return self.render(
            request,
            template="membership/member_profile.html",
            context_overrides={
                "member": member,
                "commitments": list(member.commitments.all()),
                "election_result": election_result,
                "election_row_url": (
                    f"{elections_url}#{result_row_id(member)}" if elections_url else ""
                ),
                "case_studies": profile_case_studies,
                "case_study_total": case_studies.count(),
                "case_studies_url": (
                    f"{case_study_index_url()}?{urlencode({'council': member.slug})}"
                ),
                "policy_projects": list(member_policy_projects(member)),
                "breadcrumb_crumbs": ancestors,
                "breadcrumb_extra": [(self.title, self.url)],
                "breadcrumb_current": {"title": member.name},
            },
        )

    def get_subpage_crumbs(self, request=None) -> list[tuple[str, str]]:
        """On a member's profile, the member below the directory in the JSON-LD breadcrumbs."""
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name != "member":
            return []
        member = getattr(request, "ccin_member", None)
        if member is None or member.slug != match.kwargs.get("slug"):
            member = MemberCouncil.objects.listed().filter(slug=match.kwargs.get("slug")).first()
        if member is None:
            return []
        return [(member.name, absolute_url(request, self.member_url(member)))]

    def get_sitemap_urls(self, request=None) -> list[dict]:
        """The directory plus every listed member's profile."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not urls or not base:
            return urls
        slugs = MemberCouncil.objects.listed().values_list("slug", flat=True)
        return urls + [
            {"location": f"{base}{slug}/", "lastmod": self.last_published_at} for slug in slugs
        ]

    def member_url(self, member: MemberCouncil) -> str:
        return self.url + self.reverse_subpage("member", kwargs={"slug": member.slug})


class ElectionOutcomesPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """The year's election outcomes for member councils, with the post-election changes."""

    election_year = models.PositiveSmallIntegerField(
        default=2026, help_text="Which year's results this page shows."
    )
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True, help_text="Lead paragraph.")
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="Analysis shown after the summary, e.g. what changed after the elections.",
    )
    results_source_url = models.URLField(
        blank=True, help_text="Where the results table comes from, if published elsewhere."
    )
    control_changes_source_url = models.URLField(
        default=OPENCOUNCILDATA_CONTROL, blank=True, help_text="Source of the control changes."
    )
    councillor_changes_source_url = models.URLField(
        default=OPENCOUNCILDATA_COUNCILLORS,
        blank=True,
        help_text="Source of the councillor changes.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("election_year"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("results_source_url"),
                FieldPanel("control_changes_source_url"),
                FieldPanel("councillor_changes_source_url"),
            ],
            heading="Sources",
            help_text="The tables themselves are edited under Elections in the admin menu, "
            "or imported with manage.py import_elections.",
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["membership.MembershipPage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "election outcomes page"

    # The template's names for each table's download links.
    DOWNLOAD_NAMES = {
        "results": RESULTS,
        "control": CONTROL_CHANGES,
        "councillors": COUNCILLOR_CHANGES,
    }

    RESULT_COLUMNS = [
        Column("council", "Council", ("member__name",)),
        Column("outcome", "Election result", ("outcome", "outcome_detail", "member__name")),
        Column("before", "Make-up before the election", ("control_before", "member__name")),
        Column("next", "Next election", ("next_election", "member__name")),
        Column("results", "Results"),
    ]
    CONTROL_COLUMNS = [
        Column("date", "Date", ("date", "council_name", "id")),
        Column("council", "Council", ("council_name", "date", "id")),
        Column("type", "Control type", ("control_type", "council_name")),
        Column("from", "From", ("from_control", "council_name")),
        Column("to", "To", ("to_control", "council_name")),
    ]
    COUNCILLOR_COLUMNS = [
        Column("date", "Date", ("date", "council_name", "id")),
        Column("council", "Council", ("council_name", "date", "id")),
        Column("ward", "Ward", ("ward", "council_name")),
        Column("name", "Name", ("councillor",)),
        Column("from", "From", ("from_party", "councillor")),
        Column("to", "To", ("to_party", "councillor")),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        directory = first_live(MemberDirectoryPage)
        tables = self.tables(request, self.RESULT_COLUMNS, directory.url if directory else "")
        filters = tables["filters"]
        page_sources = sources(self)  # on the page itself, the results need no link to it
        context.update(
            directory=directory,
            **tables,
            downloads={
                name: {
                    "links": [
                        (
                            fmt,
                            self.download_url(key, fmt, download_query(request.GET, filters, key)),
                        )
                        for fmt in FORMATS
                    ],
                    "filtered": any(f in filters.applied for f in TABLE_FILTERS[key]),
                }
                for name, key in self.DOWNLOAD_NAMES.items()
            },
            datasets=[(DATASETS[key], source) for key, source in page_sources.items()],
        )
        return context

    def tables(self, request: HttpRequest, columns: list[Column], profile_base: str) -> dict:
        """The filters, chart and tables for this request (membership.election_data)."""
        return page_tables(
            request.GET,
            year=self.election_year,
            base_url=self.url,
            profile_base=profile_base,
            result_columns=columns,
            control_columns=self.CONTROL_COLUMNS,
            councillor_columns=self.COUNCILLOR_COLUMNS,
        )

    def download_url(self, dataset: str, fmt: str, query: str = "") -> str:
        path = self.reverse_subpage("download", kwargs={"dataset": dataset, "fmt": fmt})
        return f"{self.url}{path}{'?' + query if query else ''}"

    @path("<slug:dataset>/<slug:fmt>/", name="download")
    def download(self, request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
        """One table as CSV or JSON, with the rows the page shows for the same filters."""
        if dataset not in DATASETS or fmt not in FORMATS:
            raise Http404(
                "The election data comes as results, control-changes or "
                "councillor-changes, each as csv or json."
            )
        directory = first_live(MemberDirectoryPage)
        profile_base = directory.get_full_url(request) if directory else ""
        tables = self.tables(request, self.RESULT_COLUMNS, profile_base or "")
        filters = tables["filters"]
        if filters.unknown:
            return filters.not_found()
        applied = {
            name: bound.value
            for name, bound in filters.applied.items()
            if name in TABLE_FILTERS[dataset]
        }
        return download_response(
            DATASETS[dataset],
            tables[PAGE_ROWS[dataset]],
            fmt,
            source=sources(self, self.get_full_url(request) or "")[dataset],
            as_of_date=tables["as_of"],
            filters=applied,
            year=self.election_year,
        )


class DPSPage(BasePage):
    """How the Dynamic Purchasing System works, and its suppliers."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True, help_text="Lead paragraph.")
    why_heading = models.CharField(max_length=120, default="Why councils use the DPS")
    why = StreamField(TitledTextStreamBlock(), blank=True, help_text="Reasons to use the DPS.")
    how_heading = models.CharField(max_length=120, default="How it works")
    how_it_works = StreamField(
        TitledTextStreamBlock(), blank=True, help_text="How buying through the DPS works."
    )
    suppliers_intro = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="Shown above the supplier list, e.g. how to become a supplier.",
    )
    body = StreamField(BaseStreamBlock(), blank=True, help_text="Optional extra sections.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("why_heading"), FieldPanel("why")], heading="Why"),
        MultiFieldPanel(
            [FieldPanel("how_heading"), FieldPanel("how_it_works")], heading="How it works"
        ),
        FieldPanel("suppliers_intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("why"),
        index.SearchField("how_it_works"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "DPS page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["suppliers"] = list(
            DPSSupplier.objects.active().select_related("logo").prefetch_related("specialisms")
        )
        return context
