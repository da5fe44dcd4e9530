"""Whole public pages cached for anonymous visitors, forgotten as soon as content changes.

How it works (docs/caching.md):

- ``PageCacheMiddleware`` answers an anonymous GET or HEAD from the default cache (Redis in
  production, local memory otherwise) and stores successful anonymous responses. Anyone with
  a session or a messages cookie (editors, visitors who have just sent a form), previews
  (under /admin/), POSTs, responses that set a cookie or carry a CSRF token, and responses
  marked private or no-store always go to the view.
- Every cached entry is stored with the site-wide *content version* it was rendered under,
  and is used only while that is still the version. Publishing, unpublishing, moving or
  deleting a page, changing a view restriction, and saving or deleting any record a page
  can show (snippets, settings, images, documents, election data…) bumps the version, so
  every page, listing, feed and filter combination is re-rendered on its next request. The
  version is a database row moved in the change's own transaction (caching/versions.py), so
  no cache outage can lose a change and every process sees it. One change touches the
  home page, indexes and their filtered variants, feeds, tag pages,
  search, sitemaps and profiles; a single version cannot miss one of them, and publishing
  is rare next to reading.
- Responses are stored without the Content-Security-Policy header; the CSP middleware,
  outside this one, adds it to cached and fresh responses alike. Anonymous pages never ask
  for a nonce, so the header is the same for everyone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, get_max_age, patch_cache_control
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import versions
from .versions import DEFAULT_SECONDS, bump_version, current, store

logger = logging.getLogger(__name__)

# Paths that are never cached: the admin and its previews, documents (privacy checks per
# request), files (images are bytes, not pages), the login pages and the probes.
DEFAULT_EXCLUDED_PREFIXES = (
    "/admin/",
    "/documents/",
    "/media/",
    "/media-files/",
    "/wp-content/",
    "/static/",
    "/_util/",
    "/healthz",
    "/readyz",
)
# Records that no public page shows; saving them must not empty the cache (a join enquiry
# from every visitor would otherwise keep pages cold).
NOT_SHOWN = {
    "home.schedulerrun",
    "membership.joinenquiry",
    "membership.enquiry",
    "wagtailimages.rendition",
}
# Apps whose records pages show: the site's own apps plus images, documents and sites.
CONTENT_APPS = {
    "home",
    "news",
    "casestudies",
    "membership",
    "wagtailimages",
    "wagtaildocs",
    "taggit",
}
CORE_MODELS = {"wagtailcore.site", "wagtailcore.pageviewrestriction", "wagtailcore.locale"}
# Longest query string worth a cache entry; junk beyond it goes to the view uncached.
MAX_QUERY_STRING = 256


def enabled() -> bool:
    return getattr(settings, "CCIN_PAGE_CACHE_SECONDS", DEFAULT_SECONDS) > 0


def cache_key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page-cache:{digest}"


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    excluded = getattr(settings, "CCIN_PAGE_CACHE_EXCLUDE", DEFAULT_EXCLUDED_PREFIXES)
    if request.path.startswith(excluded) or request.path.startswith(
        getattr(settings, "CCIN_ADMIN_PATH_PREFIX", "/admin/")
    ):
        return False
    # Signed-in editors (and anyone mid-form with a message waiting) always see fresh pages.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cacheable_response(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies:  # a CSRF, session or messages cookie is one visitor's own
        return False
    # Only cookie-less requests are served from the cache, so Vary: Cookie holds for them;
    # anything else (the API's Vary: Accept) would need a key per variant.
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    if vary - {"cookie"}:
        return False
    # A form's CSRF token is one visitor's; a session written to will set a cookie.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "is_preview", False):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    return get_max_age(response) != 0


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; store cacheable anonymous responses.

    Sits inside the CSP and security-header middleware (every response gets the policy on the
    way out, cached or not) and outside sessions, CSRF, authentication and messages: a hit
    skips them all, and on a miss the response arrives with any cookie they set (never
    stored) and the request with the flags they leave (a CSRF token issued, a session
    written).
    """

    HEADER = "X-Page-Cache"
    # Headers a later middleware adds per response; never stored.
    NOT_STORED = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not (enabled() and cacheable_request(request)):
            return self.get_response(request)
        key = cache_key(request)
        version, cached = current(key)
        if cached is not None:
            return self.rebuild(request, cached)
        response = self.get_response(request)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if cacheable_response(request, response):
            seconds = min(
                getattr(settings, "CCIN_PAGE_CACHE_SECONDS", DEFAULT_SECONDS),
                page_lifetime(request),
            )
            if request.META.get("QUERY_STRING"):
                # Every query string is its own entry, and anyone can make up new ones:
                # filtered pages live briefly, so junk cannot pile up for a day.
                seconds = min(seconds, getattr(settings, "CCIN_PAGE_CACHE_QUERY_SECONDS", 600))
            headers = [
                (name, value) for name, value in response.items() if name not in self.NOT_STORED
            ]
            store(key, version, (response.status_code, headers, response.content), seconds)
            response[self.HEADER] = "miss"
            self.allow_cdn(response)
        return response

    @staticmethod
    def allow_cdn(response: HttpResponseBase) -> None:
        """With a purging CDN configured, let it keep anonymous pages for a short while."""
        if cdn_enabled():
            patch_cache_control(
                response, public=True, s_maxage=getattr(settings, "CCIN_CDN_MAX_AGE", 60)
            )

    def rebuild(self, request: HttpRequest, cached: tuple) -> HttpResponseBase:
        status, headers, content = cached
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[self.HEADER] = "hit"
        self.allow_cdn(response)
        # Feeds carry validators; a cached copy answers a conditional GET as the view would.
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )


