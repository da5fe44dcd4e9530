"""``/sitemap.xml``: a sitemap index, with one paginated sitemap per section of the site.

Wagtail's own sitemap loads every page as its specific type and asks each for its full URL,
which grows with the site. Here a section's pages are read as ``(url_path, last published)``
rows in one query and their URLs worked out the way ``Page.get_url_parts`` does (the most
specific site root path, the request's site preferred, then ``wagtail_serve``), so a
document costs the same few queries at any size. Only page types that add addresses of
their own by overriding ``get_sitemap_urls`` (the news index's category pages, the member
directory's profiles) are loaded as pages and asked, one of each per site.

Addresses follow Wagtail's ``Site.root_url`` (``home/hosts.py``), never the Host header.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Site, get_page_models

from caching.versions import remember
from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    PolicyLabsIndexPage,
    PolicyProjectPage,
    PublicationIndexPage,
    PublicationPage,
)
from home.hosts import absolute_url
from membership.models import MemberDirectoryPage
from news.models import NewsIndexPage, NewsPage

# Addresses per document: far below the protocol's 50,000 (and 50 MB), and few enough that a
# full document renders in a small part of the time the single sitemap took.
PAGE_SIZE = 500
# ASCII slugs, each with its slash: reverse("wagtail_serve") adds only its prefix to these.
PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_-]+/)*")
# Wagtail's rule: the last change, or the first draft's date for pages from before it kept one.
LASTMOD = Coalesce("last_published_at", "latest_revision_created_at")


@dataclass(frozen=True)
class Section:
    """Where a page type is listed: ``/sitemap-<name>.xml``."""

    name: str
    page_types: tuple[type[Page], ...]  # empty: every page type no other section takes


SECTIONS = {
    section.name: section
    for section in (
        Section("pages", ()),
        Section("news", (NewsIndexPage, NewsPage)),
        Section("case-studies", (CaseStudyIndexPage, CaseStudyPage)),
        Section("policy-labs", (PolicyLabsIndexPage, PolicyProjectPage)),
        Section("publications", (PublicationIndexPage, PublicationPage)),
        Section("members", (MemberDirectoryPage,)),
    )
}


def content_types(models) -> frozenset[int]:
    """Content type ids of ``models`` (Django's content type cache: no query after the first)."""
    found = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return frozenset(content_type.pk for content_type in found.values())


def own_urls_types() -> frozenset[int]:
    """Page types that list more than themselves (their own ``get_sitemap_urls``)."""
    return content_types(
        model for model in get_page_models() if model.get_sitemap_urls is not Page.get_sitemap_urls
    )


def section_of(content_type_id: int) -> Section:
    for section in SECTIONS.values():
        if section.page_types and content_type_id in content_types(section.page_types):
            return section
    return SECTIONS["pages"]


def taken_types() -> frozenset[int]:
    return content_types(model for section in SECTIONS.values() for model in section.page_types)


def section_types(section: Section) -> frozenset[int]:
    if section.page_types:
        return content_types(section.page_types)
    # The page types no other section takes, named (an index lookup), not "all but those"
    # (a scan of every page, which grows with the site).
    return content_types(get_page_models()) - taken_types()


def section_filter(section: Section) -> Q:
    return Q(content_type__in=section_types(section))


def may_list_own(section: Section) -> bool:
    """Whether any page type in ``section`` lists addresses of its own."""
    if section.page_types:
        return bool(own_urls_types() & content_types(section.page_types))
    return bool(own_urls_types() - taken_types())


class SiteAddresses:
    """Absolute URLs from url_paths, as ``Page.get_full_url(request)`` gives them."""

    def __init__(self, request: HttpRequest, site: Site):
        self.site = site
        # The per-request copy Wagtail reads (moved to the address in use in development).
        if not hasattr(request, "_wagtail_cached_site_root_paths"):
            request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        self.roots = request._wagtail_cached_site_root_paths
        self.prefix = reverse("wagtail_serve", args=("",))

    def url(self, url_path: str) -> str | None:
        possible = [root for root in self.roots if url_path.startswith(root.root_path)]
        if not possible:
            return None
        chosen = possible[0]  # the most specific root path first
        if len({root.site_id for root in possible}) > 1:
            chosen = next((root for root in possible if root.site_id == self.site.pk), chosen)
        rest = url_path[len(chosen.root_path) :]
        if PLAIN_PATH.fullmatch(rest):
            path = self.prefix + rest  # what reverse() gives: nothing to quote or refuse
        else:
            try:
                path = reverse("wagtail_serve", args=(rest,))
            except NoReverseMatch:
                return None
        if not WAGTAIL_APPEND_SLASH and path != "/":
            path = path.rstrip("/")
        return chosen.root_url + path


def own_entries(
    request: HttpRequest, site: Site, pages
) -> list[tuple[Section, list[dict[str, Any]]]]:
    """``read_own_entries`` of all the site's ``pages``, remembered until content changes:
    every document and the index need them, and the news index's category dates are an
    aggregate over every article."""
    return remember(f"sitemap:own-entries:{site.pk}", lambda: read_own_entries(request, pages))


def read_own_entries(request: HttpRequest, pages) -> list[tuple[Section, list[dict[str, Any]]]]:
    """Each page among ``pages`` whose type lists addresses of its own, with those addresses."""
    own_types = own_urls_types()
    if not own_types:
        return []
    found = pages.filter(content_type__in=own_types).order_by("path").defer_streamfields()
    return [
        (
            section_of(page.content_type_id),
            [entry for entry in page.get_sitemap_urls(request) if entry.get("location")],
        )
        for page in found.specific()
    ]


class SectionListing:
    """A section's ``<url>`` items in a fixed order: the pages that list their own addresses
    (with those addresses), then every other page by tree path. Sliced lazily by the
    paginator."""

    def __init__(self, request: HttpRequest, site: Site, pages, section: Section):
        self.addresses = SiteAddresses(request, site)
        self.site, self.section = site, section
        self.zone = timezone.get_current_timezone()
        own = own_entries(request, site, pages) if may_list_own(section) else []
        self.own = [entry for of, entries in own if of == section for entry in entries]
        self._count = len(self.own) + section_totals(site, pages)[section.name][0]
        self.kinds = sorted(section_types(section) - own_urls_types())
        self.pages = pages
        self.plain = pages.filter(content_type__in=self.kinds).order_by("path")

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self.count()

    def document_pages(self) -> dict[int, tuple[int, ...]]:
        """Each document's plain pages: offset among them → their ids, in tree order,
        remembered until content changes. A document then reads its pages by id, at any
        size of the site: SQLite cannot use the path index for the path prefix (a LIKE), so
        an OFFSET window, even the first document's, walks the tree from the top."""

        def read() -> dict[int, tuple[int, ...]]:
            skip = len(self.own)
            ids = list(self.plain.values_list("pk", flat=True))
            offsets = sorted(
                {max(n * PAGE_SIZE - skip, 0) for n in range(math.ceil(self._count / PAGE_SIZE))}
            )
            ends = [*offsets[1:], len(ids)]
            return {begin: tuple(ids[begin:end]) for begin, end in zip(offsets, ends, strict=True)}

        key = f"sitemap:documents:{PAGE_SIZE}:{self.site.pk}:{self.section.name}"
        return remember(key, read, shared=True)  # read only: no copy per request

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        start, stop = window.start or 0, window.stop
        skip = len(self.own)
        first, last = max(start - skip, 0), max(stop - skip, 0)
        columns = ("url_path", "last_published_at", "latest_revision_created_at")
        rows = self.plain.values_list(*columns)
        if last <= first:
            rows = rows.none()
        elif (ids := self.document_pages().get(first)) is not None and len(ids) <= last - first:
            rows = self.pages.filter(pk__in=ids).order_by("path").values_list(*columns)
        else:  # not a document's window
            rows = rows[first:last]
        return self.own_items()[start:stop] + [
            url_item({"location": location, "lastmod": published or first_draft}, self.zone)
            for url_path, published, first_draft in rows
            if (location := self.addresses.url(url_path))
        ]

    def own_items(self) -> list[str]:
        """The section's own addresses written as ``<url>`` items, remembered until content
        changes with the entries they are written from (the member directory's profiles
        fill whole documents of them)."""
        if not self.own:
            return []
        key = f"sitemap:own-items:{self.site.pk}:{self.section.name}"
        items = lambda: [url_item(entry, self.zone) for entry in self.own]  # noqa: E731
        return remember(key, items, shared=True)


def moment(value: date | datetime) -> datetime:
    """A lastmod as an aware datetime, so dates and datetimes compare (as Django's index does)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def day(value: date | datetime, zone: tzinfo) -> str:
    """A lastmod as Django's sitemap template writes it: the date in the site's time zone."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = value.astimezone(zone)
    return value.strftime("%Y-%m-%d")


def xml_response(root: str, items: list[str]) -> HttpResponse:
    """A sitemaps-protocol document. Written directly: a template's per-address lookups
    cost more than everything else in a thousand-address document."""
    content = "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
            *items,
            f"</{root}>\n",
        ]
    )
    response = HttpResponse(content, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's views do
    return response


def url_item(entry: dict[str, Any], zone: tzinfo) -> str:
    parts = [f"<url><loc>{escape(entry['location'])}</loc>"]
    if entry.get("lastmod"):
        parts.append(f"<lastmod>{day(entry['lastmod'], zone)}</lastmod>")
    for optional in ("changefreq", "priority"):  # Wagtail lets get_sitemap_urls give these
        if entry.get(optional) not in (None, ""):
            parts.append(f"<{optional}>{escape(entry[optional])}</{optional}>")
    parts.append("</url>\n")
    return "".join(parts)


def site_and_pages(request: HttpRequest):
    """The request's Wagtail site (else the default one) and its live, public pages."""
    site = Site.find_for_request(request)
    if site is None:
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:
        raise Http404("No site to list.")
    return site, site.root_page.get_descendants(inclusive=True).live().public()


def section_totals(site: Site, pages) -> dict[str, tuple[int, Any]]:
    """Each section's count of plain pages (those not listing their own addresses) and its
    latest change, in one query. Counting every page grows with the site, and the index and
    every document need it: remembered until content changes."""
    names = {section.name: f"s{n}" for n, section in enumerate(SECTIONS.values())}

    def count() -> dict[str, Any]:
        return pages.exclude(content_type__in=own_urls_types()).aggregate(
            **{
                f"{names[section.name]}_count": Count("pk", filter=section_filter(section))
                for section in SECTIONS.values()
            },
            **{
                f"{names[section.name]}_lastmod": Max(LASTMOD, filter=section_filter(section))
                for section in SECTIONS.values()
            },
        )

    totals = remember(f"sitemap:totals:{site.pk}", count)
    return {name: (totals[f"{key}_count"], totals[f"{key}_lastmod"]) for name, key in names.items()}


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Each section's documents, with the latest change in the section as their lastmod."""
    site, pages = site_and_pages(request)
    totals = section_totals(site, pages)
    counts = {name: count for name, (count, _lastmod) in totals.items()}
    dates = {name: [lastmod] for name, (_count, lastmod) in totals.items()}
    for section, entries in own_entries(request, site, pages):
        counts[section.name] += len(entries)
        dates[section.name] += [entry.get("lastmod") for entry in entries]
    items = []
    for name, count in counts.items():
        if not count:
            continue  # nothing to list: no document
        location = absolute_url(request, reverse("sitemap_section", kwargs={"section": name}))
        lastmod = max((moment(when) for when in dates[name] if when), default=None)
        stamp = f"<lastmod>{timezone.localtime(lastmod).isoformat()}</lastmod>" if lastmod else ""
        items += [
            f"<sitemap><loc>{escape(location if n == 1 else f'{location}?p={n}')}</loc>"
            f"{stamp}</sitemap>\n"
            for n in range(1, math.ceil(count / PAGE_SIZE) + 1)
        ]
    return xml_response("sitemapindex", items)


def section_sitemap(request: HttpRequest, section: str) -> HttpResponse:
    """One document (``?p=N``, Django's convention) of one section's addresses."""
    found = SECTIONS.get(section)
    if found is None:
        raise Http404("No such sitemap.")
    site, pages = site_and_pages(request)
    try:
        page = Paginator(SectionListing(request, site, pages, found), PAGE_SIZE).page(
            request.GET.get("p", 1)
        )
    except InvalidPage as error:  # not a number, or past the last document
        raise Http404("No such page of this sitemap.") from error
    return xml_response("urlset", page.object_list)
