"""Site search shows Wagtail's results in Wagtail's order, however they are ranked.

On SQLite the view ranks in one scan of the index (search/ranking.py) instead of Wagtail's
query with a MATCH per result; these tests compare the two on pages whose relevance
differs (title matches, body matches, several words), across pages of results.
"""

from __future__ import annotations

import pytest
from django.db import connection
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage
from search.ranking import ranked_page_ids

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"


@pytest.fixture
def pages(home_page):
    made = []
    for n in range(14):
        title = f"Community wealth {n}" if n % 3 == 0 else f"Report {n}"
        intro = " ".join(["community wealth building"] * (n % 4 + 1)) + f" in council {n}"
        page = StandardPage(title=title, slug=f"page-{n}", intro=intro)
        home_page.add_child(instance=page)
        page.save_revision().publish()
        made.append(page)
    draft = StandardPage(
        title="Community wealth draft", slug="draft", intro="community", live=False
    )
    home_page.add_child(instance=draft)
    private = StandardPage(title="Community wealth private", slug="private", intro="community")
    home_page.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return made


def wagtail_order(terms: str) -> list[int]:
    return [page.pk for page in Page.objects.live().public().search(terms, operator="and")]


@pytest.mark.parametrize("terms", ["community", "community wealth", "council 3", "wealth"])
def test_the_order_is_wagtails_own(pages, terms):
    pages_qs = Page.objects.live().public()
    ranked = ranked_page_ids(pages_qs, pages_qs.specific().search(terms, operator="and"))
    if not SQLITE:
        assert ranked is None  # PostgreSQL ranks in one query: Wagtail's results are used
        return
    expected = wagtail_order(terms)
    assert expected  # the comparison means something
    assert list(ranked) == expected
    assert ranked.count() == len(expected)
    assert ranked[1:3] == expected[1:3]


def test_every_page_of_results_follows_that_order(client, pages):
    expected = [page.title for page in Page.objects.live().public().search("community")]
    shown = []
    for number in (1, 2):
        response = client.get("/search/", {"q": "community", "page": number})
        shown += [page.title for page in response.context["results"]]
    assert shown == expected
    assert "Community wealth draft" not in shown
    assert "Community wealth private" not in shown
    assert response.context["paginator"].count == len(expected)