def page_lifetime(request: HttpRequest) -> int:
    """Seconds until something on the page changes by the clock rather than by a save.

    The site shell knows what that is (``CCIN_PAGE_LIFETIME``, the pre-election notice);
    without it, the default lifetime.
    """
    path = getattr(settings, "CCIN_PAGE_LIFETIME", "")
    return import_string(path)(request) if path else DEFAULT_SECONDS


# Invalidation --------------------------------------------------------------------------------


def _label(sender) -> str:
    return getattr(getattr(sender, "_meta", None), "label_lower", "")


# What saving a draft writes to a live page; the published content is unchanged.
DRAFT_FIELDS = {
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}


def record_changed(sender, instance=None, **kwargs) -> None:
    """post_save / post_delete / m2m_changed of any model: bump if pages can show it."""
    label = _label(sender)
    if not label or label in NOT_SHOWN or kwargs.get("raw"):
        return
    if getattr(sender, "__module__", "") == "__fake__":
        return  # a migration's historical model: nothing is cached while migrations run
    if label.split(".", 1)[0] not in CONTENT_APPS and label not in CORE_MODELS:
        return
    if isinstance(instance, Page):
        # Publishing has its own signal; a draft save leaves the public page as it was.
        # A live page saved directly (scripts, imports) still counts.
        update_fields = kwargs.get("update_fields")
        if not instance.live or (update_fields and set(update_fields) <= DRAFT_FIELDS):
            return
    bump_version(f"{label} changed")


def page_changed(sender, instance=None, **kwargs) -> None:
    bump_version(f"page {getattr(instance, 'pk', '')} published, unpublished or moved")
    purge_cdn(instance)


def page_deleted(sender, instance=None, **kwargs) -> None:
    bump_version(f"page {getattr(instance, 'pk', '')} deleted")
    purge_cdn(instance)


# A CDN in front (wagtail.contrib.frontend_cache) -----------------------------------------


def cdn_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_cdn(page) -> None:
    """Purge the listings that show a changed page: its ancestors and the site's feeds.

    Wagtail's own frontend-cache handlers purge the page itself (and its routable
    sub-pages); filtered listings cannot be listed, so they expire by ``CCIN_CDN_MAX_AGE``.
    """
    if page is None or not cdn_enabled():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    ancestors = page.get_ancestors().filter(depth__gte=2).live()
    batch.add_pages(ancestors)
    site = page.get_site()
    if site is not None:
        batch.add_urls(site.root_url + feed["url"] for feed in getattr(settings, "SITE_FEEDS", []))
    try:
        batch.purge()
    except Exception:  # a CDN outage must not stop an editor publishing
        logger.exception("Purging the CDN failed; its copies expire by CCIN_CDN_MAX_AGE.")


def migrated(sender, **kwargs) -> None:
    """A deploy ran ``migrate``: pages and remembered records may no longer fit the schema."""
    bump_version("migrated")


def connect_signals() -> None:
    # The version is read once per request (caching/versions.py).
    request_started.connect(versions.request_started, dispatch_uid="content-version-request")
    request_finished.connect(versions.request_finished, dispatch_uid="content-version-done")
    # Once per ``migrate`` (it signals every app; listening to one is enough).
    post_migrate.connect(
        migrated, sender=apps.get_app_config("home"), dispatch_uid="page-cache-migrate"
    )

    page_published.connect(page_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(page_changed, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="page-cache-moved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="page-cache-page-deleted")
    # Snippets, settings, images, documents, restrictions: any save or delete outside pages.
    post_save.connect(record_changed, dispatch_uid="page-cache-record-saved")
    post_delete.connect(record_changed, dispatch_uid="page-cache-record-deleted")
    m2m_changed.connect(record_changed, dispatch_uid="page-cache-record-m2m")
