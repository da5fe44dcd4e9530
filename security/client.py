"""Who is asking: the visitor's address behind trusted proxies, and whether a path is the admin."""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, for rate limits and login lockouts.

    Behind N proxies that each append to X-Forwarded-For (settings.TRUSTED_PROXY_COUNT),
    the Nth entry from the right is the one our own first proxy saw; entries further left
    are whatever the client sent and cannot be trusted. With no proxies configured the
    header is ignored entirely, so nobody can pick their own address. The header is also
    ignored when the connection does not come from a proxy's address
    (settings.TRUSTED_PROXY_ADDRESSES): someone who reaches the app server directly, past
    the proxy, could otherwise write any address and never be counted.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded and from_trusted_proxy(request):
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = _valid_ip(hops[-min(proxies, len(hops))])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", "")) or "unknown"


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the connection comes from an address where our own proxies sit."""
    peer = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return False
    address = ipaddress.ip_address(peer)
    return any(address in network for network in trusted_proxy_networks())


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_proxy_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXY_ADDRESSES", ())))


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
