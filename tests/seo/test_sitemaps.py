"""/sitemap.xml is an index of one paginated sitemap per section (ccin/sitemaps.py).

Crawlers read the index, then each document it names. Together the documents list what
Wagtail's own single sitemap listed, address for address and date for date, and never
anything a visitor could not open; each costs the same queries however big the site.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: N817
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site

from caching.page_cache import PageCacheMiddleware
from caching.versions import bump_version
from ccin import sitemaps
from home.models import StandardPage
from membership.models import MemberCouncil
from news.models import NewsKind, NewsPage
from tests.api.conftest import member, publish

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECTIONS = ["pages", "news", "case-studies", "policy-labs", "publications", "members"]


def parse(response, root_tag: str) -> ET.Element:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, in a test
    assert root.tag == f"{NS}{root_tag}"
    return root


def index_entries(client, **extra) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of every document the index names."""
    root = parse(client.get("/sitemap.xml", **extra), "sitemapindex")
    return [
        (item.findtext(f"{NS}loc"), item.findtext(f"{NS}lastmod"))
        for item in root.iter(f"{NS}sitemap")
    ]


def document_entries(client, location: str, **extra) -> list[tuple[str, str | None]]:
    parts = urlsplit(location)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    root = parse(client.get(path, **extra), "urlset")
    return [
        (url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod")) for url in root.iter(f"{NS}url")
    ]


def all_entries(client, **extra) -> list[tuple[str, str | None]]:
    """Every (loc, lastmod) across all the documents of the index, repeats kept."""
    return [
        entry
        for location, _lastmod in index_entries(client, **extra)
        for entry in document_entries(client, location, **extra)
    ]


def sitemap_documents(client, **extra) -> str:
    """The index and every document it names, one after another (for other tests to search)."""
    index = client.get("/sitemap.xml", **extra)
    assert index.status_code == 200
    texts = [index.content.decode()]
    for location, _lastmod in index_entries(client, **extra):
        parts = urlsplit(location)
        response = client.get(parts.path, dict(parse_qsl(parts.query)), **extra)
        assert response.status_code == 200, location
        texts.append(response.content.decode())
    return "\n".join(texts)


def wagtail_entries(host: str = "testserver") -> list[tuple[str, str | None]]:
    """What Wagtail's own single sitemap (the one /sitemap.xml used to be) lists."""
    response = wagtail_sitemap(RequestFactory().get("/sitemap.xml", HTTP_HOST=host))
    root = ET.fromstring(response.render().content)  # noqa: S314
    return [
        (url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod")) for url in root.iter(f"{NS}url")
    ]


def section_of(location: str) -> str:
    return urlsplit(location).path.removeprefix("/sitemap-").removesuffix(".xml")


def test_index_names_each_section_with_its_latest_change(client, published_site):
    entries = index_entries(client)
    assert [section_of(location) for location, _ in entries] == SECTIONS
    for location, lastmod in entries:
        assert location.startswith("http://testserver/sitemap-"), location
        assert urlsplit(location).query == ""  # one document each at this size
        assert lastmod, location
    news_pages = Page.objects.type(NewsPage).live().public()
    later = timezone.now() + timezone.timedelta(days=3)
    news_pages.filter(pk=published_site.article.pk).update(last_published_at=later)
    bump_version("republished")  # what a publish does (the update above sends no signal)
    lastmods = {section_of(location): lastmod for location, lastmod in index_entries(client)}
    assert lastmods["news"].startswith(later.date().isoformat())
    assert not lastmods["pages"].startswith(later.date().isoformat())


def test_sections_list_exactly_what_wagtails_sitemap_did(client, published_site):
    entries = all_entries(client)
    assert Counter(entries) == Counter(wagtail_entries())
    assert max(Counter(location for location, _ in entries).values()) == 1
    locations = {location for location, _ in entries}
    assert "http://testserver/news/category/governance/" in locations
    assert "http://testserver/membership/members/oldham-council/" in locations
    assert all(lastmod for _location, lastmod in entries)


def test_each_address_is_in_its_own_section(client, published_site):
    by_section = {
        section_of(location): {loc for loc, _ in document_entries(client, location)}
        for location, _ in index_entries(client)
    }
    assert "http://testserver/news/elections-2026/" in by_section["news"]
    assert "http://testserver/news/category/governance/" in by_section["news"]
    assert "http://testserver/case-studies/community-led-housing/" in by_section["case-studies"]
    assert "http://testserver/policy-labs/community-wealth-building/" in by_section["policy-labs"]
    assert (
        "http://testserver/publications/co-operative-council-report/" in by_section["publications"]
    )
    assert "http://testserver/membership/members/cardiff-council/" in by_section["members"]
    assert {"http://testserver/", "http://testserver/about/"} <= by_section["pages"]


def test_drafts_private_embargoed_and_unlisted_never_appear(client, published_site):
    locations = " ".join(location for location, _ in all_entries(client))
    for hidden in ("draft-statement", "embargoed-statement", "members-only"):
        assert f"/news/{hidden}/" not in locations
    for unlisted in ("an-affiliate-person", "a-supporter-org", "formerly-borough-council"):
        assert unlisted not in locations
    published_site.directory.unpublish()
    locations = " ".join(location for location, _ in all_entries(client))
    assert "/membership/members/" not in locations
    assert "members" not in [section_of(location) for location, _ in index_entries(client)]


def test_documents_are_paginated_and_bad_pages_are_404(client, published_site, monkeypatch):
    whole = Counter(all_entries(client))
    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 2)
    documents = [location for location, _ in index_entries(client)]
    assert "http://testserver/sitemap-news.xml?p=2" in documents
    assert Counter(all_entries(client)) == whole  # nothing lost or repeated between pages
    assert document_entries(client, "/sitemap-news.xml?p=1") == document_entries(
        client, "/sitemap-news.xml"
    )
    last = max(int(loc.split("?p=")[1]) for loc in documents if "sitemap-news.xml?p=" in loc)
    for bad in [str(last + 1), "0", "-1", "abc", "1.5", "9" * 5000, ""]:
        response = client.get("/sitemap-news.xml", {"p": bad})
        assert response.status_code == 404, bad
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-.xml").status_code == 404


def test_addresses_name_the_configured_site_not_the_host_claimed(client, published_site):
    entries = all_entries(client, HTTP_HOST="localhost")
    assert entries and all(loc.startswith("http://testserver/") for loc, _ in entries)
    assert all(
        loc.startswith("http://testserver/")
        for loc, _ in index_entries(client, HTTP_HOST="localhost")
    )


def test_only_the_requesting_sites_pages_are_listed(client, published_site):
    other_home = Page.get_first_root_node().add_child(
        instance=StandardPage(title="Other home", slug="other-home")
    )
    other_home.save_revision().publish()
    publish(other_home, StandardPage(title="Only elsewhere", slug="only-elsewhere"))
    Site.objects.create(hostname="localhost", port=80, root_page=other_home)
    ours = all_entries(client)
    assert "only-elsewhere" not in " ".join(loc for loc, _ in ours)
    theirs = all_entries(client, HTTP_HOST="localhost")
    assert [loc for loc, _ in theirs] == ["http://localhost/", "http://localhost/only-elsewhere/"]
    assert Counter(ours) == Counter(wagtail_entries())
    assert Counter(theirs) == Counter(wagtail_entries("localhost"))


def add_content(site, n: int) -> None:
    """n more articles, standard pages and listed members."""
    for i in range(n):
        publish(
            site.news_index,
            NewsPage(
                title=f"Extra {i}", slug=f"extra-{i}", kind=NewsKind.NEWS, category=site.governance
            ),
        )
        publish(site.home, StandardPage(title=f"Extra page {i}", slug=f"extra-page-{i}"))
        member(f"Extra council {i}", f"extra-council-{i}")


def document_queries(client) -> dict[str, int]:
    counts = {}
    for location in ["/sitemap.xml", *(f"/sitemap-{name}.xml" for name in SECTIONS)]:
        client.get(location)  # warm: Wagtail's site root paths and content types cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(location).status_code == 200
        counts[location] = len(queries)
    return counts


def test_queries_per_document_do_not_grow_with_the_content(client, published_site):
    small = document_queries(client)
    add_content(published_site, 25)
    large = document_queries(client)
    assert large == small
    assert max(large.values()) <= 10
    assert len(all_entries(client)) >= 75


def test_documents_are_cached_and_forgotten_on_publish(client, published_site, site_settings):
    with override_settings(CCIN_PAGE_CACHE_SECONDS=3600):
        cache.clear()
        for path in ["/sitemap.xml", "/sitemap-news.xml", "/sitemap-news.xml?p=1"]:
            assert client.get(path)[PageCacheMiddleware.HEADER] == "miss"
            assert client.get(path)[PageCacheMiddleware.HEADER] == "hit"
        publish(
            published_site.news_index,
            NewsPage(
                title="Fresh", slug="fresh", kind=NewsKind.NEWS, category=published_site.governance
            ),
        )
        response = client.get("/sitemap-news.xml")
        assert response[PageCacheMiddleware.HEADER] == "miss"
        assert "http://testserver/news/fresh/" in response.content.decode()
        MemberCouncil.objects.filter(slug="cardiff-council").delete()
        response = client.get("/sitemap-members.xml")
        assert "cardiff-council" not in response.content.decode()
