"""Admin for the membership app: the "Network" snippets, the "Elections" records, a figures panel.

Snippets (member councils, commitments, principles, DPS suppliers, join enquiries) use
Wagtail's SnippetViewSet; the election tables use wagtail-modeladmin, as the issue asks.
"""

from __future__ import annotations

from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, Site
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from home.models import SiteSettings
from search.sources import HOOK as SEARCH_SOURCE_HOOK

from .models import (
    Commitment,
    ControlChange,
    CouncillorChange,
    DPSSupplier,
    ElectionResult,
    JoinEnquiry,
    MemberCouncil,
    Principle,
    Tier,
)
from .search import ElectionsSource, MembersSource, SuppliersSource


class MemberCouncilViewSet(SnippetViewSet):
    model = MemberCouncil
    icon = "group"
    menu_label = "Member councils"
    menu_order = 100
    list_display = [
        "name",
        Column("tier", label="Tier", accessor="get_tier_display"),
        Column("nation", label="Nation", accessor="get_nation_display"),
        Column("political_control", label="Control"),
        BooleanColumn("active"),
    ]
    list_filter = ["tier", "nation", "kind", "active"]
    list_export = [
        "name",
        "slug",
        "gss_code",
        "tier",
        "kind",
        "nation",
        "region",
        "website",
        "population",
        "annual_budget",
        "political_control",
        "champion_member",
        "champion_officer",
        "joined_year",
        "active",
    ]
    export_headings = {"gss_code": "ONS GSS code", "annual_budget": "Annual budget (£m)"}
    export_filename = "member-councils"
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["name"]


class CommitmentViewSet(SnippetViewSet):
    model = Commitment
    icon = "tick-inverse"
    menu_label = "Commitments"
    menu_order = 110
    list_display = ["title", "slug"]
    search_fields = ["title"]
    copy_view_enabled = False


class PrincipleViewSet(SnippetViewSet):
    model = Principle
    icon = "doc-full"
    menu_label = "Principles"
    menu_order = 120
    list_display = ["title", "slug"]
    list_export = ["title", "slug", "text"]
    export_filename = "principles"
    inspect_view_enabled = True
    copy_view_enabled = False


class DPSSupplierViewSet(SnippetViewSet):
    model = DPSSupplier
    icon = "tag"
    menu_label = "DPS suppliers"
    menu_order = 130
    list_display = [
        "name",
        Column("framework_period", label="Framework period"),
        "website",
        BooleanColumn("active"),
    ]
    list_filter = ["active"]
    list_export = [
        "name",
        "slug",
        "website",
        "summary",
        "framework_start",
        "framework_end",
        "active",
    ]
    export_filename = "dps-suppliers"
    inspect_view_enabled = True
    copy_view_enabled = False


class JoinEnquiryViewSet(SnippetViewSet):
    model = JoinEnquiry
    icon = "mail"
    menu_label = "Join enquiries"
    menu_order = 140
    list_display = [
        "name",
        "organisation",
        Column("tier", label="Tier of interest", accessor="get_tier_display"),
        "email",
        DateColumn("submitted_at", label="Sent"),
        BooleanColumn("handled"),
    ]
    list_filter = ["tier", "handled"]
    search_fields = ["name", "organisation", "email", "message"]
    list_export = [
        "submitted_at",
        "name",
        "organisation",
        "role",
        "email",
        "tier",
        "message",
        "handled",
    ]
    export_filename = "join-enquiries"
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["-submitted_at"]


class NetworkGroup(SnippetViewSetGroup):
    menu_label = "Network"
    menu_icon = "group"
    menu_order = 250
    items = (
        MemberCouncilViewSet,
        CommitmentViewSet,
        PrincipleViewSet,
        DPSSupplierViewSet,
        JoinEnquiryViewSet,
    )


register_snippet(NetworkGroup)


class ElectionResultAdmin(ModelAdmin):
    model = ElectionResult
    menu_label = "Election results"
    menu_icon = "tasks"
    list_display = ("member", "year", "outcome_display", "control_before", "next_election")
    list_filter = ("year", "outcome", "member__nation")
    list_select_related = ("member",)
    search_fields = ("member__name", "outcome", "outcome_detail", "control_before")
    list_export = (
        "member",
        "year",
        "outcome",
        "outcome_detail",
        "control_before",
        "next_election",
        "results_url",
    )
    export_filename = "election-results"
    inspect_view_enabled = True
    ordering = ("-year", "member__name")


