"""WordPress's id links (/?p=123, /?page_id=45, /?cat=3…) answered from Wagtail's redirects.

Those addresses name pages that exist here (the home page, a listing), which answer 200, so
Wagtail's ``RedirectMiddleware``, which looks only at 404s, never sees them. This middleware
looks first, and only when the query string carries one of WordPress's keys: the redirect
whose old path is the request's path with that one parameter (``/?p=123``; campaign tags and
any other parameters are ignored), stored as the redirects app stores paths
(``Redirect.normalise_path``), this site's own redirect before one for every site.

It sits before the page cache: adding a redirect does not move the content version, so a
home page cached for /?p=123 before the import would otherwise go on answering it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import Error as DatabaseLayerError
from django.http import (
    HttpRequest,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.utils.encoding import escape_uri_path
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

IDENTIFIER = re.compile(r"[0-9]{1,20}")
SLUG = re.compile(r"[-\w]{1,200}")
# WordPress's query keys, most specific first, each with the values it can take.
KEYS = {
    "p": IDENTIFIER,
    "page_id": IDENTIFIER,
    "attachment_id": IDENTIFIER,
    "cat": IDENTIFIER,
    "tag": SLUG,
    "feed": SLUG,
}
MAX_PATH = 255  # Redirect.old_path's length
# Never an old WordPress address; Wagtail's admin listings page with ?p=2.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/documents/", "/api/")


class LegacyQueryRedirectMiddleware:
    """Redirect /?p=123 and the like as the redirects app says; pass everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return redirect_for(request) or self.get_response(request)


def redirect_for(request: HttpRequest) -> HttpResponseBase | None:
    """The redirect for a WordPress id link, or None (no such key, no such redirect)."""
    query = request.META.get("QUERY_STRING", "")
    if not query or request.method not in ("GET", "HEAD") or skipped(request.path):
        return None
    parameters = wordpress_parameters(query)
    if not parameters:
        return None
    try:
        redirect = find_redirect(request, old_paths(request.path, parameters))
        link = redirect.link if redirect is not None else None
    except DisallowedHost:
        return None  # Django answers the unknown host with its 400 further in
    except DatabaseLayerError:
        return None  # in an outage the view meets the database too: the friendly 503
    if not link:
        return None
    if redirect.is_permanent:
        return HttpResponsePermanentRedirect(link)
    return HttpResponseRedirect(link)


def skipped(path: str) -> bool:
    admin = getattr(settings, "CCIN_ADMIN_PATH_PREFIX", "/admin/")
    return path.startswith((*SKIPPED_PREFIXES, admin))


def wordpress_parameters(query: str) -> dict[str, str]:
    """WordPress's parameters in ``query``, each as sent (``p=123``), in ``KEYS`` order.

    A key given twice, or with a value WordPress would not have written (``p=abc``, ``p=``),
    is left out: no guessing which was meant.
    """
    sent: dict[str, list[str]] = {}
    for part in query.split("&"):
        key = part.partition("=")[0]
        if key in KEYS:
            sent.setdefault(key, []).append(part)
    found = {}
    for key, pattern in KEYS.items():
        parts = sent.get(key, [])
        if len(parts) == 1 and pattern.fullmatch(unquote_plus(parts[0].partition("=")[2])):
            found[key] = parts[0]
    return found


def old_paths(path: str, parameters: dict[str, str]) -> list[str]:
    """The old paths to look for, best first: every WordPress parameter sent together (as in
    /?cat=3&feed=rss2), then each on its own; each decoded, then as sent, as the redirects
    app looks them up."""
    queries = ["&".join(parameters.values())] if len(parameters) > 1 else []
    queries += parameters.values()
    full_paths = [f"{escape_uri_path(path)}?{query}" for query in queries]
    paths: list[str] = []
    for full_path in full_paths:
        for decode in (True, False):
            normalised = Redirect.normalise_path(full_path, decode_unicode=decode)
            if len(normalised) <= MAX_PATH and normalised not in paths:
                paths.append(normalised)
    return paths


def find_redirect(request: HttpRequest, paths: list[str]) -> Redirect | None:
    """The redirect for the first of ``paths`` that has one, as ``Redirect.get_for_site``
    matches them: this site's own before one for every site.

    One query when nothing matches (the common case: this site's own ?tag= and ?p=
    listings); the request's site is looked up only if a site's own redirect is among the
    answers.
    """
    if not paths:
        return None
    candidates = list(Redirect.objects.filter(old_path__in=paths))
    if any(redirect.site_id is not None for redirect in candidates):
        site = Site.find_for_request(request)
        if site is not None:
            candidates = [r for r in candidates if r.site_id in (None, site.pk)]
    return min(
        candidates,
        key=lambda redirect: (paths.index(redirect.old_path), redirect.site_id is None),
        default=None,
    )
