"""Security plumbing shared by the whole site: the visitor's address behind proxies, response
headers (CSP, Permissions-Policy, CORP), the admin's own policy, the axes lockout page and the
password-reset throttle.

The public Content-Security-Policy never depends on the request for anonymous visitors: the
nonce is created lazily by django-csp and only templates shown to signed-in editors (the
Wagtail user bar) ask for one, so a page cached for anonymous visitors carries a header that is
valid for everyone.
"""

import ipaddress
from collections.abc import Callable

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

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


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, for rate limits and login lockouts.

    Behind N proxies that each append to X-Forwarded-For (settings.TRUSTED_PROXY_COUNT),
    the Nth entry from the right is the one our own first proxy saw; entries further left
    are whatever the client sent and cannot be trusted. With no proxies configured the
    header is ignored entirely, so nobody can pick their own address.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = _valid_ip(hops[-min(proxies, len(hops))])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", "")) or "unknown"


def _valid_ip(value: str) -> str | None:
    """The address itself if it is one (PostgreSQL's inet columns take nothing else)."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def login_client_ip(request: HttpRequest) -> str | None:
    """client_ip for django-axes, which wants None rather than a placeholder."""
    address = client_ip(request)
    return None if address == "unknown" else address


def is_admin_path(path: str) -> bool:
    return path.startswith(getattr(settings, "CCIN_ADMIN_PATH_PREFIX", "/admin/"))


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


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """What django-axes shows on the Wagtail login page once an account is locked here."""
    hours = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "security/locked_out.html",
        {"cooloff_hours": hours, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def password_reset_allowed(request: HttpRequest) -> bool:
    """Count a reset request from this address and for this address; False once over the limit.

    Both counts matter: one visitor trying many addresses, and many visitors flooding one
    person's inbox.
    """
    limit = settings.CCIN_PASSWORD_RESET_LIMIT
    window = settings.CCIN_PASSWORD_RESET_WINDOW
    email = request.POST.get("email", "").strip().lower()[:254]
    allowed = True
    for key in (f"pwreset:ip:{client_ip(request)}", f"pwreset:email:{email}"):
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        allowed = allowed and count <= limit
    return allowed


def throttled_password_reset(view: Callable) -> Callable:
    """Wrap Wagtail's password reset view: over the limit, say the same as always, send nothing.

    Wagtail's view (Django's PasswordResetView) already answers identically whether or not the
    address belongs to an account; the throttle keeps that silence.
    """

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method == "POST" and not password_reset_allowed(request):
            return redirect("wagtailadmin_password_reset_done")
        return view(request, *args, **kwargs)

    return wrapped
