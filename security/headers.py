"""Response headers on every page: CSP (the admin's own policy under /admin/),
Permissions-Policy and Cross-Origin-Resource-Policy.

The public Content-Security-Policy never depends on the request for anonymous visitors: the
nonce is created lazily by django-csp and only templates shown to signed-in editors (the
Wagtail user bar) ask for one, so a page cached for anonymous visitors carries a header that is
valid for everyone.
"""

from collections.abc import Callable

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .client import is_admin_path

# Features the site never uses are switched off for the page and every frame in it; video
# embeds keep full screen and picture-in-picture.
EMBED_ORIGINS = (
    '"https://www.youtube-nocookie.com" "https://www.youtube.com" "https://player.vimeo.com"'
)
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        f"encrypted-media=(self {EMBED_ORIGINS})",
        f"fullscreen=(self {EMBED_ORIGINS})",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        f"picture-in-picture=(self {EMBED_ORIGINS})",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's looser policy under /admin/.

    Wagtail's admin needs inline scripts and styles; browsers ignore 'unsafe-inline' once a
    nonce is present, so the admin policy never carries one.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if is_admin_path(request.path_info) and not getattr(response, "_csp_exempt", False):
            # A preview renders the page through the whole middleware stack on a dummy request
            # for the page's public URL, which sets the public policy; inside the admin (the
            # preview panel's frame) the admin's policy replaces it.
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        if not report_only and is_admin_path(request.path_info):
            return PolicyParts(config=settings.CCIN_ADMIN_CONTENT_SECURITY_POLICY)
        return super().get_policy_parts(request, response, report_only)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; Cross-Origin-Resource-Policy on HTML only.

    Feeds, media, documents and API JSON stay embeddable by feed readers and other sites;
    HTML pages are ours alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


# What an answer made before the middleware stack carries (health probes, CORS preflights):
# they never reach SecurityMiddleware, django-csp or SecurityHeadersMiddleware.
EARLY_CSP = "default-src 'none'; frame-ancestors 'none'"


def add_early_response_headers(response: HttpResponseBase) -> HttpResponseBase:
    """The security headers every response has, for one answered ahead of the middleware."""
    response.setdefault("X-Content-Type-Options", "nosniff")
    response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
    response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    response.setdefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
    response.setdefault("Content-Security-Policy", EARLY_CSP)
    response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response
