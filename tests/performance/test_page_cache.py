"""The anonymous page cache serves repeat visits without the database and is never stale.

Each content event a visitor would notice is tested: publishing, unpublishing, moving and
deleting a page, and saving a snippet or a setting that pages show. Editors, previews,
forms and POSTs always get a fresh page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from caching import page_cache
from caching.page_cache import PageCacheMiddleware
from home.models import StandardPage
from news.models import NewsCategory, NewsIndexPage, NewsKind, NewsPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

HEADER = PageCacheMiddleware.HEADER


@pytest.fixture
def page_cache_on(site_settings):
    # The settings row exists before the first request, as on a running site (creating it
    # is itself a change that empties the cache).
    with override_settings(CCIN_PAGE_CACHE_SECONDS=3600):
        cache.clear()
        yield


@pytest.fixture
def category(db) -> NewsCategory:
    return NewsCategory.objects.create(name="Governance", slug="governance")


@pytest.fixture
def news_index(home_page) -> NewsIndexPage:
    index = NewsIndexPage(title="News", slug="news", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def article(index, title: str, category=None, publish: bool = True) -> NewsPage:
    page = NewsPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind=NewsKind.NEWS,
        summary=f"Summary of {title}.",
        category=category,
        live=publish,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def get(client, url: str, **extra):
    response = client.get(url, **extra)
    return response, response.content.decode()


def test_a_repeat_visit_is_served_from_the_cache_without_queries(client, news_index, category):
    article(news_index, "First story", category)
    first, html = get(client, "/news/")
    assert first[HEADER] == "miss"
    assert "First story" in html
    with CaptureQueriesContext(connection) as queries:
        second, cached_html = get(client, "/news/")
    assert second[HEADER] == "hit"
    # At most the content version, one primary-key read (none at all between requests in
    # production, where a version read outside a transaction is reused for a second).
    assert [q["sql"] for q in queries.captured_queries if "contentversion" not in q["sql"]] == []
    assert len(queries) <= 1
    assert cached_html == html


def test_publishing_shows_at_once_on_the_index_and_home_page(client, news_index, category):
    article(news_index, "First story", category)
    get(client, "/news/")
    get(client, "/")
    draft = article(news_index, "Second story", category, publish=False)
    assert "Second story" not in get(client, "/news/")[1]  # a draft changes nothing
    draft.get_latest_revision().publish()
    response, html = get(client, "/news/")
    assert response[HEADER] == "miss"
    assert "Second story" in html
    assert "Second story" in get(client, "/")[1]


def test_unpublishing_removes_the_page_everywhere(client, news_index, category):
    story = article(news_index, "Withdrawn story", category)
    assert get(client, story.url)[0].status_code == 200
    assert "Withdrawn story" in get(client, "/news/")[1]
    story.unpublish()
    assert get(client, story.url)[0].status_code == 404
    assert "Withdrawn story" not in get(client, "/news/")[1]


def test_moving_a_page_changes_its_address_at_once(client, home_page, news_index):
    about = StandardPage(title="About", slug="about")
    home_page.add_child(instance=about)
    about.save_revision().publish()
    team = StandardPage(title="Our team", slug="team")
    home_page.add_child(instance=team)
    team.save_revision().publish()
    assert get(client, "/team/")[0].status_code == 200
    team.move(about, pos="last-child")
    old = client.get("/team/")
    assert (old.status_code, old["Location"]) == (301, "/about/team/")  # Wagtail's redirect
    assert "Our team" in get(client, "/about/team/")[1]


def test_deleting_a_page_removes_it(client, news_index, category):
    story = article(news_index, "Deleted story", category)
    url = story.url
    get(client, url)
    get(client, "/news/")
    story.delete()
    assert get(client, url)[0].status_code == 404
    assert "Deleted story" not in get(client, "/news/")[1]


def test_saving_a_snippet_shows_at_once(client, news_index, category):
    story = article(news_index, "Story", category)
    assert "Governance" in get(client, story.url)[1]
    category.name = "Democracy"
    category.save()
    html = get(client, story.url)[1]
    assert "Democracy" in html
    assert "Governance" not in html


def test_saving_site_settings_shows_at_once(client, home_page, site_settings):
    assert "Co-operative Councils&#x27; Innovation Network" in get(client, "/")[1]
    site_settings.organisation_name = "Renamed Network"
    site_settings.save()
    assert "Renamed Network" in get(client, "/")[1]


def test_making_a_section_private_hides_it_at_once(client, news_index, category):
    story = article(news_index, "Members only story", category)
    assert get(client, story.url)[0].status_code == 200
    assert "Members only story" in get(client, "/news/")[1]
    PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    assert get(client, story.url)[0].status_code == 302  # to the login page
    assert get(client, "/news/")[0].status_code == 302


def test_signed_in_editors_always_get_a_fresh_page(admin_client, home_page):
    client = Client()
    get(client, "/")
    response = admin_client.get("/")
    assert HEADER not in response
    assert "wagtail-userbar" in response.content.decode()
    # …and the editor's page, with its user bar, never reaches anonymous visitors.
    anonymous = client.get("/")
    assert anonymous[HEADER] == "hit"
    assert "wagtail-userbar" not in anonymous.content.decode()


def test_previews_are_never_cached(admin_client, news_index, category):
    story = article(news_index, "Previewed", category)
    response = admin_client.get(f"/admin/pages/{story.pk}/view_draft/")
    assert response.status_code == 200
    assert HEADER not in response


def test_posts_and_pages_with_a_form_token_are_not_cached(client, home_page):
    page = StandardPage(title="Members only", slug="members-only", summary="Shh.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="coop-2026"
    )
    first = client.get("/members-only/")
    assert first.status_code == 200
    assert "csrfmiddlewaretoken" in first.content.decode()
    second = client.get("/members-only/")
    assert HEADER not in second  # the password form's CSRF token is one visitor's own
    assert HEADER not in client.post("/members-only/", {})


def test_the_membership_page_is_cached_its_join_form_carries_no_token(client, home_page):
    """The join form is checked by origin (security/csrf.py), so the page is everyone's."""
    from membership.models import MembershipPage

    page = MembershipPage(title="Membership", slug="membership")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    first = client.get("/membership/")
    assert first.status_code == 200
    assert '<form method="post"' in first.content.decode()
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    assert first[HEADER] == "miss"
    assert client.get("/membership/")[HEADER] == "hit"
    assert HEADER not in client.post("/membership/", {})


