"""The address absolute links start with: the configured site's, or in development the one in use.

Wagtail builds every absolute URL (``{% fullpageurl %}``, ``Page.get_full_url``, the sitemap,
the feeds, the API's ``find/`` redirect) from ``Site.root_url``, the hostname and port saved on
the Site record. In production that is the point: links name the site's configured public
address whatever Host header a request carries, so a forged one never reaches a canonical
link, a feed or a cached page. In development the demo's record says 127.0.0.1:8000 while the
server may run on another port or be visited as localhost, so ``DevelopmentHostMiddleware``
(in the dev settings only) gives each request a copy of its site at the address in use.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port
from wagtail.models import Site


class DevelopmentHostMiddleware:
    """With DEBUG on, absolute links name the host and port the browser is using.

    It fills Wagtail's two per-request caches, which everything that builds an absolute URL
    reads: ``request._wagtail_site`` (``Site.find_for_request``, so ``Site.root_url``) and
    ``request._wagtail_cached_site_root_paths`` (``Page.get_url_parts``). Only the site serving
    the request is moved; links to any other site keep its configured address. It goes after
    ``caching.routing.SiteLookupMiddleware``, which sets the first of them. With DEBUG off it
    takes itself out, so a settings module that lists it by mistake still never trusts Host.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        if not settings.DEBUG:
            raise MiddlewareNotUsed("links follow the request's host only in development")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            host = request.get_host()  # checked against ALLOWED_HOSTS
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 further in
        site = Site.find_for_request(request)
        if site is not None:
            local = copy.copy(site)
            local.hostname, port = split_domain_port(host)
            # No port in the Host header means the scheme's own (Site.root_url drops 80 and 443).
            local.port = int(port) if port else (443 if request.is_secure() else 80)
            request._wagtail_site = local
            request._wagtail_cached_site_root_paths = [
                root._replace(root_url=local.root_url) if root.site_id == site.pk else root
                for root in Site.get_site_root_paths()
            ]
        return self.get_response(request)


def site_root_url(request: HttpRequest | None) -> str:
    """``https://host`` (no trailing slash) of the site serving ``request``.

    The Wagtail Site's address (in development the one in use, above); without a matching or
    default site, ``WAGTAILADMIN_BASE_URL``. Never the Host header in production.
    """
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """``path`` (from the site root, e.g. ``request.get_full_path()``) as an absolute URL.

    Use it instead of ``request.build_absolute_uri``, which names whatever host the request
    claims.
    """
    if path.startswith(("http://", "https://")):
        return path
    return site_root_url(request) + path
