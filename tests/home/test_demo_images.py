"""The demo's drawn pictures (demo/images.py): real Wagtail images on the pages that show
them, report covers with alt text, nothing replaced and nothing added on a second run."""

from __future__ import annotations

from io import StringIO

import pytest
from wagtail.images import get_image_model
from wagtail.models import Revision

from demo import images
from tests.api import conftest as api_fixtures

pytestmark = pytest.mark.django_db
published_site = api_fixtures.published_site


def test_pages_get_illustrations_and_reports_get_covers_once(client, published_site):
    s = published_site
    images.load(StringIO())
    s.project.refresh_from_db()
    s.publication.refresh_from_db()
    s.case_study.refresh_from_db()
    assert s.project.listing_image.title == "Illustration: Policy labs"
    cover = s.publication.cover_image
    assert cover.title == "Report cover: The co-operative council report"
    assert "The co-operative council report" in cover.description  # its alt text
    assert (cover.width, cover.height) == images.COVER_SIZE
    assert s.case_study.listing_image == s.image  # an editor's choice is kept
    assert cover.get_rendition("width-320").width == 320
    assert not s.embargoed.__class__.objects.get(pk=s.embargoed.pk).live  # not published early

    counts = get_image_model().objects.count(), Revision.objects.count()
    images.load(StringIO())
    assert (get_image_model().objects.count(), Revision.objects.count()) == counts

    page = client.get(s.publication.url).content.decode()
    assert 'alt="Cover of the report' in page and "srcset=" in page
    listed = client.get("/api/v2/images/?limit=50").json()
    assert "Report cover: The co-operative council report" in {i["title"] for i in listed["items"]}


def test_illustrations_are_drawn_in_brand_colours_for_every_motif():
    for subject in images.MOTIFS:
        assert images.illustration_png(subject).startswith(b"\x89PNG")
