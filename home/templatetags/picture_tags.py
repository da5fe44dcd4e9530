"""A page's main picture, which a full media disk cannot turn into a broken page."""

from __future__ import annotations

from django import template
from django.db import transaction
from wagtail.images.models import Filter, Picture, SourceImageIOError

from ..images import CARD_FILTERS, COVER_FILTERS

register = template.Library()

MAIN_SIZES = ((640, 360), (960, 540), (1280, 720))
MAIN_SPECS = [f"fill-{w}x{h}|format-{fmt}" for fmt in ("webp", "jpeg") for w, h in MAIN_SIZES]


def _renditions(image, specs: list[str]) -> dict | None:
    """The renditions of ``specs``; those not made yet are made in a savepoint.

    Wagtail makes missing renditions with one bulk insert; when the media disk cannot take
    their files (operations/storage.py) that insert fails and, without a savepoint, leaves the
    request's transaction unusable for the rest of the page. The savepoint is only opened
    when something has to be made: on SQLite outside a transaction it is a write lock, and
    the usual visit finds every rendition already there. None when they cannot be made.
    """
    filters = [image.clean_filter_for_svg(Filter(spec=spec)) for spec in specs]
    found = image.find_existing_renditions(*filters)
    if all(f in found for f in filters):
        return {f.spec: found[f] for f in filters}
    try:
        with transaction.atomic():
            return image.get_renditions(*filters)
    except SourceImageIOError:
        return None


def _picture(image, specs: list[str], attrs: dict) -> Picture | str:
    """``{% picture %}`` of ``specs`` (Wagtail renders it, escaped), or "" if it cannot be made."""
    renditions = _renditions(image, specs) if image else None
    return Picture(renditions, attrs) if renditions else ""


@register.simple_tag
def main_picture(
    image, alt: str = "", sizes: str = "(min-width: 48em) 42rem, 100vw"
) -> Picture | str:
    """``{% picture image fill-{640x360,960x540,1280x720} format-{webp,jpeg} %}``, made safely."""
    return _picture(image, MAIN_SPECS, {"sizes": sizes, "alt": alt})


@register.simple_tag
def card_picture(image, sizes: str = "(min-width: 48em) 33vw, 100vw") -> Picture | str:
    """A listing card's decorative picture (the card's title says what it is), made safely."""
    attrs = {"sizes": sizes, "alt": "", "class": "card__image", "loading": "lazy"}
    return _picture(image, list(CARD_FILTERS), attrs)


@register.simple_tag
def cover_picture(image, sizes: str = "100px") -> Picture | str:
    """A report's cover in a list (decorative there: the title beside it names it)."""
    attrs = {"sizes": sizes, "alt": "", "class": "publication-item__cover", "loading": "lazy"}
    return _picture(image, list(COVER_FILTERS), attrs)
