"""Site navigation: primary menu and breadcrumbs."""

from django import template
from wagtail.models import Page, Site

from caching.versions import remember

register = template.Library()


@register.inclusion_tag("components/primary_nav.html", takes_context=True)
def primary_nav(context) -> dict:
    """Children of the site root marked "show in menus", with the current section marked."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site is not None:
        items = menu_pages(site)
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
    return {"crumbs": crumb_ancestors(page), "current": page, "extra": extra or []}


def menu_pages(site: Site) -> list[Page]:
    """The site's menu pages, kept in the cache until any page is published, moved or deleted."""
    return remember(
        f"menu:{site.pk}",
        lambda: list(
            site.root_page.get_children()
            .live()
            .public()
            .in_menu()
            .only("id", "title", "url_path", "path", "depth")
        ),
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
