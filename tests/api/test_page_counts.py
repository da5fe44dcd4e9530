"""The pages listing's total: remembered between requests, never out of date after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import NewsCategory, NewsKind, NewsPage

from .conftest import publish

pytestmark = pytest.mark.django_db

URL = "/api/v2/pages/?type=news.NewsPage"


def total(client, url: str = URL) -> int:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["meta"]["total_count"]


def test_a_repeated_listing_does_not_count_again(client, published_site):
    before = total(client)
    with CaptureQueriesContext(connection) as captured:
        assert total(client) == before
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_publishing_and_unpublishing_change_the_total_at_once(client, published_site):
    before = total(client)
    article = publish(
        published_site.news_index,
        NewsPage(
            title="A new statement",
            slug="a-new-statement",
            kind=NewsKind.PRESS_RELEASE,
            category=NewsCategory.objects.first(),
        ),
    )
    assert total(client) == before + 1
    article.unpublish()
    assert total(client) == before


def test_one_type_is_read_from_its_own_table(client, published_site):
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    listing = [q["sql"] for q in captured.captured_queries if '"news_newspage"' in q["sql"]]
    assert listing
    # Not Wagtail's "id IN (every live page of the site)", which reads the whole tree.
    assert not [sql for sql in listing if 'IN (SELECT U0."id"' in sql], listing


def test_an_unknown_site_is_still_a_clear_not_found(client, published_site):
    response = client.get(f"{URL}&site=no-such-site.example")
    assert response.status_code == 404  # as Wagtail answers it
    assert "message" in response.json()
