"""Site navigation: primary menu and breadcrumbs."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("components/primary_nav.html", takes_context=True)
def primary_nav(context) -> dict:
    """Children of the site root marked "show in menus", with the current section marked."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site is not None:
        root = site.root_page
        items = list(
            root.get_children().live().public().in_menu().only("id", "title", "url_path", "path")
        )
        for item in items:
            item.is_current = bool(current) and (
                current.path.startswith(item.path) and current.depth >= item.depth
            )
    return {"items": items, "request": request}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page: Page | None = None, extra: list | None = None) -> dict:
    """Ancestors from the home page down to the current page (nothing on the home page)."""
    page = page or context.get("page")
    if page is None or page.depth <= 2:
        return {"crumbs": []}
    ancestors = list(page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "path"))
    return {"crumbs": ancestors, "current": page, "extra": extra or []}
