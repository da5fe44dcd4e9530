"""The social-card images that og:image points at when a page has no image of its own.

``/social-cards/page/<id>.png`` draws a live, public page's card; ``/social-cards/member/
<slug>.png`` a listed member's (the member profiles are sub-pages of the directory). What
goes on a card comes from the record, never the request, so the URL cannot make the site
say anything. Unknown ids, drafts, private pages and unlisted members are 404s.

Responses carry an ETag (from what the card shows) and Last-Modified (the page's last
publish), so a conditional GET is a 304 without drawing, and the page cache
(caching/page_cache.py) keeps the PNG until content next changes. The URL template tags
add ``?v=<etag>``: a versioned URL may be kept for a long time; a stale one is sent to the
current card rather than drawn again, so made-up versions cost nothing.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe
from wagtail.models import Page

from home.social_cards import CardSubject, render_card, subject_for_member, subject_for_page
from membership.models import LISTED_TIERS, MemberCouncil, MemberDirectoryPage

# Database integer keys; a longer id is no page (and would overflow SQLite's integer).
MAX_ID = 2**31 - 1
VERSIONED_MAX_AGE = 60 * 60 * 24 * 30
UNVERSIONED_MAX_AGE = 60 * 60


def page_subject(page_id: int) -> CardSubject:
    if page_id > MAX_ID:
        raise Http404("No such page")
    page = Page.objects.live().public().filter(pk=page_id, depth__gt=1).specific().first()
    if page is None:
        raise Http404("No such page")
    return subject_for_page(page)


def member_subject(slug: str) -> CardSubject:
    """The card of a member's profile: the members the directory shows a profile for (full
    and associate, former ones too), while the directory itself is live and public."""
    if not MemberDirectoryPage.objects.live().public().exists():
        raise Http404("No member directory")
    member = (
        MemberCouncil.objects.filter(slug=slug, tier__in=LISTED_TIERS)
        .select_related("latest_revision")
        .first()
    )
    if member is None:
        raise Http404("No listed member has that address")
    return subject_for_member(member)


@require_safe
def page_card(request: HttpRequest, page_id: int) -> HttpResponse:
    subject = page_subject(page_id)
    return card_response(request, subject, reverse("social_card_page", args=[page_id]))


@require_safe
def member_card(request: HttpRequest, slug: str) -> HttpResponse:
    subject = member_subject(slug)
    return card_response(request, subject, reverse("social_card_member", args=[slug]))


def card_response(request: HttpRequest, subject: CardSubject, canonical: str) -> HttpResponse:
    version = request.GET.get("v")
    if version is not None and version != subject.etag:
        response = HttpResponseRedirect(f"{canonical}?v={subject.etag}")
        patch_cache_control(response, public=True, max_age=UNVERSIONED_MAX_AGE)
        return response
    etag = quote_etag(subject.etag)
    last_modified = subject.last_modified.timestamp() if subject.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(render_card(subject), content_type="image/png")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    max_age = VERSIONED_MAX_AGE if version else UNVERSIONED_MAX_AGE
    patch_cache_control(response, public=True, max_age=max_age)
    return response


urlpatterns = [
    path("page/<int:page_id>.png", page_card, name="social_card_page"),
    path("member/<slug:slug>.png", member_card, name="social_card_member"),
]
