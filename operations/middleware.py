"""Middleware that must run before Django's host and HTTPS checks."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from security.headers import add_early_response_headers

from .health import healthz, readyz

PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before ALLOWED_HOSTS and the HTTPS redirect apply.

    Load balancers and Docker's HEALTHCHECK call the app by IP over plain HTTP; the check
    must reach the database, not be redirected or refused as an unknown host.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path)
        if probe is not None and request.method in ("GET", "HEAD"):
            return add_early_response_headers(probe(request))
        return self.get_response(request)
