"""A fresh render of a page asks the shared cache nothing: with Redis every ask is a round
trip, and the site ran three to nine of them per page (Wagtail's site root paths, the view
restrictions, the rendition cache written back for every og:image)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from wagtail.models import Site

from caching import routing

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/about/",
    "/news/",
    "/news/statement-2026-local-elections/",
    "/case-studies/",
    "/case-studies/community-energy-as-part-of-the-route-to-net-zero/",
    "/membership/",
    "/search/?q=council",
]


def test_wagtails_site_root_paths_come_from_the_process():
    assert Site.get_site_root_paths is routing.site_root_paths


NAMES = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many")


@pytest.fixture(scope="module")
def asked(demo_database, django_db_blocker) -> dict[str, dict[str, int]]:
    """{url: {cache method: calls}} during a warm, fresh render (page cache off)."""
    found = {}
    client = Client()
    with django_db_blocker.unblock(), override_settings(CCIN_PAGE_CACHE_SECONDS=0):
        for url in URLS:
            for _ in range(2):  # renditions made, remembered values stored
                assert client.get(url).status_code == 200
            calls = {n: mock.patch.object(cache, n, wraps=getattr(cache, n)).start() for n in NAMES}
            try:
                assert client.get(url).status_code == 200
            finally:
                mock.patch.stopall()
            found[url] = {name: call.call_count for name, call in calls.items() if call.call_count}
    return found


@pytest.mark.parametrize("url", URLS)
def test_a_fresh_render_asks_the_cache_nothing(asked, url):
    assert asked[url] == {}
