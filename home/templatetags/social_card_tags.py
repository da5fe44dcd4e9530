"""The picture link previews show (og:image): the page's own image, else its social card."""

from __future__ import annotations

from django import template
from django.urls import reverse
from wagtail.models import Site

from ..hosts import absolute_url
from ..images import rendition_or_none
from ..social_cards import HEIGHT, WIDTH, subject_for_member, subject_for_page

register = template.Library()

SOCIAL_RENDITION = "fill-1200x630"


def _absolute(request, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url  # media on a bucket or CDN
    return absolute_url(request, url)


def _member_profile(context):
    """The member whose profile this is, on the member directory's routable profile."""
    match = getattr(context.get("request"), "routable_resolver_match", None)
    member = context.get("member")
    if match is not None and match.url_name == "member" and getattr(member, "slug", ""):
        return member
    return None


@register.simple_tag(takes_context=True)
def social_card(context, image=None) -> dict | None:
    """``{url, width, height, alt}`` for og:image, or None without a page.

    A page's own image (``page.social_image``) wins when Wagtail can make its 1200×630
    rendition; a missing file or a full media disk falls back to the drawn card, which needs
    no disk. Member profiles always get their member's card, not the directory's image.
    """
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return None
    member = _member_profile(context)
    if member is not None:
        subject = subject_for_member(member)
        url = reverse("social_card_member", args=[member.slug])
    else:
        if image is not None:
            rendition = rendition_or_none(image, SOCIAL_RENDITION)
            if rendition is not None and rendition.width:
                return {
                    "url": _absolute(request, rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "alt": image.default_alt_text,
                }
        if page is None:
            site = Site.find_for_request(request)
            page = site.root_page.specific if site else None
        if page is None or not getattr(page, "pk", None) or not hasattr(page, "last_published_at"):
            return None
        subject = subject_for_page(page)
        url = reverse("social_card_page", args=[page.pk])
    return {
        "url": _absolute(request, f"{url}?v={subject.etag}"),
        "width": WIDTH,
        "height": HEIGHT,
        "alt": subject.alt,
    }
