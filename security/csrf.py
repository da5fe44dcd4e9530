"""CSRF protection for public forms that must sit on cached pages: the browser's own word.

A CSRF token is one visitor's own, so a page that carries one can never be served from the
page cache. A form marked ``@same_origin_form`` carries no token; Django's checks stay as
they are for everything else. ``SameOriginCsrfMiddleware`` accepts an anonymous, token-less
POST to such a form only when the browser says it comes from a page of this site:

- ``Sec-Fetch-Site: same-origin``. Browsers set it themselves and no page can set or change
  it (a forbidden header name); ``cross-site`` and ``same-site`` are refused.
- without ``Sec-Fetch-Site``, an ``Origin`` that is this site's own (Django's own check, with
  ``CSRF_TRUSTED_ORIGINS``). Another origin, or ``null``, is refused, with either header.
- with neither (a browser too old to send them, or an extension or proxy that strips
  them), or with ``Sec-Fetch-Site: none`` (the visitor's own action, not a page's), nothing
  is refused or acted on: the form's ``resend`` view shows the form again, as it was sent,
  with a token, and the second POST passes Django's token check.

Refusals are Django's own: a 403 from ``CSRF_FAILURE_VIEW``. A POST that carries a token, a
signed-in user's, and any POST to another view get Django's check unchanged. docs/security.md
has the reasoning.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.middleware.csrf import CsrfViewMiddleware
from wagtail.models import Page

# Wagtail's view for every page's URL, by name: importing wagtail.views loads models, and
# page models import this module for the decorator.
WAGTAIL_SERVE = ("wagtail.views", "serve")
# Set on a @same_origin_form view; the middleware relaxes its check for nothing else.
MARK = "csrf_same_origin_form"
# Set on the request when the POST neither proved its origin nor carried a token.
RESEND = "csrf_resend_with_token"

FOREIGN_SITES = "Sec-Fetch-Site is %s."
BAD_ORIGIN = "Origin checking failed - %s does not match any trusted origins."


def same_origin_form(resend: Callable[..., HttpResponse]):
    """Mark a page route whose POSTs are accepted on the browser's proof of same origin.

    ``resend(request, page)`` answers a POST that gave no proof and no token: the form again,
    bound to what was sent and with a token. The marked view itself never sees such a POST.
    """

    def decorate(view):
        @wraps(view)
        def checked(page, request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if getattr(request, RESEND, False):
                return resend(request, page)
            return view(page, request, *args, **kwargs)

        setattr(checked, MARK, True)
        return checked

    return decorate


class SameOriginCsrfMiddleware(CsrfViewMiddleware):
    """Django's CsrfViewMiddleware, plus the origin check for ``@same_origin_form`` views."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if not self.origin_checked(request, callback, callback_args, callback_kwargs):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
        if fetch_site not in ("", "same-origin", "none"):
            return self._reject(request, FOREIGN_SITES % fetch_site)
        origin = request.META.get("HTTP_ORIGIN")
        if origin is not None and not self._origin_verified(request):
            return self._reject(request, BAD_ORIGIN % origin)
        if fetch_site == "same-origin" or (not fetch_site and origin is not None):
            return self._accept(request)
        # No word from the browser either way: show the form again, with a token.
        setattr(request, RESEND, True)
        return self._accept(request)

    @staticmethod
    def origin_checked(request: HttpRequest, callback, callback_args, callback_kwargs) -> bool:
        """An anonymous, token-less POST (or other unsafe method) to a @same_origin_form view."""
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return False
        if (
            getattr(callback, "__module__", ""),
            getattr(callback, "__qualname__", ""),
        ) != WAGTAIL_SERVE:
            return False
        if getattr(request, "csrf_processing_done", False):
            return False
        if getattr(request, "_dont_enforce_csrf_checks", False):
            return False  # the test client without enforce_csrf_checks: Django accepts
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False  # signed-in users: their forms carry a token, and Django checks it
        if carries_token(request):
            return False
        # Wagtail's URL pattern passes the page's path positionally.
        path = callback_args[0] if callback_args else callback_kwargs.get("path", "")
        route = Page.route_for_request(request, path)
        if route is None:
            return False
        page, args, _ = route
        # A routable page's route is (view, args, kwargs); any other page is served by serve().
        view = args[0] if args and callable(args[0]) else getattr(page, "serve", None)
        return bool(getattr(view, MARK, False))


def carries_token(request: HttpRequest) -> bool:
    """The request sends a CSRF token, as a form field or a header: Django checks it."""
    if request.META.get(settings.CSRF_HEADER_NAME):
        return True
    if request.method != "POST":
        return False
    try:
        return bool(request.POST.get("csrfmiddlewaretoken"))
    except UnreadablePostError:
        return False  # Django's own check treats an unreadable body as no token