def test_a_visitor_with_a_session_is_not_served_from_the_cache(client, home_page):
    get(client, "/")
    client.cookies["sessionid"] = "anything"
    assert HEADER not in client.get("/")


def test_cached_pages_carry_the_same_security_headers_without_a_nonce(client, home_page):
    miss = client.get("/")
    hit = client.get("/")
    assert hit[HEADER] == "hit"
    # The security middleware sits outside the cache, so a hit gets the same headers as a miss.
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert hit.get(header) == miss.get(header)
    assert "nonce-" not in hit.get("Content-Security-Policy", "")


def test_feeds_carry_validators_and_answer_conditional_gets_from_the_cache(
    client, news_index, category
):
    from casestudies.models import CaseStudyIndexPage

    article(news_index, "Feed story", category)
    library = CaseStudyIndexPage(title="Case studies", slug="case-studies")
    news_index.get_parent().add_child(instance=library)
    library.save_revision().publish()
    for url in ("/news/feed/", "/news/feed/atom/", "/case-studies/feed/"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert "max-age=" in first["Cache-Control"], url
        assert first.has_header("ETag"), url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url


def test_junk_query_strings_do_not_fill_the_cache(client, home_page):
    response = client.get("/?" + "x=1&" * 200)
    assert response.status_code == 200
    assert HEADER not in response


def test_the_page_cache_is_on_in_production_with_or_without_redis():
    """Every process reads the content version from the database, so a memory cache per
    gunicorn worker forgets a publish made by any of them."""
    code = (
        "from ccin.settings import production as p; "
        "print(p.CCIN_PAGE_CACHE_SECONDS, p.CCIN_REMEMBER)"
    )
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    for redis in ("", "redis://127.0.0.1:6379/9"):
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            env={**env, "REDIS_URL": redis},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert output.strip() == "86400 True"


def test_a_cache_that_drops_writes_cannot_keep_a_withdrawn_page(client, news_index, category):
    """Redis stalled while an editor unpublished: the resilient cache drops every write, so
    a version kept in the cache never moved and the withdrawn article stayed a cached hit."""
    story = article(news_index, "Withdrawn story", category)
    assert get(client, story.url)[0][HEADER] == "miss"
    assert get(client, story.url)[0][HEADER] == "hit"
    dropped = mock.Mock(return_value=None)
    with (
        mock.patch.object(cache, "set", dropped),
        mock.patch.object(cache, "add", dropped),
        mock.patch.object(cache, "incr", side_effect=ValueError("stalled")),
        mock.patch.object(cache, "delete", dropped),
    ):
        story.unpublish()
    response, _ = get(client, story.url)
    assert response.status_code == 404
    assert "Withdrawn story" not in get(client, "/news/")[1]


CDN = {
    "default": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://cdn.invalid",
    }
}


def test_a_cdn_is_purged_of_the_listings_that_show_a_published_page(
    client, news_index, category, monkeypatch
):
    from wagtail.contrib.frontend_cache.backends import HTTPBackend

    purged: list[str] = []
    monkeypatch.setattr(HTTPBackend, "purge", lambda backend, url: purged.append(url))
    with override_settings(WAGTAILFRONTENDCACHE=CDN):
        story = article(news_index, "CDN story", category)
        response = client.get("/news/")
    assert {
        "http://testserver/",
        "http://testserver/news/",
        "http://testserver/news/feed/",
        "http://testserver/case-studies/feed/",
    } <= set(purged)
    assert "s-maxage=60" in response["Cache-Control"]
    story.unpublish()  # without a CDN configured nothing is purged and nothing fails
    assert "s-maxage" not in client.get("/news/").get("Cache-Control", "")


def test_the_cdn_is_wired_from_the_environment_and_off_by_default():
    code = (
        "from ccin.settings import base as b; "
        "print('wagtail.contrib.frontend_cache' in b.INSTALLED_APPS, "
        "getattr(b, 'WAGTAILFRONTENDCACHE', {}).get('default', {}).get('BACKEND', '-'))"
    )
    env = {"PATH": os.environ["PATH"]}
    off = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    on = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**env, "FRONTEND_CACHE_BACKEND": "cloudflare"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert off == ["False", "-"]
    assert on == ["True", "wagtail.contrib.frontend_cache.backends.CloudflareBackend"]


def test_pages_with_a_query_string_are_kept_briefly(client, home_page):
    """Anyone can invent query strings; each is an entry, so they expire in minutes, not a day."""
    with (
        override_settings(CCIN_PAGE_CACHE_QUERY_SECONDS=600),
        mock.patch.object(page_cache, "store", wraps=page_cache.store) as store,
    ):
        assert client.get("/")[HEADER] == "miss"
        assert client.get("/?utm_source=junk-1")[HEADER] == "miss"
    pages = [c.args for c in store.call_args_list if c.args[0].startswith("page-cache:")]
    (_, _, _, plain), (_, _, _, with_query) = pages
    assert plain == 3600
    assert with_query == 600