class ControlChangeAdmin(ModelAdmin):
    model = ControlChange
    menu_label = "Control changes"
    menu_icon = "redirect"
    list_display = ("date", "council_name", "control_type", "from_control", "to_control")
    list_filter = ("control_type", "date")
    list_select_related = ("member",)
    search_fields = ("council_name",)
    list_export = ("date", "council_name", "member", "control_type", "from_control", "to_control")
    export_filename = "control-changes"
    inspect_view_enabled = True


class CouncillorChangeAdmin(ModelAdmin):
    model = CouncillorChange
    menu_label = "Councillor changes"
    menu_icon = "user"
    list_display = ("date", "council_name", "ward", "councillor", "from_party", "to_party")
    list_filter = ("date", "from_party", "to_party")
    list_select_related = ("member",)
    search_fields = ("council_name", "ward", "councillor")
    list_export = (
        "date",
        "council_name",
        "member",
        "ward",
        "councillor",
        "from_party",
        "to_party",
    )
    export_filename = "councillor-changes"
    inspect_view_enabled = True


@modeladmin_register
class ElectionsGroup(ModelAdminGroup):
    menu_label = "Elections"
    menu_icon = "tasks"
    menu_order = 260
    items = (ElectionResultAdmin, ControlChangeAdmin, CouncillorChangeAdmin)


# --- Published figures beside the directory's live counts -----------------------------

TIER_SETTING_FIELDS = {
    Tier.FULL: "full_members",
    Tier.ASSOCIATE: "associate_members",
    Tier.AFFILIATE: "affiliates",
    Tier.SUPPORTER: "supporters",
}


def figure_rows(settings: SiteSettings) -> list[dict]:
    """For each tier: the published figure, the directory's count of active members, drift."""
    live = dict(
        MemberCouncil.objects.active().values_list("tier").annotate(n=Count("pk")).order_by()
    )
    rows = []
    for tier, field_name in TIER_SETTING_FIELDS.items():
        published = getattr(settings, field_name)
        counted = live.get(tier, 0)
        rows.append(
            {
                "label": tier.label,
                "published": published,
                "counted": counted,
                "difference": counted - published,
            }
        )
    return rows


class NetworkFiguresPanel(Component):
    """Dashboard panel: the figures the site publishes against what the directory holds."""

    name = "network_figures"
    template_name = "membership/admin/network_figures_panel.html"
    order = 150

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        site = (
            Site.find_for_request(self.request) or Site.objects.filter(is_default_site=True).first()
        )
        settings = SiteSettings.for_site(site) if site else None
        settings_url = None
        if site:
            settings_url = AdminURLFinder(self.request.user).get_edit_url(settings)
        return {
            "rows": figure_rows(settings) if settings else [],
            "settings": settings,
            "settings_url": settings_url,
        }


@hooks.register("construct_homepage_panels")
def add_network_figures_panel(request, panels) -> None:
    if request.user.has_perm("membership.view_membercouncil") or request.user.has_perm(
        "membership.change_membercouncil"
    ):
        panels.append(NetworkFiguresPanel(request))


# --- Deleting a member that pages link to --------------------------------------------


def _admin_url(user, obj) -> str | None:
    if isinstance(obj, Page):
        return AdminURLFinder(user).get_edit_url(obj)
    if isinstance(obj, BaseSiteSetting):
        return None
    return AdminURLFinder(user).get_edit_url(obj)


@hooks.register("before_delete_snippet")
def protect_linked_members(request, instances):
    """Refuse to delete members that case studies, projects or election results point at.

    Covers the single and bulk delete views. Django would refuse protected ForeignKeys
    with an error and silently drop many-to-many links; this explains both instead.
    """
    if not instances or not isinstance(instances[0], MemberCouncil):
        return None
    blocked = []
    for member in instances:
        groups = member.linked_records()
        if groups:
            blocked.append(
                {
                    "member": member,
                    "groups": [
                        {
                            "label": group.label,
                            "items": [
                                (str(obj), _admin_url(request.user, obj)) for obj in group.objects
                            ],
                        }
                        for group in groups
                    ],
                }
            )
    if not blocked:
        return None
    return TemplateResponse(
        request,
        "membership/admin/cannot_delete_member.html",
        {
            "blocked": blocked,
            "index_url": reverse(MemberCouncil.snippet_viewset.get_url_name("list")),
        },
        status=409,
    )


@hooks.register(SEARCH_SOURCE_HOOK)
def membership_search_sources() -> list:
    """Site search finds listed members, active suppliers and election rows."""
    return [MembersSource(), SuppliersSource(), ElectionsSource()]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def reindex_supplier_specialisms(request, instance) -> None:
    """A supplier's specialisms are saved after the supplier, so after Wagtail's save-time
    indexing: index it again, so site search finds its new specialisms straight away."""
    if isinstance(instance, DPSSupplier):
        index.insert_or_update_object(instance)
