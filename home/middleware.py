"""Middleware that must run before Django's host and HTTPS checks."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .views import healthz, readyz

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
            return probe(request)
        return self.get_response(request)


class APICorsMiddleware:
    """Let any website read the public API from the browser: GET only, /api/ only.

    The API is anonymous and read-only, so a wildcard origin exposes nothing a visitor
    could not fetch themselves; no credentials are allowed, and the rest of the site sends
    no CORS headers at all.
    """

    PREFIX = "/api/"
    ALLOWED_METHODS = "GET, HEAD, OPTIONS"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            # A preflight: answer it here; only simple reads are allowed.
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = self.ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
        return response
