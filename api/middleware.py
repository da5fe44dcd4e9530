"""CORS for the public API."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from security.headers import add_early_response_headers


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
            add_early_response_headers(response)
        else:
            response = self.get_response(request)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
        return response
