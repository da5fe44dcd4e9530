"""A page's main picture, which a full media disk cannot turn into a broken page."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.images.models import Picture, SourceImageIOError

from ..images import CARD_FILTERS, COVER_FILTERS, MAIN_FILTERS, image_filter

register = template.Library()

MAIN_SPECS = list(MAIN_FILTERS)


def _renditions(image, specs: list[str]) -> dict | None:
    """The renditions of ``specs``; those not made yet are made in a savepoint.

    Wagtail makes missing renditions with one bulk insert; when the media disk cannot take
    their files (operations/storage.py) that insert fails and, without a savepoint, leaves the
    request's transaction unusable for the rest of the page. The savepoint is only opened
    when something has to be made: on SQLite outside a transaction it is a write lock, and
    the usual visit finds every rendition already there. None when they cannot be made.
    """
    filters = [image.clean_filter_for_svg(image_filter(spec)) for spec in specs]
    found = image.find_existing_renditions(*filters)
    if all(f in found for f in filters):
        return {f.spec: found[f] for f in filters}
    try:
        with transaction.atomic():
            return image.get_renditions(*filters)
    except SourceImageIOError:
        return None


def _picture(image, specs: list[str], attrs: dict) -> str:
    """``{% picture %}`` of ``specs``, or "" if it cannot be made."""
    renditions = _renditions(image, specs) if image else None
    return picture_html(renditions, attrs) if renditions else ""


def _attributes(attrs: dict) -> str:
    """Django's ``flatatt``: ``name="value"`` pairs sorted by name, then the names of true
    booleans; ``False`` and ``None`` are left out."""
    pairs = sorted(
        (name, value)
        for name, value in attrs.items()
        if not isinstance(value, bool) and value is not None
    )
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {name}="{escape(value)}"' for name, value in pairs) + "".join(
        f" {name}" for name in flags
    )


def picture_html(renditions: dict, attrs: dict) -> str:
    """The markup Wagtail's ``Picture`` writes for these renditions, written directly.

    A listing page draws a dozen pictures; Wagtail's ``Picture`` builds each one through
    ``flatatt`` and ``format_html`` and asks the storage for the fallback's URL twice, which
    was most of a card's cost. ``tests/home/test_pictures.py`` checks the output is Wagtail's,
    byte for byte, so an upgrade that changes it fails there.
    """
    formats = Picture(renditions).formats
    if not formats:  # one format: Wagtail's own <picture> around an <img srcset>
        return mark_safe(Picture(renditions, dict(attrs)).__html__())  # noqa: S308  # nosec B308 B703
    fallback_format = next(
        fmt.name for fmt in reversed(Picture.source_format_order) if fmt.name in formats
    )
    urls = {id(r): r.url for group in formats.values() for r in group}

    def srcset(group: list) -> str:
        if len(group) == 1:
            return urls[id(group[0])]
        return ", ".join(f"{urls[id(r)]} {r.width}w" for r in group)

    sources = "".join(
        "<source"
        + _attributes(
            {
                "srcset": srcset(formats[fmt.name]),
                "sizes": attrs.get("sizes"),
                "type": fmt.mime_type,
            }
        )
        + ">"
        for fmt in Picture.source_format_order
        if fmt.name != fallback_format and fmt.name in formats
    )
    group = formats[fallback_format]
    base = group[0]
    img = {"src": urls[id(base)], "width": base.width, "height": base.height, "alt": base.alt}
    img.update(apps.get_app_config("wagtailimages").default_attrs)
    img.update(attrs)
    if len(group) > 1:
        img["srcset"] = srcset(group)
    return mark_safe(f"<picture>{sources}<img{_attributes(img)}></picture>")  # noqa: S308  # nosec B308 B703


@register.simple_tag
def main_picture(image, alt: str = "", sizes: str = "(min-width: 48em) 42rem, 100vw") -> str:
    """``{% picture image fill-{640x360,960x540,1280x720} format-{webp,jpeg} %}``, made safely."""
    return _picture(image, MAIN_SPECS, {"sizes": sizes, "alt": alt})


@register.simple_tag
def card_picture(image, sizes: str = "(min-width: 48em) 33vw, 100vw") -> str:
    """A listing card's decorative picture (the card's title says what it is), made safely."""
    attrs = {"sizes": sizes, "alt": "", "class": "card__image", "loading": "lazy"}
    return _picture(image, list(CARD_FILTERS), attrs)


@register.simple_tag
def cover_picture(image, sizes: str = "100px") -> str:
    """A report's cover in a list (decorative there: the title beside it names it)."""
    attrs = {"sizes": sizes, "alt": "", "class": "publication-item__cover", "loading": "lazy"}
    return _picture(image, list(COVER_FILTERS), attrs)
