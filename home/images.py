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

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

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


def rendition_or_none(image, spec: str):
    """The rendition, or None when Wagtail cannot make it: the original is missing or
    unreadable, or the media disk cannot take the new file (operations/storage.py raises a
    ``SourceImageIOError`` for renditions). Wagtail's image tags already draw such an image
    as missing; code that asks for renditions itself (JSON-LD, feeds) leaves the image out
    rather than failing the page."""
    try:
        return image.get_rendition(spec)
    except SourceImageIOError as error:
        logger.warning("No %s rendition of image %s: %s", spec, image.pk, error)
        return None
