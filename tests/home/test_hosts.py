"""Absolute links name the address in use in development, and only the configured site's in
production, whatever Host a request claims (home/hosts.py)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.test import Client, override_settings
from wagtail.models import Page, Site

from ccin.settings import dev as dev_settings
from home.hosts import DevelopmentHostMiddleware
from home.models import StandardPage
from tests.api import conftest as api_fixtures
from tests.home.test_settings import STRONG_KEY, run_manage
from tests.seo.test_sitemaps import sitemap_documents

# The API tests' published site: one page of every public type.
published_site, image = api_fixtures.published_site, api_fixtures.image

ARTICLE = "/news/elections-2026/"
CASE_STUDY = "/case-studies/community-led-housing/"


def links_on(client: Client, host: str) -> dict[str, object]:
    """Every absolute address a visitor, crawler, reader or partner is given, served as ``host``."""

    def get(path: str, **extra):
        response = client.get(path, HTTP_HOST=host, **extra)
        assert response.status_code in (200, 302), (path, response.status_code)
        return response

    about = BeautifulSoup(get("/about/").content, "html.parser")
    article = BeautifulSoup(get(ARTICLE).content, "html.parser")
    sitemap = sitemap_documents(client, HTTP_HOST=host)  # the index and its documents
    news_rss = feedparser.parse(get("/news/feed/").content)
    news_atom = feedparser.parse(get("/news/feed/atom/").content)
    case_rss = feedparser.parse(get("/case-studies/feed/?theme=housing").content)
    found = get("/api/v2/pages/find/", data={"html_path": ARTICLE})
    return {
        "canonical": about.find("link", rel="canonical")["href"],
        "og:url": about.find("meta", property="og:url")["content"],
        "article canonical": article.find("link", rel="canonical")["href"],
        "share links": [unquote(a["href"]) for a in article.select(".share-links a")],
        "copy link": article.select_one("[data-copy-url]")["data-copy-url"],
        "sitemap": re.findall(r"<loc>([^<]+)</loc>", sitemap),
        "news feed": [news_rss.feed.link, *(e.link for e in news_rss.entries)],
        "news feed self": [link.href for link in news_atom.feed.links if link.rel == "self"],
        "news atom": [news_atom.feed.link, *(e.link for e in news_atom.entries)],
        "case-study feed": [case_rss.feed.link, *(e.link for e in case_rss.entries)],
        "case-study feed self": [link.href for link in case_rss.feed.links if link.rel == "self"],
        "api find": found["Location"],
    }


def assert_all_on(links: dict[str, object], origin: str) -> None:
    shares = links.pop("share links")
    assert len(shares) == 5
    for url in shares:  # the article's address inside each sharing service's own
        assert f"{origin}{ARTICLE}" in url, url
    for surface, found in links.items():
        urls = found if isinstance(found, list) else [found]
        assert urls, surface
        for url in urls:
            assert url.startswith(f"{origin}/"), (surface, url)
    assert links["canonical"] == f"{origin}/about/"
    assert links["article canonical"] == f"{origin}{ARTICLE}"
    assert links["copy link"] == f"{origin}{ARTICLE}"
    assert f"{origin}{CASE_STUDY}" in links["case-study feed"]
    assert links["case-study feed self"] == [f"{origin}/case-studies/feed/?theme=housing"]
    assert links["news feed self"] == [f"{origin}/news/feed/atom/"]
    assert re.fullmatch(rf"{re.escape(origin)}/api/v2/pages/\d+/\?", links["api find"])


def dev_like(**settings):
    """The dev settings' middleware and DEBUG, with hosts a browser might use."""
    return override_settings(
        DEBUG=True,
        MIDDLEWARE=dev_settings.MIDDLEWARE,
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "[::1]", "testserver"],
        **settings,
    )


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        # `make run HOST=127.0.0.1:8001`
        ("127.0.0.1:8001", "http://127.0.0.1:8001"),
        # `runserver 0.0.0.0:9000`, visited as localhost:9000
        ("localhost:9000", "http://localhost:9000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("localhost", "http://localhost"),
    ],
)
def test_in_development_every_absolute_link_follows_the_host_and_port_in_use(
    published_site, host, origin
):
    # The demo's record, whatever port the server is really on.
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    Site.clear_site_root_paths_cache()
    with dev_like():
        assert_all_on(links_on(Client(), host), origin)


def test_in_development_a_second_site_keeps_its_own_address(published_site, rf):
    """Only the site serving the request moves: a link to another site still names it."""
    microsite = StandardPage(title="Co-op Congress", slug="congress")
    Page.get_first_root_node().add_child(instance=microsite)
    Site.objects.create(hostname="congress.example", port=443, root_page=microsite)
    request = rf.get("/", HTTP_HOST="localhost:9000")
    with dev_like():
        DevelopmentHostMiddleware(lambda request: HttpResponse())(request)
    assert published_site.article.get_full_url(request) == f"http://localhost:9000{ARTICLE}"
    assert Site.find_for_request(request).root_url == "http://localhost:9000"
    assert microsite.get_full_url(request) == "https://congress.example/"
    # The records themselves are untouched.
    assert Site.objects.get(is_default_site=True).root_url == "http://testserver"


@pytest.fixture
def configured_site(published_site) -> Site:
    """The production site's record: its public https address."""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "councils.coop", 443
    site.save()
    return site


@pytest.mark.parametrize("middleware", ["production", "dev middleware listed by mistake"])
def test_in_production_a_forged_host_never_reaches_a_link(configured_site, middleware):
    # A wildcard lets the forged host past ALLOWED_HOSTS: links must still name the site.
    chosen = {"MIDDLEWARE": dev_settings.MIDDLEWARE} if middleware != "production" else {}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[".councils.coop"], **chosen):
        links = links_on(Client(), "evil.councils.coop")
    assert_all_on(links, "https://councils.coop")


def test_production_settings_never_load_the_development_host_middleware():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, *settings.MIDDLEWARE)",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="councils.coop",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"
    assert "home.hosts.DevelopmentHostMiddleware" not in result.stdout
    assert "home.hosts.DevelopmentHostMiddleware" in dev_settings.MIDDLEWARE
