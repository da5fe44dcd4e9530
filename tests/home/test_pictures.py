"""The site writes its responsive pictures itself (home/templatetags/picture_tags.py) for
speed; the markup must stay exactly what Wagtail's ``{% picture %}`` writes."""

from __future__ import annotations

import pytest
from wagtail.images import get_image_model
from wagtail.images.models import Picture
from wagtail.images.tests.utils import get_test_image_file

from home.images import CARD_FILTERS, COVER_FILTERS, image_filter
from home.templatetags import picture_tags


@pytest.fixture
def image(db):
    return get_image_model().objects.create(
        title='Chamber "east" & <wing>', file=get_test_image_file(filename="chamber.png")
    )


@pytest.mark.parametrize(
    "specs",
    [
        list(CARD_FILTERS),
        list(COVER_FILTERS),
        picture_tags.MAIN_SPECS,
        ["fill-320x180|format-webp", "fill-320x180|format-jpeg"],  # one width per format
        ["fill-320x180", "fill-640x360"],  # one format: Wagtail's plain <img srcset>
    ],
)
@pytest.mark.parametrize(
    "attrs",
    [
        {
            "sizes": "(min-width: 48em) 33vw, 100vw",
            "alt": "",
            "class": "card__image",
            "loading": "lazy",
        },
        {"sizes": "100vw", "alt": 'A "quoted" <alt> & more'},
        {"alt": "no sizes", "hidden": True, "data-x": None, "draggable": False},
    ],
)
def test_the_markup_is_wagtails_byte_for_byte(image, specs, attrs):
    renditions = image.get_renditions(*specs)
    assert (
        picture_tags.picture_html(renditions, dict(attrs))
        == Picture(renditions, dict(attrs)).__html__()
    )


def test_a_card_picture_is_wagtails_picture(image):
    renditions = image.get_renditions(*CARD_FILTERS)
    attrs = {
        "sizes": "(min-width: 48em) 33vw, 100vw",
        "alt": "",
        "class": "card__image",
        "loading": "lazy",
    }
    assert picture_tags.card_picture(image) == Picture(renditions, attrs).__html__()


def test_one_filter_per_spec_for_the_process():
    """Wagtail parses a Filter's operations on first use; a new Filter per card paid that
    for every image on every page."""
    assert image_filter("fill-320x180|format-webp") is image_filter("fill-320x180|format-webp")
