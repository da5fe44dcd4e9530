"""schema.org JSON-LD for search engines: Organization, BreadcrumbList, articles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from wagtail.models import Page, Site

from .models import SiteSettings


def absolute(request: HttpRequest | None, path: str) -> str:
    if path.startswith(("http://", "https://")) or request is None:
        return path
    return request.build_absolute_uri(path)


def organization(request: HttpRequest | None, site: Site | None = None) -> dict[str, Any]:
    """The network as a schema.org Organization, with its logo and social profiles."""
    if request is not None:
        settings = SiteSettings.for_request(request)  # cached on the request
    else:
        settings = SiteSettings.for_site(site) if site else SiteSettings()
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": settings.organisation_name,
        "alternateName": settings.short_name,
        "url": absolute(request, "/"),
        "logo": absolute(request, static("images/ccin-logo.png")),
        "email": settings.contact_email,
    }
    same_as = [link["url"] for link in settings.social_link_list]
    if same_as:
        data["sameAs"] = same_as
    return data


def breadcrumb_list(page: Page, request: HttpRequest | None) -> dict[str, Any] | None:
    """BreadcrumbList from the home page down to this page (None on the home page)."""
    if page.depth <= 2:
        return None
    ancestors = list(page.get_ancestors().filter(depth__gte=2).only("title", "url_path", "path"))
    items = []
    for position, crumb in enumerate([*ancestors, page], start=1):
        items.append(
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if position == 1 else crumb.title,
                "item": crumb.get_full_url(request),
            }
        )
    return {"@type": "BreadcrumbList", "itemListElement": items}


def graph(*nodes: dict[str, Any] | None) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@graph": [node for node in nodes if node]}
