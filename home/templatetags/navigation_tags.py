"""Site navigation: primary menu, breadcrumbs and the footer's links to the site's key pages."""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Page, Site

from caching.versions import remember
from home.models.settings import SiteSettings

register = template.Library()

# Key pages found by their page type ("app_label.ModelName"), so the links follow the pages
# wherever editors move them. Named as strings: the base layer imports no app above it.
PAGE_TYPES = {
    "principles": "membership.PrinciplesPage",
    "membership": "membership.MembershipPage",
    "members": "membership.MemberDirectoryPage",
    "elections": "membership.ElectionOutcomesPage",
    "dps": "membership.DPSPage",
    "news": "news.NewsIndexPage",
    "case_studies": "casestudies.CaseStudyIndexPage",
    "policy_labs": "casestudies.PolicyLabsIndexPage",
    "publications": "casestudies.PublicationIndexPage",
    "members_update": "news.MembersUpdateIndexPage",
}
# Plain standard pages have no type of their own: found by slug among the home page's children.
PAGE_SLUGS = {
    "about": ("about", "about-us"),
    "accessibility": ("accessibility-statement", "accessibility"),
    "privacy": ("privacy", "privacy-notice", "privacy-policy"),
    "contact": ("contact", "contact-us"),
}
# How deep below the home page a key page may sit (the elections page is under membership).
KEY_PAGE_DEPTH = 3


class Link(NamedTuple):
    """A page as the menu and footer link to it: its title, its URL on this site, and where
    it sits in the tree (for the menu's current section).

    The URL is worked out once when the menu or key pages are remembered (per site), not
    by ``{% pageurl %}`` for every link on every page.
    """

    title: str
    url: str
    path: str
    depth: int

    @classmethod
    def of(cls, page: Page, site: Site) -> Link:
        return cls(page.title, page.relative_url(site) or "", page.path, page.depth)


class MenuItem(NamedTuple):
    title: str
    url: str
    is_current: bool


@register.inclusion_tag("components/primary_nav.html", takes_context=True)
def primary_nav(context) -> dict:
    """Children of the site root marked "show in menus", with the current section marked."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site is not None:
        items = [
            MenuItem(link.title, link.url, in_section(current, link)) for link in menu_pages(site)
        ]
    return {"items": items, "request": request}


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The header (components/site_header.html), the same for every page of one menu
    section: rendered once per section until content changes, not on every page."""
    return _shared(context, "components/site_header.html", "header", with_section=True)


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    """The footer (components/site_footer.html), the same on every page of a site:
    rendered once until content changes (or the year does), not on every page."""
    return _shared(context, "components/site_footer.html", f"footer:{timezone.localdate().year}")


def _shared(context, template_name: str, name: str, with_section: bool = False) -> str:
    """``template_name`` rendered for this request, remembered per site (and menu section).

    A rendered template is Django's safe string, and stays one through the cache (pickle
    keeps its type), so the tag's output is not escaped again.

    What these components show (settings, menu, key pages, feeds) is all remembered under
    the content version already; the markup is remembered with it. Pages with no site
    (error pages off any host) render it each time.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    page = context.get("page")

    def render() -> str:
        return render_to_string(template_name, {"page": page}, request=request)

    if site is None:
        return render()
    key = f"component:{name}:{site.pk}"
    if with_section:
        current = next((link for link in menu_pages(site) if in_section(page, link)), None)
        key = f"{key}:{current.path if current else ''}"
    return remember(key, render)


def in_section(page: Page | None, link: Link) -> bool:
    """Whether ``page`` is the linked page or below it."""
    return page is not None and page.path.startswith(link.path) and page.depth >= link.depth


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page: Page | None = None, extra: list | None = None) -> dict:
    """Ancestors from the home page down to the current page (nothing on the home page)."""
    page = page or context.get("page")
    if page is None or page.depth <= 2:
        return {"crumbs": []}
    return {"crumbs": crumb_ancestors(page), "current": page, "extra": extra or []}


@register.simple_tag(takes_context=True)
def site_links(context) -> dict[str, Link]:
    """The site's key pages by name ("elections", "privacy", ...); a missing page is absent.

    Read once per request (the footer and the home page share it) and remembered until
    content changes, so the footer costs no queries on a warm cache.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return {}
    links = getattr(request, "_ccin_site_links", None)
    if links is None:
        site = Site.find_for_request(request)
        links = key_pages(site) if site is not None else {}
        # The statement the editors chose in the site settings wins over the slug lookup.
        chosen = SiteSettings.for_request(request).accessibility_statement if site else None
        if chosen is not None and chosen.live:
            links = {**links, "accessibility": Link.of(chosen, site)}
        request._ccin_site_links = links
    return links


def key_pages(site: Site) -> dict[str, Link]:
    """The site's key pages, kept in the cache until any page is published, moved or deleted."""
    return remember(
        f"key-pages:{site.pk}",
        lambda: {
            name: Link.of(page, site) for name, page in _find_key_pages(site.root_page).items()
        },
    )


def _find_key_pages(root: Page) -> dict[str, Page]:
    types: dict[int, str] = {}
    for name, label in PAGE_TYPES.items():
        app_label, model = label.split(".")
        try:
            types[ContentType.objects.get_by_natural_key(app_label, model.lower()).pk] = name
        except ContentType.DoesNotExist:  # an app that is not installed
            continue
    slugs = {slug: name for name, options in PAGE_SLUGS.items() for slug in options}
    candidates = (
        Page.objects.descendant_of(root)
        .filter(depth__lte=root.depth + KEY_PAGE_DEPTH)
        .filter(Q(content_type_id__in=types) | Q(slug__in=slugs, depth=root.depth + 1))
        .live()
        .public()
        # The shallowest first; of several pages of a type (one per election year), the newest.
        .order_by("depth", "-first_published_at", "path")
        .only("id", "title", "url_path", "path", "depth", "slug", "content_type_id")
    )
    found: dict[str, Page] = {}
    preference = {
        slug: rank for options in PAGE_SLUGS.values() for rank, slug in enumerate(options)
    }
    for page in candidates:
        name = types.get(page.content_type_id)
        if name is None and page.depth == root.depth + 1:
            name = slugs.get(page.slug)
        if name is None:
            continue
        if name in found and name in PAGE_SLUGS:
            # Two standard pages both match: prefer the likelier slug ("privacy" first).
            if preference[page.slug] >= preference[found[name].slug]:
                continue
        elif name in found:
            continue
        found[name] = page
    return found


def menu_pages(site: Site) -> list[Link]:
    """The site's menu pages, kept in the cache until any page is published, moved or deleted."""
    return remember(
        f"menu:{site.pk}",
        lambda: [
            Link.of(page, site)
            for page in site.root_page.get_children()
            .live()
            .public()
            .in_menu()
            .only("id", "title", "url_path", "path", "depth")
        ],
    )


def crumb_ancestors(page: Page) -> list[Page]:
    """The page's ancestors below the root (breadcrumbs and JSON-LD), kept until content changes."""
    ancestors = getattr(page, "_crumb_ancestors", None)
    if ancestors is None:

        def read() -> list[Page]:
            return list(
                page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "path", "depth")
            )

        # A new page in preview has no pk yet: nothing to share with other requests.
        ancestors = remember(f"crumbs:{page.pk}:{page.path}", read) if page.pk else read()
        page._crumb_ancestors = ancestors
    return ancestors
