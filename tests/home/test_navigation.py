"""Every public page can be found: the footer links the key pages, the home page invites
people to join, and everything is within three clicks of the home page."""

import re
from collections import deque
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import StandardPage
from home.templatetags import navigation_tags

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def _demo_loaded(module_atomic):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def demo(_demo_loaded, db) -> Site:
    """The demo site; what a test writes on top is rolled back after it."""
    return Site.objects.get(is_default_site=True)


def get(client, site: Site, url: str) -> str:
    response = client.get(url, HTTP_HOST=f"{site.hostname}:{site.port}")
    assert response.status_code == 200, url
    return response.content.decode()


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">')[1].split("</footer>")[0]


def test_footer_links_the_key_pages(client, demo):
    links = set(HREF.findall(footer(get(client, demo, "/news/"))))
    for url in [
        "/membership/elections-2026/",
        "/principles/",
        "/dynamic-purchasing-system/",
        "/policy-labs/",
        "/publications/",
        "/privacy/",
        "/accessibility-statement/",
        "/contact/",
        "/membership/",
        "/membership/members/",
        "/membership/#join",
    ]:
        assert url in links, url


def test_footer_says_nothing_about_cookies(client, demo):
    assert "cookie" not in footer(get(client, demo, "/")).lower()


def test_home_page_invites_visitors_to_join(client, demo):
    html = get(client, demo, "/")
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert re.search(r'<a class="button[^"]*" href="/membership/#join">Join the network</a>', main)
    # The anchor is the join form's own.
    assert 'id="join"' in get(client, demo, "/membership/")


def test_key_pages_are_found_by_type_wherever_they_move(client, demo):
    elections = Page.objects.get(url_path__endswith="/elections-2026/").specific
    elections.slug = "elections"
    elections.save_revision().publish()
    links = HREF.findall(footer(get(client, demo, "/")))
    assert "/membership/elections/" in links
    assert "/membership/elections-2026/" not in links


def test_unpublished_or_missing_pages_are_not_linked(client, demo):
    Page.objects.get(url_path__endswith="/privacy/").unpublish()
    Page.objects.get(url_path__endswith="/dynamic-purchasing-system/").delete()
    links = HREF.findall(footer(get(client, demo, "/")))
    assert "/privacy/" not in links
    assert "/dynamic-purchasing-system/" not in links
    assert "/principles/" in links


def test_a_privacy_notice_under_another_common_slug_is_found(client, demo):
    Page.objects.get(url_path__endswith="/privacy/").delete()
    page = StandardPage(title="Privacy policy", slug="privacy-policy")
    demo.root_page.add_child(instance=page)
    page.save_revision().publish()
    assert '<a href="/privacy-policy/">Privacy policy</a>' in footer(get(client, demo, "/"))


def test_the_key_pages_are_looked_up_once_until_content_changes(client, demo, monkeypatch):
    calls = []
    find = navigation_tags._find_key_pages

    def counted(root):
        calls.append(root)
        return find(root)

    monkeypatch.setattr(navigation_tags, "_find_key_pages", counted)
    get(client, demo, "/")  # the home page's join call and its footer share one lookup
    get(client, demo, "/about/")
    get(client, demo, "/news/")
    assert len(calls) == 1
    Page.objects.get(url_path__endswith="/privacy/").specific.save_revision().publish()
    get(client, demo, "/about/")
    assert len(calls) == 2


def test_every_public_page_is_within_three_clicks_of_home(client, demo):
    pages = {
        page.get_url()
        for page in Page.objects.live().public().filter(depth__gt=demo.root_page.depth)
    }
    seen = {"/": 0}
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        clicks = seen[url]
        if clicks == 3:
            continue
        for href in HREF.findall(get(client, demo, url)):
            href = href.replace("&amp;", "&")
            path = href.split("#")[0]
            # Internal pages and their own pagination; not feeds, files or the admin.
            if not path.startswith("/") or path.startswith(
                ("/static/", "/media-files/", "/admin/")
            ):
                continue
            if "/feed/" in path or path.endswith((".xml", ".pdf")) or "/documents/" in path:
                continue
            if "?" in path and not re.search(r"\?(.*&)?page=\d+$", path):
                continue
            if path not in seen:
                seen[path] = clicks + 1
                queue.append(path)
    reached = {url.split("?")[0] for url in seen}
    assert pages - reached == set()
