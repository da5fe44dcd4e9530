"""A case study's related cards: remembered as pages, their renditions read per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from casestudies.models import CaseStudyPage, CaseStudyRelatedPage

pytestmark = pytest.mark.django_db


def rendition_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]]


def test_related_card_renditions_are_read_per_request_not_remembered(client, library):
    """The related case studies are remembered before the first view makes the cards'
    renditions; those made later are read with one query, not looked up card by card."""
    image = get_image_model().objects.create(
        title="Solar roof", file=get_test_image_file(filename="roof.png")
    )
    # Size and hash known up front: making renditions then saves nothing on the image.
    image.get_file_size()
    image.get_file_hash()
    for name in ("land", "youth"):
        page = CaseStudyPage.objects.get(pk=library[name].pk)
        page.listing_image = image
        page.save_revision().publish()
    homes = CaseStudyPage.objects.get(pk=library["homes"].pk)
    homes.related_links = [
        CaseStudyRelatedPage(related=library["land"]),
        CaseStudyRelatedPage(related=library["youth"]),
    ]
    homes.save_revision().publish()
    assert not image.renditions.exists()

    first = client.get(homes.url).content.decode()  # remembers the list, then makes renditions
    assert image.renditions.exists() and ".webp" in first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(homes.url)
    html = response.content.decode()
    found = rendition_queries(queries)
    assert len(found) == 1, found  # the prefetch; nothing per card
    assert [page.title for page in response.context["related"]] == [
        "Community land trust",
        "Youth retention research",
    ]
    related = html[html.index('id="related-heading"') :]
    assert related.count(".webp") >= 2
