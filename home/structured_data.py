"""schema.org JSON-LD for search engines: Organization, BreadcrumbList, articles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from wagtail.models import Page, Site

from .hosts import absolute_url
from .images import rendition_or_none
from .models.settings import SiteSettings
from .templatetags.navigation_tags import crumb_ancestors


def absolute(request: HttpRequest | None, path: str) -> str:
    if path.startswith(("http://", "https://")) or request is None:
        return path
    return absolute_url(request, path)


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


def breadcrumb_list(
    page: Page, request: HttpRequest | None, extra: list[tuple[str, str]] | None = None
) -> dict[str, Any] | None:
    """BreadcrumbList from the home page down to this page (None on the home page).

    ``extra`` adds (name, absolute URL) crumbs below the page, for routable sub-pages such
    as a member profile or a news category.
    """
    if page.depth <= 2:
        return None
    ancestors = crumb_ancestors(page)
    crumbs = [
        ("Home" if position == 0 else crumb.title, crumb.get_full_url(request))
        for position, crumb in enumerate([*ancestors, page])
    ]
    crumbs += extra or []
    items = [
        {"@type": "ListItem", "position": position, "name": name, "item": url}
        for position, (name, url) in enumerate(crumbs, start=1)
    ]
    return {"@type": "BreadcrumbList", "itemListElement": items}


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def image_url(image, request: HttpRequest | None, spec: str = "fill-1200x630") -> str | None:
    """Absolute URL of an image rendition at the size search engines and social sites use."""
    rendition = rendition_or_none(image, spec) if image is not None else None
    return absolute(request, rendition.url) if rendition is not None else None


def article(
    page: Page,
    request: HttpRequest | None,
    *,
    schema_type: str = "Article",
    date_published: datetime | date | str | None = None,
    date_modified: datetime | date | str | None = None,
    authors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A schema.org Article (or subtype) for a page: headline, dates, author, publisher, image.

    Without authors the network itself is the author, as it is the publisher.
    """
    url = page.get_full_url(request)
    publisher = organization(request)
    published = date_published or page.first_published_at or timezone.now()
    modified = date_modified or page.last_published_at or published
    data: dict[str, Any] = {
        "@type": schema_type,
        "headline": page.title[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published if isinstance(published, str) else iso(published),
        "dateModified": modified if isinstance(modified, str) else iso(modified),
        "author": authors or [{"@type": "Organization", "name": publisher["name"]}],
        "publisher": publisher,
        "inLanguage": "en-GB",
    }
    description = getattr(page, "meta_description", "")
    if description:
        data["description"] = description
    image = image_url(getattr(page, "social_image", None), request)
    if image:
        data["image"] = [image]
    data.update({key: value for key, value in extra.items() if value})
    return data


def media_object(request: HttpRequest | None, document) -> dict[str, Any] | None:
    """A page's downloadable document (a report's or an issue's PDF) as a MediaObject."""
    if not document:
        return None
    return {
        "@type": "MediaObject",
        "name": document.title,
        "contentUrl": absolute(request, document.url),
        "encodingFormat": document.content_type,
    }


def organisations(names: list[str]) -> list[dict[str, Any]]:
    """Councils or partners as schema.org Organizations, in the order given."""
    return [{"@type": "Organization", "name": name} for name in names if name]


def graph(*nodes: dict[str, Any] | None) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@graph": [node for node in nodes if node]}
