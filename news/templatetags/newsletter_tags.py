"""Links other pages show to Members' Update: the footer's link to the archive."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from wagtail.models import Site

from caching.versions import remember
from home.lookups import first_live
from news.models import MembersUpdateIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def members_update_archive(context) -> dict[str, str] | None:
    """The live, public Members' Update archive of this site as ``{"title", "url"}``, or None.

    The footer is rendered once per content version (navigation_tags.site_footer), and the
    lookup is remembered with it, so this costs no query on a warm page.
    """
    request: HttpRequest | None = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None

    def find() -> dict[str, str] | None:
        archive = first_live(MembersUpdateIndexPage)
        if archive is None or not archive.path.startswith(site.root_page.path):
            return None
        return {"title": archive.title, "url": archive.get_url(request=request)}

    return remember(f"members-update:archive-link:{site.pk}", find)
