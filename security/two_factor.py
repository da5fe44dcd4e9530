"""Two-step sign-in for the Wagtail admin with django-otp's TOTP (an authenticator app).

Who must use it is a setting: superusers (CCIN_REQUIRE_2FA_FOR_SUPERUSERS) and members of the
groups in CCIN_REQUIRE_2FA_FOR (Moderators by default). They set it up the first time they
sign in. Anyone else may set it up at /admin/2fa/setup/; once they have, it is asked for every
time. Recovery (lost phone): `manage.py reset_2fa <username>` removes the user's devices and
the next sign-in starts enrolment again.
"""

import base64
from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .client import is_admin_path

ISSUER = "councils.coop"


def two_factor_required(user) -> bool:
    """Whether this user must have a second step, by the settings."""
    if user.is_superuser and getattr(settings, "CCIN_REQUIRE_2FA_FOR_SUPERUSERS", True):
        return True
    groups = getattr(settings, "CCIN_REQUIRE_2FA_FOR", [])
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def redirect_with_next(view_name: str, next_path: str) -> HttpResponseRedirect:
    return redirect(f"{reverse(view_name)}?{urlencode({'next': next_path})}")


def unverified_visitor() -> AnonymousUser:
    """Who a signed-in user still owing their second step is on the public site: nobody."""
    visitor = AnonymousUser()
    visitor.is_verified = lambda: False
    return visitor


class TwoFactorMiddleware:
    """In the admin, send a signed-in but unverified user to verify (or enrol, if required);
    on the public site, treat them as anonymous until they have.

    Runs after django-otp's OTPMiddleware, which gives request.user its is_verified().
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if not is_admin_path(request.path_info):
            # The public site: pages restricted to signed-in users or groups must not open to
            # someone who has typed only the password of an account with a second step.
            if user_has_device(user) or two_factor_required(user):
                request.user = unverified_visitor()
            return self.get_response(request)
        if not self.is_exempt(request.path_info):
            if user_has_device(user):
                return redirect_with_next("two_factor_verify", request.get_full_path())
            if two_factor_required(user):
                return redirect_with_next("two_factor_setup", request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def is_exempt(path_info: str) -> bool:
        exempt = [
            reverse("two_factor_setup"),
            reverse("two_factor_verify"),
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_password_reset"),
            reverse("wagtailadmin_javascript_catalog"),
            reverse("wagtailadmin_sprite"),  # icons every admin page fetches, these included
        ]
        return any(path_info.startswith(prefix) for prefix in exempt)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())


def next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def qr_code(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG data URI for the enrolment page."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@never_cache
@login_required(login_url="wagtailadmin_login")
def setup(request: HttpRequest) -> HttpResponseBase:
    """Enrol an authenticator app: scan the code, type one code back to prove it works."""
    user = request.user
    if user_has_device(user):
        if not user.is_verified():
            return redirect_with_next("two_factor_verify", next_url(request))
        messages.info(request, "Two-step verification is already set up for your account.")
        return redirect(next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-step verification is set up.")
            return redirect(next_url(request))
        form.add_error("token", "That code did not match. Check your phone's clock and try again.")
    return TemplateResponse(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code(device),
            "secret": base64.b32encode(device.bin_key).decode("ascii"),
            "next": next_url(request),
            "required": two_factor_required(user),
        },
    )


@never_cache
@login_required(login_url="wagtailadmin_login")
def verify(request: HttpRequest) -> HttpResponseBase:
    """The second step at sign-in: a code from the enrolled app."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not user_has_device(user):
        return redirect_with_next("two_factor_setup", next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verified_device(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        form.add_error("token", "That code did not match. Try the newest code from your app.")
    return TemplateResponse(
        request, "security/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )


def verified_device(user, token: str) -> TOTPDevice | None:
    """The device that accepts this code, or None.

    django-otp locks the user's devices (``select_for_update``) so two requests cannot both
    spend one code; that needs a transaction, which production (autocommit, no
    ATOMIC_REQUESTS) does not otherwise have around a view. SQLite ignores the lock, and a
    test's wrapping transaction hides its absence, which is how sign-in broke on PostgreSQL.
    """
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None


urlpatterns = [
    path("setup/", setup, name="two_factor_setup"),
    path("verify/", verify, name="two_factor_verify"),
]
