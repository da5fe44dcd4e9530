"""The home page's latest news section."""

import pytest
from wagtail.models import PageViewRestriction

from news.models import NewsKind
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_three_newest_public_articles(client, make_article):
    make_article("Oldest", release_date=when(2014, 6, 5))
    make_article("Second", release_date=when(2026, 2, 1))
    make_article("Newest", kind=NewsKind.PRESS_RELEASE, release_date=when(2026, 5, 15))
    make_article("Third", release_date=when(2026, 1, 1))
    make_article("Draft", release_date=when(2027, 1, 1), publish=False)
    private = make_article("Private", release_date=when(2027, 1, 1))
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get("/")
    assert [a.title for a in response.context["latest_news"]] == ["Newest", "Second", "Third"]
    html = response.content.decode()
    section = html.split('id="latest-news"')[1]
    assert "Press release · 15 May 2026" in section
    assert '<a href="/news/">All news</a>' in section
    assert "Oldest" not in section and "Draft" not in section and "Private" not in section


def test_a_private_news_section_lists_nothing_on_the_home_page(client, make_article, news_index):
    make_article("Members only")
    PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    response = client.get("/")
    assert list(response.context["latest_news"]) == []
    assert 'id="latest-news"' not in response.content.decode()


def test_home_page_without_a_news_section(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["latest_news"] == []
    assert response.context["news_index"] is None


def test_card_renditions_are_read_per_request_not_remembered(
    client, make_article, image, site_settings
):
    """The sections are remembered before the first view makes the card's renditions; those
    made later are read with one query, not looked up (or made) again card by card."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # An image already in use elsewhere: its size and hash are known, so making renditions
    # for a new size saves nothing on the image (which would be an edit, forgetting all).
    image.get_file_size()
    image.get_file_hash()
    make_article("Pictured", listing_image=image)
    assert not image.renditions.exists()
    first = client.get("/").content.decode()  # remembers the sections, then makes renditions
    assert image.renditions.exists() and ".webp" in first
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    rendition_queries = [
        q["sql"] for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]
    ]
    assert len(rendition_queries) == 1, rendition_queries  # the prefetch; nothing per card
    assert ".webp" in html
