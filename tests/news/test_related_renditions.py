"""An article's related cards: remembered as pages, their renditions read per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def rendition_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]]


def test_related_card_renditions_are_read_per_request_not_remembered(client, make_article, image):
    """The related articles are remembered before the first view makes the card's renditions;
    those made later are read with one query, not looked up (or made) again card by card."""
    # An image already in use elsewhere: its size and hash are known, so making renditions
    # for a new size saves nothing on the image (which would be an edit, forgetting all).
    image.get_file_size()
    image.get_file_hash()
    page = make_article("Main", category="governance")
    make_article("Pictured", category="governance", listing_image=image)
    make_article("Also related", category="governance", listing_image=image)
    assert not image.renditions.exists()

    first = client.get(page.url).content.decode()  # remembers the list, then makes renditions
    assert image.renditions.exists() and ".webp" in first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    html = response.content.decode()
    found = rendition_queries(queries)
    assert len(found) == 1, found  # the prefetch; nothing per card
    assert [a.title for a in response.context["related_articles"]] == ["Also related", "Pictured"]
    more = html[html.index("More news") :]
    assert more.count(".webp") >= 2
