"""Admin for comms editors: dashboard panels, the accessibility checker, pre-election notices."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page, Site

from home.models import SiteSettings

from .scheduling import pages_for, scheduled_revisions, scheduler_status


def default_site_settings() -> SiteSettings | None:
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else None


class PreElectionPanel(Component):
    """Top of the dashboard while the pre-election period runs or is about to."""

    name = "pre_election"
    template_name = "home/admin/pre_election_panel.html"
    order = 10

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        settings = default_site_settings()
        now = timezone.now()
        context["settings"] = settings
        context["active"] = bool(settings and settings.in_pre_election_period(now))
        context["upcoming"] = bool(
            settings
            and settings.pre_election_start
            and now < settings.pre_election_start
            and settings.pre_election_start - now < timezone.timedelta(days=60)
        )
        return context

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not (context["active"] or context["upcoming"]):
            return ""
        return super().render_html(parent_context)


class ScheduledPanel(Component):
    """Embargoed and scheduled pages with their go-live times, and a scheduler warning."""

    name = "scheduled"
    template_name = "home/admin/scheduled_panel.html"
    order = 20

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        revisions = list(scheduled_revisions(limit=20))
        pages = pages_for(revisions)
        context["items"] = [
            {
                "revision": revision,
                "page": pages[int(revision.object_id)],
                "by": (revision.user.get_full_name() or revision.user.get_username())
                if revision.user
                else "—",
            }
            for revision in revisions
            if int(revision.object_id) in pages
        ]
        context["status"] = scheduler_status()
        context["now"] = timezone.now()
        return context


class DraftsPanel(Component):
    """The editor's own pages with unpublished changes."""

    name = "your_drafts"
    template_name = "home/admin/drafts_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context["drafts"] = (
            Page.objects.filter(has_unpublished_changes=True, latest_revision__user=request.user)
            .order_by("-latest_revision_created_at")
            .specific(defer=True)[:10]
        )
        return context


@hooks.register("construct_homepage_panels")
def add_comms_panels(request, panels):
    panels[:0] = [PreElectionPanel(), ScheduledPanel()]
    panels.append(DraftsPanel())


class WCAGCheckerItem(ContentCheckerItem):
    """Wagtail's content checker, widened from its handful of rules to WCAG 2.x A and AA."""

    axe_run_only = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    # Keep Wagtail's own content-quality rules (alt text quality, empty meta description).
    axe_rules = {
        "alt-text-quality": {"enabled": True},
        "empty-meta-description": {"enabled": True},
    }


@hooks.register("construct_wagtail_userbar")
def use_wcag_checker(request, items, page=None):
    """Swap Wagtail's checker for ours, in the userbar and in the editor's Checks panel.

    Wagtail 8.0 builds ``AccessibilityItem`` (a deprecated subclass of
    ``ContentCheckerItem``), so the match is by class, not by exact type.
    """
    items[:] = [
        WCAGCheckerItem(in_editor=item.in_editor)
        if isinstance(item, ContentCheckerItem) and not isinstance(item, WCAGCheckerItem)
        else item
        for item in items
    ]


def warn_during_pre_election(request, page, *args):
    settings = default_site_settings()
    if settings and settings.in_pre_election_period() and request.method == "GET":
        messages.warning(
            request,
            "Pre-election period: until "
            f"{timezone.localtime(settings.pre_election_end):%-d %B %Y %H:%M}, pages marked "
            "“politically sensitive” (Settings tab) need a second moderator's approval.",
        )


hooks.register("before_edit_page", warn_during_pre_election)
hooks.register("before_create_page", warn_during_pre_election)


# Politically sensitive pages in the pre-election period go live only through the workflow,
# which asks two different moderators. Publishing directly is hidden and refused.

SENSITIVE_PUBLISH = (
    "Pre-election period: a page marked “politically sensitive” goes live only through "
    "approval by two moderators. Submit it for moderation instead of publishing it."
)


def is_sensitive(page) -> bool:
    """Marked politically sensitive, live or in its latest draft."""
    if getattr(page, "political", False):
        return True
    latest = page.get_latest_revision_as_object() if page.pk else None
    return bool(getattr(latest, "political", False))


def in_period() -> bool:
    settings = default_site_settings()
    return bool(settings and settings.in_pre_election_period())


@hooks.register("construct_page_action_menu")
def no_direct_publish_when_sensitive(menu_items, request, context):
    page = context.get("page")
    if page is not None and in_period() and is_sensitive(page.specific):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def save_as_draft_instead(request) -> None:
    """Turn the editor's Publish into Save draft: nothing they typed is lost, nothing goes
    live, and they are told why."""
    post = request.POST.copy()
    del post["action-publish"]
    request.POST = post
    messages.warning(request, SENSITIVE_PUBLISH + " Your changes were saved as a draft.")


@hooks.register("before_edit_page")
def refuse_direct_publish_on_edit(request, page):
    if request.method != "POST" or "action-publish" not in request.POST or not in_period():
        return
    if is_sensitive(page.specific) or request.POST.get("political"):
        save_as_draft_instead(request)


@hooks.register("before_create_page")
def refuse_direct_publish_on_create(request, parent_page, page_class):
    if request.method != "POST" or "action-publish" not in request.POST or not in_period():
        return
    if request.POST.get("political"):
        save_as_draft_instead(request)


@hooks.register("before_bulk_action")
def refuse_sensitive_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish" or not in_period():
        return None
    if any(is_sensitive(obj.specific) for obj in objects):
        messages.error(request, SENSITIVE_PUBLISH)
        return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))
    return None


# Autosave on a new page creates it in the background; a "Save draft" or "Submit" sent while
# that request was in flight posted to the create view again, and failed ("slug already in
# use") with the editor's work in the form, or, when the two creates ran at once, both
# computed the same tree position and the second was a 500. So creates under one parent run
# one at a time, each in a transaction that holds the parent's row (PostgreSQL) or the write
# lock (SQLite's IMMEDIATE transactions), and a second post by the same editor for a page
# the first has just made continues that page.
AUTOSAVED_RECENTLY = timedelta(minutes=1)
SERIALISED = "_ccin_create_serialised"  # set on the request while the create runs inside


@hooks.register("before_create_page")
def continue_the_autosaved_page(request, parent_page, page_class):
    if request.method != "POST" or getattr(request, SERIALISED, False):
        return None
    setattr(request, SERIALISED, True)
    with transaction.atomic():
        list(Page.objects.select_for_update().filter(pk=parent_page.pk).values_list("pk"))
        made = autosaved_page(request, parent_page, page_class)
        if made is not None:
            return EditView.as_view()(request, page_id=made.pk)
        return CreateView.as_view()(
            request,
            content_type_app_name=page_class._meta.app_label,
            content_type_model_name=page_class._meta.model_name,
            parent_page_id=parent_page.pk,
        )


def autosaved_page(request, parent_page, page_class) -> Page | None:
    """The never-published page this editor made here with this slug in the last minute."""
    if not request.POST.get("slug"):
        return None
    return (
        Page.objects.child_of(parent_page)
        .filter(
            slug=request.POST["slug"],
            owner=request.user,
            live=False,
            first_published_at__isnull=True,
            content_type=ContentType.objects.get_for_model(page_class),
            latest_revision_created_at__gte=timezone.now() - AUTOSAVED_RECENTLY,
        )
        .first()
    )
