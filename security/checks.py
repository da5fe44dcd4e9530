"""System checks for what Django's own deploy checks cannot see."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


@register("security", deploy=True)
def csrf_middleware_installed(app_configs, **kwargs) -> list[Error]:
    """Django's security.W003 (silenced: it looks for CsrfViewMiddleware by name), for the
    site's subclass (security/csrf.py): some CsrfViewMiddleware must be installed."""
    for path in settings.MIDDLEWARE:
        try:
            middleware = import_string(path)
        except ImportError:
            continue
        if isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware):
            return []
    return [
        Error(
            "No CsrfViewMiddleware (or subclass) is in MIDDLEWARE: forms are unprotected.",
            hint="Install security.csrf.SameOriginCsrfMiddleware.",
            id="ccin.E001",
        )
    ]
