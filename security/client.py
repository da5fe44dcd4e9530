"""Who is asking: the visitor's address behind trusted proxies, and whether a path is the admin."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
