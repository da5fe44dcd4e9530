"""Search on the demo site (the seed's members, suppliers and election tables), and what a
search costs in queries."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.performance.conftest import TEST_VOLUME, add_volume

# The bound for every results page, as tests/performance/test_query_bounds.py holds
# /search/?q=council to (its LISTING bound): All with every type's count, or one type.
SEARCH_BOUND = 15


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo_loaded(module_atomic):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def client(_demo_loaded, db):
    """A visitor on the whole demo site; what a test writes on top is rolled back after it."""
    return Client()


def queries(client: Client, url: str) -> tuple[int, int]:
    client.get(url)  # warm: caches and remembered values filled, as on a running site
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured)


def test_redquadrant_finds_the_dps_supplier(client):
    response = client.get("/search/", {"q": "RedQuadrant"})
    hits = [hit for group in response.context["groups"] for hit in group.hits]
    assert [(hit.title, hit.type_label) for hit in hits][:1] == [("RedQuadrant", "DPS supplier")]
    assert hits[0].url == "/dynamic-purchasing-system/#redquadrant"
    page = client.get("/dynamic-purchasing-system/").content.decode()
    assert 'id="redquadrant"' in page  # the link lands on the supplier


def test_kirklees_finds_the_profile_and_the_election_row(client):
    response = client.get("/search/", {"q": "Kirklees"})
    hits = {hit.url: hit for group in response.context["groups"] for hit in group.hits}
    assert hits["/membership/members/kirklees-council/"].title == "Kirklees Council"
    row = hits["/membership/elections-2026/#result-kirklees-council"]
    assert row.title == "Kirklees Council: No Party Maj (Ref)"
    assert client.get("/membership/members/kirklees-council/").status_code == 200
    page = client.get("/membership/elections-2026/").content.decode()
    assert 'id="result-kirklees-council"' in page


URLS = [
    "/search/?q=council",
    "/search/?q=Kirklees",
    "/search/?q=RedQuadrant",
    "/search/?q=council&type=members",
    "/search/?q=council&type=elections",
    "/search/?q=council&type=documents",
    "/search/?q=council&type=pages",
    "/search/?q=council&page=2",
    "/search/?q=council&type=nonsense",
]


@pytest.mark.parametrize("url", URLS)
def test_queries_are_bounded(client, url):
    cache.clear()
    status, count = queries(client, url)
    assert status == 200
    assert count <= SEARCH_BOUND, f"{url}: {count} queries"


def test_queries_do_not_grow_with_generated_content(client):
    """The same bound with many more pages, members and articles (the performance tests'
    generated volume) on top of the seed."""
    add_volume(**TEST_VOLUME)
    for url in ("/search/?q=council", "/search/?q=council&type=members", "/search/?q=generated"):
        cache.clear()
        status, count = queries(client, url)
        assert status == 200
        assert count <= SEARCH_BOUND, f"{url}: {count} queries with generated content"
