"""The demo site as a new visitor, a crawler and a link preview meet it.

One crawl of the demo content from the home page answers three questions an outside
reviewer asks: can every page in the sitemap be reached within three clicks, does any page,
feed, API answer or download carry placeholder wording, and does every page give link
previews a picture with its size.
"""

from __future__ import annotations

import re
from collections import deque
from io import StringIO
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Site

# Wording that promises content instead of giving it (issue 16's list, as whole words).
PLACEHOLDER = re.compile(
    r"\b(to follow|placeholder|lorem|none recorded|no \w+ recorded|tbc|coming soon)\b", re.I
)
CLICKS = 3
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SKIP_PREFIXES = ("/admin/", "/static/", "/media-files/", "/documents/", "/api/", "/_util/")


@pytest.fixture(scope="module")
def crawl(module_atomic, django_db_blocker):
    """Load the demo content once and crawl it breadth-first from the home page."""
    from django.test import Client

    with django_db_blocker.unblock():
        call_command("load_demo_content", stdout=StringIO())
        site = Site.objects.get(is_default_site=True)
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
        client = Client(HTTP_HOST=host)
        depth: dict[str, int] = {"/": 0}
        pages: dict[str, str] = {}
        queue = deque(["/"])
        while queue:
            path = queue.popleft()
            response = client.get(path)
            assert response.status_code == 200, f"{path} answers {response.status_code}"
            if not response["Content-Type"].startswith("text/html"):
                continue  # the sitemap, robots.txt: linked, but not pages
            html = response.content.decode()
            pages[path] = html
            if depth[path] == CLICKS:
                continue
            for link in internal_links(html, path, host):
                if link not in depth:
                    depth[link] = depth[path] + 1
                    queue.append(link)
        yield client, host, depth, pages


def internal_links(html: str, base: str, host: str) -> set[str]:
    """The site's own page addresses a visitor can follow from ``html``.

    Query strings are dropped except a bare page number, which is how a visitor reaches the
    later items of a listing; filter combinations are not separate pages.
    """
    found = set()
    for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        url = urlsplit(urljoin(f"http://{host}{base}", anchor["href"]))
        if url.netloc != host or url.scheme not in ("http", "https"):
            continue
        if url.path.startswith(SKIP_PREFIXES) or "/feed" in url.path:
            continue
        page = re.fullmatch(r"page=\d+", url.query or "")
        found.add(url.path + (f"?{url.query}" if page else ""))
    return found


def visible_text(html: str) -> str:
    """What a reader sees or hears: text, alt text and the description previews show."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    extra = [img.get("alt", "") for img in soup.find_all("img")]
    extra += [meta.get("content", "") for meta in soup.find_all("meta") if meta.get("content")]
    return " ".join([soup.get_text(" "), *extra])


def sitemap_paths(client) -> set[str]:
    """Every page address the sitemap (or each sitemap of a sitemap index) lists."""
    paths, queue = set(), ["/sitemap.xml"]
    while queue:
        response = client.get(queue.pop())
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
        for sitemap in root.iterfind("sm:sitemap/sm:loc", SITEMAP_NS):
            queue.append(urlsplit(sitemap.text).path)
        paths |= {urlsplit(loc.text).path for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS)}
    return paths


@pytest.mark.django_db
class TestPublicFace:
    def test_every_sitemap_page_is_within_three_clicks_of_home(self, crawl):
        client, _host, depth, _pages = crawl
        listed = sitemap_paths(client)
        assert len(listed) > 50  # the whole demo site, not an empty sitemap
        reached = {path.split("?")[0] for path in depth}
        assert sorted(listed - reached) == []

    def test_key_pages_are_one_click_from_home(self, crawl):
        _client, _host, depth, _pages = crawl
        for path in [
            "/news/",
            "/case-studies/",
            "/membership/",
            "/membership/elections-2026/",
            "/principles/",
            "/dynamic-purchasing-system/",
            "/policy-labs/",
            "/publications/",
            "/privacy/",
            "/accessibility-statement/",
            "/contact/",
        ]:
            assert depth.get(path) == 1, f"{path} is not linked from the home page"

    def test_no_page_shows_placeholder_wording(self, crawl):
        _client, _host, _depth, pages = crawl
        found = {
            path: PLACEHOLDER.findall(visible_text(html))
            for path, html in pages.items()
            if PLACEHOLDER.search(visible_text(html))
        }
        assert found == {}

    def test_no_feed_api_answer_or_document_carries_placeholder_wording(self, crawl):
        client, _host, _depth, pages = crawl
        feeds = set()
        for html in pages.values():
            for link in BeautifulSoup(html, "html.parser").find_all("link", rel="alternate"):
                url = urlsplit(link["href"])
                feeds.add(url.path + (f"?{url.query}" if url.query else ""))
        assert "/news/feed/" in {feed.split("?")[0] for feed in feeds}
        answers = [*sorted(feeds)]
        for endpoint in ["pages", "members", "suppliers", "images", "documents"]:
            listing = client.get(f"/api/v2/{endpoint}/?limit=100").json()
            assert listing["meta"]["total_count"] <= 100  # one page holds the demo's items
            answers += [f"/api/v2/{endpoint}/{item['id']}/" for item in listing["items"]]
        for path in answers:
            response = client.get(path)
            assert response.status_code == 200, path
            assert not PLACEHOLDER.search(response.content.decode()), path
        for document in get_document_model().objects.all():
            with document.file.open("rb") as stored:
                data = stored.read().decode("latin-1")
            assert not PLACEHOLDER.search(data), document.title
            assert not PLACEHOLDER.search(document.title), document.title

    def test_every_page_gives_link_previews_a_sized_picture(self, crawl):
        client, _host, _depth, pages = crawl
        for path, html in pages.items():
            soup = BeautifulSoup(html, "html.parser")
            meta = {
                tag.get("property"): tag.get("content")
                for tag in soup.find_all("meta", property=True)
            }
            assert meta.get("og:image", "").startswith("http"), path
            assert int(meta["og:image:width"]) >= 600, path
            assert int(meta["og:image:height"]) >= 315, path
            assert meta.get("og:image:alt"), path

    def test_listings_and_articles_show_real_images_with_alt_text(self, crawl):
        _client, _host, _depth, pages = crawl

        def first_under(section: str) -> str:
            return next(p for p in sorted(pages) if re.fullmatch(rf"{section}[\w-]+/", p))

        article = first_under("/news/")
        publication = first_under("/publications/")
        for path in [
            "/",
            "/news/",
            article,
            "/case-studies/",
            first_under("/case-studies/"),
            "/publications/",
            publication,
        ]:
            images = BeautifulSoup(pages[path], "html.parser").find_all("img")
            assert images, f"{path} shows no image"
            assert all(img.has_attr("alt") for img in images), path
            assert all(img.get("width") and img.get("height") for img in images), path
        covers = BeautifulSoup(pages[publication], "html.parser").find_all("img")
        assert any(img["alt"] for img in covers), "a report cover needs alt text"

    def test_search_results_share_the_home_page_card(self, crawl):
        client, _host, _depth, _pages = crawl
        html = client.get("/search/?q=council").content.decode()
        soup = BeautifulSoup(html, "html.parser")
        image = soup.find("meta", property="og:image")["content"]
        assert "/social-cards/page/" in image
        assert client.get(urlsplit(image).path).status_code in (200, 302)
        assert soup.find("meta", property="og:image:width")["content"] == "1200"
