"""Pages: principles, membership (with the join form), directory, elections, DPS."""

from __future__ import annotations

import string
from itertools import groupby

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import urlencode
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.models import BasePage
from home.templatetags.navigation_tags import crumb_ancestors

from ..blocks import ActivityStreamBlock, TierStreamBlock, TitledTextStreamBlock
from ..forms import DirectoryFilterForm
from ..join import handle_join
from ..links import case_study_index_url, member_case_studies, member_policy_projects
from ..tables import Column, SortableTable
from .elections import ControlChange, CouncillorChange, ElectionResult, classify_outcome
from .snippets import LISTED_TIERS, DPSSupplier, MemberCouncil, Nation, Principle, Tier

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
        context["directory"] = MemberDirectoryPage.objects.child_of(self).live().public().first()
        context["dps_page"] = DPSPage.objects.live().public().first()
        context["principles_page"] = PrinciplesPage.objects.live().public().first()
        return context

    @path("", name="join")
    def join(self, request: HttpRequest) -> HttpResponse:
        """The page itself; a POST is a join enquiry (membership.join)."""
        return handle_join(request, self)

    @path("thanks/", name="join_thanks")
    def join_thanks(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"submitted": True})


class MemberDirectoryPage(RoutablePageMixin, BasePage):
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
        form = DirectoryFilterForm(request.GET)
        filters = form.filters()
        listed = MemberCouncil.objects.listed()
        members = list(
            listed.filter(**filters).only("name", "slug", "tier", "nation", "kind", "region")
        )
        # Live facet counts: each filter counts within the other filter's choice.
        tier_counts = dict(
            listed.filter(**{k: v for k, v in filters.items() if k != "tier"})
            .values_list("tier")
            .annotate(n=models.Count("pk"))
        )
        nation_counts = dict(
            listed.filter(**{k: v for k, v in filters.items() if k != "nation"})
            .values_list("nation")
            .annotate(n=models.Count("pk"))
        )
        form.fields["tier"].choices = [
            (value, f"{label} ({tier_counts.get(value, 0)})" if value else label)
            for value, label in form.fields["tier"].choices
        ]
        form.fields["nation"].choices = [
            (value, f"{label} ({nation_counts.get(value, 0)})" if value else label)
            for value, label in form.fields["nation"].choices
        ]
        groups = [
            (letter, list(items))
            for letter, items in groupby(members, key=lambda m: initial_letter(m.name))
        ]
        present = {letter for letter, _ in groups}
        context.update(
            {
                "filter_form": form,
                "filters": filters,
                "invalid_filters": form.invalid_fields(),
                "active_filters": self.active_filters(request, form, filters),
                "members": members,
                "member_groups": groups,
                "alphabet": [(letter, letter in present) for letter in string.ascii_uppercase]
                + ([("#", True)] if "#" in present else []),
                "full_count": sum(m.tier == Tier.FULL for m in members),
                "associate_count": sum(m.tier == Tier.ASSOCIATE for m in members),
            }
        )
        return context

    @staticmethod
    def active_filters(request, form, filters: dict[str, str]) -> list[dict[str, str]]:
        chips = []
        for name, value in filters.items():
            label = dict(form.fields[name].choices).get(value, value)
            remaining = request.GET.copy()
            remaining.pop(name, None)
            remaining.pop("page", None)
            chips.append({"label": label, "remove_url": f"?{remaining.urlencode()}"})
        return chips

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
        ancestors = crumb_ancestors(self)
        return self.render(
            request,
            template="membership/member_profile.html",
            context_overrides={
                "member": member,
                "commitments": list(member.commitments.all()),
                "election_result": member.election_results.order_by("-year").first(),
                "case_studies": list(
                    case_studies.select_related("listing_image")[:PROFILE_CASE_STUDIES]
                ),
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
        return [(member.name, request.build_absolute_uri(self.member_url(member)))]

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


def initial_letter(name: str) -> str:
    """The A–Z heading a member sorts under; "Royal Borough of Greenwich" stays under R."""
    first = name[:1].upper()
    return first if first in string.ascii_uppercase else "#"


class ElectionOutcomesPage(BasePage):
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
        year_results = ElectionResult.objects.for_year(self.election_year)
        summary = year_results.summary()
        outcome_keys = {outcome_type.key: outcome_type for outcome_type, _ in summary}
        outcome = request.GET.get("outcome", "")
        nation = request.GET.get("nation", "")
        notices = []
        if outcome and outcome not in outcome_keys:
            notices.append("There is no result of that type, so all results are shown.")
            outcome = ""
        if nation and nation not in Nation.values:
            notices.append("We do not recognise that nation, so all nations are shown.")
            nation = ""
        members_only = request.GET.get("members_only") == "1"

        results_table = SortableTable(
            request.GET,
            param="sort",
            columns=self.RESULT_COLUMNS,
            default="council",
            anchor="results",
        )
        results = year_results.select_related("member").order_by(*results_table.ordering)
        if nation:
            results = results.filter(member__nation=nation)
        results = list(results)
        if outcome:
            results = [r for r in results if classify_outcome(r.outcome).key == outcome]

        control_table = SortableTable(
            request.GET,
            param="csort",
            columns=self.CONTROL_COLUMNS,
            default="-date",
            anchor="control-changes",
        )
        councillor_table = SortableTable(
            request.GET,
            param="ksort",
            columns=self.COUNCILLOR_COLUMNS,
            default="-date",
            anchor="councillor-changes",
        )
        # The tables only say whether a change is at a member council: member_id, no join.
        control_changes = ControlChange.objects.order_by(*control_table.ordering)
        councillor_changes = CouncillorChange.objects.order_by(*councillor_table.ordering)
        if members_only:
            control_changes = control_changes.filter(member__isnull=False)
            councillor_changes = councillor_changes.filter(member__isnull=False)

        biggest = max((count for _, count in summary), default=0)
        directory = MemberDirectoryPage.objects.live().public().first()
        context.update(
            {
                "summary": summary,
                "summary_caption": (
                    f"{self.election_year} election outcomes for member councils, by type"
                ),
                "summary_bars": [
                    {
                        "key": outcome_type.key,
                        "label": outcome_type.label,
                        "count": count,
                        "percent": round(100 * count / biggest) if biggest else 0,
                        "url": f"?{urlencode({'outcome': outcome_type.key})}#results",
                    }
                    for outcome_type, count in summary
                ],
                "result_total": sum(count for _, count in summary),
                "results": results,
                "results_headers": results_table.headers(),
                "control_changes": list(control_changes),
                "control_headers": control_table.headers(),
                "councillor_changes": list(councillor_changes),
                "councillor_headers": councillor_table.headers(),
                "outcome_choices": [(t.key, t.label) for t, _ in summary],
                "nation_choices": Nation.choices,
                "selected_outcome": outcome,
                "selected_outcome_label": outcome_keys[outcome].label if outcome else "",
                "selected_nation": nation,
                "members_only": members_only,
                "notices": notices,
                "filtered": bool(outcome or nation or members_only),
                "directory": directory,
            }
        )
        return context


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
