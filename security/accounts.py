"""Account protection: the axes lockout page, the password-reset throttle and its mail."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from wagtail.admin.forms.auth import PasswordResetForm

from .background import after_response
from .client import client_ip
from .rate_limit import RateLimit


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
    limit = RateLimit(
        "pwreset", settings.CCIN_PASSWORD_RESET_LIMIT, settings.CCIN_PASSWORD_RESET_WINDOW
    )
    email = request.POST.get("email", "").strip().lower()[:254]
    # Count both, even when the first is already over: each limit sees every attempt.
    by_address = limit.hit(f"ip:{client_ip(request)}")
    by_email = limit.hit(f"email:{email}")
    return by_address and by_email


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


class QuietPasswordResetForm(PasswordResetForm):
    """Wagtail's reset form (``WAGTAILADMIN_USER_PASSWORD_RESET_FORM``), finding the account
    and sending its mail after the response, so the answer takes as long whether or not the
    address has an account (security/background.py)."""

    def save(self, **kwargs) -> None:
        after_response(super().save, **kwargs)
