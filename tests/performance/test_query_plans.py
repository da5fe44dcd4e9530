"""No warm request reads a whole large table: every page costs the same at any size.

SQLite plans without statistics (nothing runs ANALYZE), so its plan for a query is the
same on this small test database as on a site ten times the network's size: a query that
walks the whole page table here walks it there too. Each query of a warm request is
explained, and a scan of a large table fails the test unless it stops early (a LIMIT on a
walk in index order). What this guards: routing by slug, the page of a type found by its
content type, sitemap documents and the API read by id or type, search checking each
match's page by id (bench/results/render_budget.md, issue 21).
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import TEST_VOLUME, add_volume
from .test_query_bounds import SITEMAPS, URLS

if connection.vendor != "sqlite":
    pytest.skip(
        "PostgreSQL's plans depend on table sizes and statistics, so a small test database "
        "shows nothing about a large one; bench/render_budget.py measures both sizes",
        allow_module_level=True,
    )

pytestmark = pytest.mark.django_db

# Tables that grow with the content. Member records and DPS suppliers stay in the hundreds
# (the directory counts its filters over every member by design); these do not.
LARGE = (
    "wagtailcore_page",
    "news_newspage",
    "casestudies_casestudypage",
    "wagtailsearch_indexentry",
    "wagtailcore_revision",
    "wagtailimages_rendition",
)
SCAN = re.compile(r"^SCAN (\w+)(?: AS \w+)?(.*)$")


def full_scans(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[3] for row in cursor.fetchall()]
    found = []
    limited = re.search(r"\bLIMIT\b", sql) is not None
    for step in steps:
        match = SCAN.match(step)
        if not match or match.group(1) not in LARGE:
            continue
        in_index_order = "USING INDEX" in match.group(2) or "USING COVERING INDEX" in match.group(2)
        if in_index_order and limited:
            continue  # a walk in index order that stops at its LIMIT
        found.append(step)
    return found


@pytest.fixture(scope="module")
def plans(demo_database) -> dict[str, list[tuple[str, list[str]]]]:
    """url → [(sql, its full scans)] of one warm request, with generated content."""
    add_volume(**TEST_VOLUME)
    cache.clear()
    client = Client()
    found = {}
    for url in [url for _label, url, _bound in URLS] + SITEMAPS:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        found[url] = [
            (query["sql"], full_scans(query["sql"], None))
            for query in captured.captured_queries
            if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        ]
    return found


@pytest.mark.parametrize("url", [url for _label, url, _bound in URLS] + SITEMAPS)
def test_no_warm_request_scans_a_large_table(plans, url):
    scanning = [(sql[:300], scans) for sql, scans in plans[url] if scans]
    assert not scanning, scanning
