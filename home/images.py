"""The renditions a listing card shows (components/card.html), so listings prefetch them.

The card's ``{% picture %}`` asks for two widths in WebP and JPEG; once an image's
renditions are prefetched, Wagtail looks nowhere else, so a listing must prefetch exactly
these or pay a query per card.

One policy for remembered values (caching.versions.remember): remember pages, never
renditions. A rendition list remembered before an image's renditions existed would send
every later request to make them again, card by card. So a remembered list of pages has its
renditions read per request, in one query, by ``prefetch_card_renditions``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

logger = logging.getLogger(__name__)

CARD_FILTERS = (
    "fill-320x180|format-webp",
    "fill-640x360|format-webp",
    "fill-320x180|format-jpeg",
    "fill-640x360|format-jpeg",
)
# A report's cover in a list of publications, shown 100 px wide (twice that on dense screens).
COVER_FILTERS = (
    "fill-160x226|format-webp",
    "fill-320x452|format-webp",
    "fill-160x226|format-jpeg",
    "fill-320x452|format-jpeg",
)


# A page's own picture at the top of the page (picture_tags.main_picture), and the 1200×630
# rendition its og:image and JSON-LD use.
MAIN_FILTERS = tuple(
    f"fill-{w}x{h}|format-{fmt}"
    for fmt in ("webp", "jpeg")
    for w, h in ((640, 360), (960, 540), (1280, 720))
)
SOCIAL_FILTER = "fill-1200x630"


def card_renditions(*extra: str) -> QuerySet:
    """Rendition rows for a card (and any ``extra`` specs), for ``Prefetch(…renditions)``."""
    return (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec__in=[*CARD_FILTERS, *extra])
    )


def cover_renditions() -> QuerySet:
    """Rendition rows for the covers in a list of publications, for ``Prefetch``."""
    return get_image_model().get_rendition_model().objects.filter(filter_spec__in=COVER_FILTERS)


def prefetch_card_renditions(pages: Iterable, *extra: str, field: str = "listing_image") -> None:
    """Read the card renditions of these pages' images in one query, for this request.

    The same ``Prefetch`` as Wagtail's ``ImageQuerySet.prefetch_renditions()`` (into
    ``prefetched_renditions``), applied to images already loaded with their pages.
    """
    images = [getattr(page, field) for page in pages if getattr(page, f"{field}_id", None)]
    prefetch_related_objects(
        images,
        Prefetch("renditions", queryset=card_renditions(*extra), to_attr="prefetched_renditions"),
    )


@lru_cache(maxsize=64)
def image_filter(spec: str) -> Filter:
    """One ``Filter`` per spec for the process: Wagtail parses a new Filter's operations
    (looking up hooks and inspecting signatures) on its first use, for every image."""
    return Filter(spec=spec)


def prefetch_page_renditions(page, cards: Iterable, *extra: str) -> None:
    """The renditions of a page's own picture (main picture, og:image, JSON-LD) and of its
    cards' pictures, in one query for the request.

    Once an image's renditions are prefetched Wagtail looks nowhere else for them, so the
    page's own image is given every spec its page asks for.
    """
    images = [
        item.listing_image for item in [page, *cards] if getattr(item, "listing_image_id", None)
    ]
    specs = [*CARD_FILTERS, *MAIN_FILTERS, SOCIAL_FILTER, *extra]
    rendition = get_image_model().get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=rendition.objects.filter(filter_spec__in=specs),
            to_attr="prefetched_renditions",
        ),
    )


def rendition_or_none(image, spec: str):
    """The rendition, or None when Wagtail cannot make it: the original is missing or
    unreadable, or the media disk cannot take the new file (operations/storage.py raises a
    ``SourceImageIOError`` for renditions). Wagtail's image tags already draw such an image
    as missing; code that asks for renditions itself (JSON-LD, feeds) leaves the image out
    rather than failing the page."""
    spec_filter = image.clean_filter_for_svg(image_filter(spec))
    # An existing rendition is looked up without Wagtail's get_rendition, which writes it
    # back to the rendition cache on every call (a Redis write for each og:image).
    found = image.find_existing_renditions(spec_filter).get(spec_filter)
    if found is not None:
        return found
    try:
        return image.get_rendition(spec_filter)
    except SourceImageIOError as error:
        logger.warning("No %s rendition of image %s: %s", spec, image.pk, error)
        return None
