"""API serializers for member councils named on pages (case studies, projects, reports)."""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field
from wagtail.api.utils import get_full_url

from home.lookups import first_live

from .models import LISTED_TIERS, MemberDirectoryPage


class MemberRefField(Field):
    """A member council named on a page.

    Only active full and associate members are listed publicly, so only they carry links
    to a profile and to their record in the members endpoint; other members are a name.
    """

    def to_representation(self, member) -> dict[str, Any]:
        listed = member.active and member.tier in LISTED_TIERS
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
        directory = first_live(MemberDirectoryPage)
        context["_member_directory_url"] = (
            directory.get_full_url(field.context.get("request")) if directory else None
        )
    base = context["_member_directory_url"]
    return f"{base}{member.slug}/" if base else None


def member_detail_url(field: Field, member) -> str | None:
    router = field.context.get("router")
    request = field.context.get("request")
    if router is None or request is None:
        return None
    path = router.get_object_detail_urlpath(type(member), member.pk)
    # The same base as Wagtail's own detail_url (the site's root URL).
    return get_full_url(request, path) if path else None
