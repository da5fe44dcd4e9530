"""Serializers for the read-only API's fields, shared by every app's ``api_fields``.

Kept free of model imports so that models can import it without a cycle. Each field reads
relations with ``.all()`` so the viewset's ``prefetch_related`` serves it: listings cost a
fixed number of queries however many items they return.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.fields import Field
from wagtail.api import APIField
from wagtail.api.utils import get_full_url
from wagtail.images.api.fields import ImageRenditionField

# The size Open Graph and most partner sites want for a card or share image.
SOCIAL_IMAGE_SPEC = "fill-1200x630"
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def _request(field: Field):
    return field.context.get("request")


def absolute_links(html: str, request) -> str:
    """Make root-relative links absolute, so HTML shown on a partner's site still works."""
    if request is None:
        return html
    root = request.build_absolute_uri("/")
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


class MemberRefField(Field):
    """A member council named on a page.

    Only active full and associate members are listed publicly, so only they carry links
    to a profile and to their record in the members endpoint; other members are a name.
    """

    def to_representation(self, member) -> dict[str, Any]:
        listed = member.active and member.tier in ("full", "associate")
        data: dict[str, Any] = {"name": member.name, "html_url": None, "detail_url": None}
        if listed:
            data["html_url"] = member_profile_url(self, member)
            data["detail_url"] = member_detail_url(self, member)
        return data


class MemberRefListField(MemberRefField):
    def to_representation(self, value) -> list[dict[str, Any]]:
        return [super(MemberRefListField, self).to_representation(m) for m in value.all()]


class MemberProfileURLField(Field):
    """The public profile page of a member (the directory's routable sub-page)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, member) -> str | None:
        return member_profile_url(self, member)


def member_profile_url(field: Field, member) -> str | None:
    """Absolute profile URL; the directory page is looked up once per response."""
    context = field.context
    if "_member_directory_url" not in context:
        from membership.models import MemberDirectoryPage

        directory = MemberDirectoryPage.objects.live().public().first()
        context["_member_directory_url"] = (
            directory.get_full_url(_request(field)) if directory else None
        )
    base = context["_member_directory_url"]
    return f"{base}{member.slug}/" if base else None


def member_detail_url(field: Field, member) -> str | None:
    router = field.context.get("router")
    request = _request(field)
    if router is None or request is None:
        return None
    path = router.get_object_detail_urlpath(type(member), member.pk)
    # The same base as Wagtail's own detail_url (the site's root URL).
    return get_full_url(request, path) if path else None


def listing_api_fields() -> list[APIField]:
    """What every page type exposes: its summary and its share image at 1200×630."""
    return [
        APIField("summary"),
        APIField("listing_image", serializer=ImageRenditionField(SOCIAL_IMAGE_SPEC)),
    ]


def body_api_fields(name: str = "body") -> list[APIField]:
    """A StreamField as structured blocks, plus the same content rendered as HTML."""
    return [APIField(name), APIField(f"{name}_html", serializer=RenderedStreamField(source=name))]
