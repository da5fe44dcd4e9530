"""Staying up when a backing service is not: a friendly 503 while the database is away.

When PostgreSQL is unreachable (restarting, failing over, out of connections) a view
raises ``OperationalError`` or ``InterfaceError``. Visitors should see a styled
"try again shortly" page with ``Retry-After``, not a 500, and crawlers should be told the
outage is temporary. The 503 page renders from a template that needs no database (no site
settings, no menus, no context processors). Recovery needs no restart: Django drops a
connection that errored at the end of the request, and ``CONN_HEALTH_CHECKS`` makes the
next request check a persistent connection before using it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def service_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The styled 503 page, rendered without touching the database."""
    body = loader.get_template("503.html").render({})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a view (or its template) into the friendly 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("Database unavailable serving %s: %s", request.path, exception)
            return service_unavailable(request)
        return None


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the error was the database going away outside a view.

    Middleware such as the redirects lookup also reads the database; those errors never reach
    ``process_exception``, so the 500 handler looks at the exception being handled.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render({}))
