"""The renditions a listing card shows (components/card.html), so listings prefetch them.

The card's ``{% picture %}`` asks for two widths in WebP and JPEG; once an image's
renditions are prefetched, Wagtail looks nowhere else, so a listing must prefetch exactly
these or pay a query per card.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.images import get_image_model

CARD_FILTERS = (
    "fill-320x180|format-webp",
    "fill-640x360|format-webp",
    "fill-320x180|format-jpeg",
    "fill-640x360|format-jpeg",
)


def card_renditions(*extra: str) -> QuerySet:
    """Rendition rows for a card (and any ``extra`` specs), for ``Prefetch(…renditions)``."""
    return (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec__in=[*CARD_FILTERS, *extra])
    )


def forget_renditions(image) -> None:
    """Drop an image's prefetched renditions (both ways Wagtail keeps them).

    For images kept in the cache: Wagtail looks only in a prefetched list once there is one,
    so a list remembered before a rendition existed would have it made again on every use.
    """
    getattr(image, "_prefetched_objects_cache", {}).pop("renditions", None)
    if hasattr(image, "prefetched_renditions"):
        del image.prefetched_renditions
