"""Listings, articles and feeds cost the same number of queries at 5 and at 100 articles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.shell import paragraphs, stream
from news.models import NewsKind, NewsPage, NewsPageAuthor
from tests.news.conftest import when

pytestmark = pytest.mark.django_db

KINDS = list(NewsKind)


@pytest.fixture
def fill(news_index, categories, image):
    """Add live articles quickly (no revisions), each with an image, authors and tags."""
    made = 0

    def fill_to(total: int) -> None:
        nonlocal made
        names = list(categories)
        now = timezone.now()
        while made < total:
            made += 1
            page = NewsPage(
                title=f"Bulk {made}",
                slug=f"bulk-{made}",
                kind=KINDS[made % 3],
                category=categories[names[made % len(names)]],
                release_date=when(2020 + made % 7, 1 + made % 12, 1 + made % 28),
                summary="Bulk article.",
                body=stream(*paragraphs("Bulk body.")),
                listing_image=image,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            page.authors = [NewsPageAuthor(name=f"Author {made}", role="Role")]
            page.tags.set([f"topic-{made % 4}", "common"])
            news_index.add_child(instance=page)

    return fill_to


def count_queries(client, url: str) -> int:
    # Warm up: renditions, remembered values. Twice: the site's very first request creates
    # its settings row, which bumps the content version after part of that request was
    # remembered under the old one.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


# Each URL's whole request, Wagtail's routing and the site chrome included.
BOUNDS = {
    "/news/": 20,
    "/news/?kind=news&tag=common&page=2": 20,
    "/news/category/governance/": 20,
    "/news/tag/common/": 22,
    "/news/bulk-1/": 25,
    "/news/feed/": 16,
    "/news/feed/atom/": 16,
    "/news/category/governance/feed/": 16,
    "/news/tag/common/feed/": 17,
    "/": 20,
}


def test_query_count_does_not_grow_with_articles(client, fill):
    fill(5)
    at_five = {url: count_queries(client, url) for url in BOUNDS}
    fill(100)
    at_hundred = {url: count_queries(client, url) for url in BOUNDS}
    assert at_hundred == at_five
    over = {url: n for url, n in at_hundred.items() if n > BOUNDS[url]}
    assert not over, over


def test_cold_feed_cache_is_still_bounded(client, fill, django_assert_max_num_queries):
    fill(100)
    client.get("/news/feed/")  # renditions exist from now on
    from django.core.cache import cache

    cache.clear()
    # One more than a warm feed: the bodies of the articles not yet cached, in one query.
    with django_assert_max_num_queries(17):
        client.get("/news/feed/")
