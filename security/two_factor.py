"""Two-step sign-in for the Wagtail admin with django-otp's TOTP (an authenticator app).

Who must use it is a setting: superusers (CCIN_REQUIRE_2FA_FOR_SUPERUSERS) and members of the
groups in CCIN_REQUIRE_2FA_FOR (Moderators by default). They set it up the first time they
sign in, but a password alone cannot enrol an authenticator: whoever knew the password of a
never-enrolled moderator could otherwise have enrolled their own phone and owned the account.
The set-up page first e-mails the account's own address a link (signed, for that account and
its current password, valid an hour); opening it in the signed-in browser shows the QR code.
An administrator can print the link instead (`manage.py two_factor_link <username>`), for an
account without an address or a mail outage. Anyone else may set it up at /admin/2fa/setup/;
once they have, it is asked for every time. Recovery (lost phone): `manage.py reset_2fa
<username>` removes the user's devices and the next sign-in starts enrolment again.
"""

import base64
import math
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .background import after_response
from .client import is_admin_path
from .rate_limit import RateLimit

ISSUER = "councils.coop"
ENROLMENT_SALT = "security.two_factor.enrolment"
ENROLMENT_SECONDS = 60 * 60
ENROLMENT_PROVEN = "ccin_2fa_enrolment_proven"  # session key: the user pk the link proved
ENROLMENT_SENT = "ccin_2fa_enrolment_sent"  # session key: a link went out in this session
ENROLMENT_MAILS = RateLimit("2fa-enrol", 5, 60 * 60)  # links mailed per account per hour


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


def password_fingerprint(user) -> str:
    """Changes when the password does, so a link sent before a password change stops working."""
    return salted_hmac(ENROLMENT_SALT, user.password or "").hexdigest()[:20]


def enrolment_path(user) -> str:
    token = signing.dumps({"u": user.pk, "p": password_fingerprint(user)}, salt=ENROLMENT_SALT)
    return reverse("two_factor_enrol", args=[token])


def read_enrolment_token(token: str) -> tuple[Any, str] | None:
    """The (user pk, password fingerprint) a valid, unexpired link carries, else None."""
    try:
        data = signing.loads(token, salt=ENROLMENT_SALT, max_age=ENROLMENT_SECONDS)
    except signing.BadSignature:  # tampered, truncated or expired
        return None
    if not isinstance(data, dict) or "u" not in data or "p" not in data:
        return None
    return data["u"], str(data["p"])


def enrolment_proven(request: HttpRequest) -> bool:
    """A required user proves more than the password (the e-mailed link) before enrolling."""
    if not two_factor_required(request.user):
        return True
    return request.session.get(ENROLMENT_PROVEN) == request.user.pk


def mask(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"  # not the length either


def send_enrolment_link(request: HttpRequest, user) -> bool:
    """Mail the link to the account's own address (after the response); False over the limit."""
    if not user.email or not ENROLMENT_MAILS.hit(f"user:{user.pk}"):
        return False
    link = request.build_absolute_uri(enrolment_path(user))
    body = (
        f"Someone has signed in to the councils.coop admin as {user.get_username()} and is "
        "setting up two-step verification for the account.\n\n"
        f"If that was you, open this link in the same browser within an hour:\n{link}\n\n"
        "If it was not you, someone knows your password: change it now (use 'Forgotten "
        "password?' on the sign-in page) and tell the site's administrator. Without this "
        "link they cannot finish the set-up.\n"
    )
    after_response(
        send_mail,
        "Set up two-step verification for councils.coop",
        body,
        None,
        [user.email],
    )
    request.session[ENROLMENT_SENT] = True
    return True


def ask_for_the_link(request: HttpRequest) -> HttpResponseBase:
    """The set-up page before the e-mailed link has been opened."""
    user = request.user
    sent = bool(request.session.get(ENROLMENT_SENT))
    over_limit = False
    if user.email and (request.method == "POST" or not sent):
        over_limit = not send_enrolment_link(request, user)
        sent = sent or not over_limit
    return TemplateResponse(
        request,
        "security/two_factor_link.html",
        {
            "address": mask(user.email) if user.email else "",
            "sent": sent,
            "over_limit": over_limit,
            "minutes": ENROLMENT_SECONDS // 60,
            "next": next_url(request),
        },
    )


@never_cache
@login_required(login_url="wagtailadmin_login")
def enrol(request: HttpRequest, token: str) -> HttpResponseBase:
    """The e-mailed link: for the signed-in account and its current password, within the hour."""
    user = request.user
    found = read_enrolment_token(token)
    if (
        found is None
        or str(found[0]) != str(user.pk)
        or not constant_time_compare(found[1], password_fingerprint(user))
    ):
        return TemplateResponse(
            request, "security/two_factor_link.html", {"invalid": True}, status=400
        )
    request.session[ENROLMENT_PROVEN] = user.pk
    return redirect("two_factor_setup")


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
    if not enrolment_proven(request):
        return ask_for_the_link(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.pop(ENROLMENT_PROVEN, None)
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
        device, wait = verified_device(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        if wait:
            # django-otp makes each try after a wrong code wait longer (1 s, 2 s, 4 s …); say
            # so, or a right code typed too soon reads as "did not match".
            form.add_error(
                "token",
                f"Too many tries in a row: wait {wait} second{'s' if wait != 1 else ''}, "
                "then enter the newest code from your app.",
            )
        else:
            form.add_error("token", "That code did not match. Try the newest code from your app.")
    return TemplateResponse(
        request, "security/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )


def verified_device(user, token: str) -> tuple[TOTPDevice | None, int]:
    """The device that accepts this code (or None), and else how many seconds the user must
    wait before django-otp will check another code (0 if the code was simply wrong).

    django-otp locks the user's devices (``select_for_update``) so two requests cannot both
    spend one code; that needs a transaction, which production (autocommit, no
    ATOMIC_REQUESTS) does not otherwise have around a view. SQLite ignores the lock, and a
    test's wrapping transaction hides its absence, which is how sign-in broke on PostgreSQL.
    """
    wait = 0
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                remaining = (data["locked_until"] - timezone.now()).total_seconds()
                wait = max(wait, math.ceil(remaining))
                continue
            if device.verify_token(token):
                return device, 0
    return None, wait


urlpatterns = [
    path("setup/", setup, name="two_factor_setup"),
    # Under setup/ so the middleware lets an account still owing its second step reach it.
    path("setup/link/<str:token>/", enrol, name="two_factor_enrol"),
    path("verify/", verify, name="two_factor_verify"),
]
