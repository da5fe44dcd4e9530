"""Serializers for the read-only API's fields, shared by every app's ``api_fields``.

Kept free of model imports so that models can import it without a cycle. Each field reads
relations with ``.all()`` so the viewset's ``prefetch_related`` serves it: listings cost a
fixed number of queries however many items they return.
"""

from __future__ import annotations

import re

from rest_framework.fields import Field
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField

from .hosts import site_root_url

# The size Open Graph and most partner sites want for a card or share image.
SOCIAL_IMAGE_SPEC = "fill-1200x630"
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def _request(field: Field):
    return field.context.get("request")


def absolute_links(html: str, request) -> str:
    """Make root-relative links absolute, so HTML shown on a partner's site still works."""
    if request is None:
        return html
    root = site_root_url(request) + "/"
    return _ROOT_RELATIVE.sub(lambda m: f"{m.group(1)}{root}", html)


class RenderedStreamField(Field):
    """A StreamField rendered to HTML with the site's own block templates."""

    def to_representation(self, value) -> str:
        request = _request(self)
        html = str(value.render_as_block(context={"request": request}))
        return absolute_links(html.strip(), request)


class TagNamesField(Field):
    """Tag names, sorted; reads prefetched tags (Wagtail's TagsField queries per item)."""

    def to_representation(self, value) -> list[str]:
        return sorted((tag.name for tag in value.all()), key=str.lower)


class NameSlugField(Field):
    """A small related record (a category, a theme) as its name and slug."""

    def to_representation(self, value) -> dict[str, str]:
        return {"name": value.name, "slug": value.slug}


class NameSlugListField(NameSlugField):
    def to_representation(self, value) -> list[dict[str, str]]:
        return [super(NameSlugListField, self).to_representation(item) for item in value.all()]


class TitleListField(Field):
    """Related records (principles, commitments) as their titles."""

    def to_representation(self, value) -> list[str]:
        return [item.title for item in value.all()]


class CommaListField(Field):
    """A comma-separated text field (other organisations) as a list of names."""

    def to_representation(self, value: str) -> list[str]:
        return [part.strip() for part in value.split(",") if part.strip()]


def listing_api_fields() -> list[APIField]:
    """What every page type exposes: its summary and its share image at 1200×630."""
    return [
        APIField("summary"),
        APIField("listing_image", serializer=ImageRenditionField(SOCIAL_IMAGE_SPEC)),
    ]


def body_api_fields(name: str = "body") -> list[APIField]:
    """A StreamField as structured blocks, plus the same content rendered as HTML."""
    return [APIField(name), APIField(f"{name}_html", serializer=RenderedStreamField(source=name))]
