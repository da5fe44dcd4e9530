"""Admin accounts: lockout, passwords, password reset, two-step verification."""

import re
from io import StringIO
from unittest.mock import patch

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction

from .conftest import PASSWORD


def attempt(client, username: str, password: str, ip: str = "203.0.113.5", **extra):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        **extra,
    )


def fail_until_locked(client, username: str, ip: str = "203.0.113.5", **extra):
    for _ in range(5):
        response = attempt(client, username, "wrong-password", ip, **extra)
        assert response.status_code in (200, 429)


# --- Lockout (django-axes) -------------------------------------------------------------------


def test_repeated_failures_lock_that_username_from_that_address(client, editor, home_page):
    fail_until_locked(client, "eddie")
    response = attempt(client, "eddie", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in temporarily locked" in text
    assert "locked for 1 hour" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, editor, moderator, home_page):
    """Nobody can lock an editor out by name alone, or lock out a whole office."""
    fail_until_locked(client, "eddie", ip="203.0.113.5")
    assert attempt(client, "eddie", PASSWORD, ip="198.51.100.7").status_code == 302
    client.logout()
    assert attempt(client, "mo", PASSWORD, ip="203.0.113.5").status_code == 302


def test_a_successful_login_resets_the_count(client, editor, home_page):
    for _ in range(4):
        attempt(client, "eddie", "wrong-password")
    assert attempt(client, "eddie", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "eddie", "wrong-password")
    assert attempt(client, "eddie", PASSWORD).status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(client, editor, home_page, settings):
    """With TRUSTED_PROXY_COUNT=1 the proxy's view of the client is used; the part the client
    writes itself (further left) cannot dodge the lock."""
    settings.TRUSTED_PROXY_COUNT = 1
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        attempt(
            client,
            "eddie",
            "wrong-password",
            ip="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.9",
        )
    locked = attempt(
        client, "eddie", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9"
    )
    assert locked.status_code == 429
    elsewhere = attempt(
        client, "eddie", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert elsewhere.status_code == 302


def test_a_forged_forwarded_address_from_outside_the_proxies_is_ignored(
    client, editor, home_page, settings
):
    """With TRUSTED_PROXY_COUNT=1 but the app server reached directly from a public address,
    the header is the visitor's own writing: five guesses with five forged addresses lock."""
    settings.TRUSTED_PROXY_COUNT = 1
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        attempt(client, "eddie", "wrong-password", ip="198.51.100.7", HTTP_X_FORWARDED_FOR=spoofed)
    locked = attempt(client, "eddie", PASSWORD, ip="198.51.100.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert locked.status_code == 429


def test_the_proxy_addresses_can_be_narrowed(rf, settings):
    from security.client import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.1.2.3"]
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client_ip(rf.get("/", REMOTE_ADDR="10.1.2.3", **forwarded)) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.1.2.4", **forwarded)) == "10.1.2.4"


def test_without_trusted_proxies_forwarded_headers_are_ignored(client, editor, home_page):
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        attempt(client, "eddie", "wrong-password", HTTP_X_FORWARDED_FOR=spoofed)
    assert attempt(client, "eddie", PASSWORD, HTTP_X_FORWARDED_FOR="6.6.6.6").status_code == 429


def test_an_administrator_can_unlock(client, editor, home_page):
    fail_until_locked(client, "eddie")
    call_command("axes_reset_username", "eddie")
    assert attempt(client, "eddie", PASSWORD).status_code == 302


# --- Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak", ["short-pw-1", "password1234", "123456789012", "qwerty123456", "1q2w3e4r5t6y"]
)
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_uncommon_passphrase_is_accepted():
    validate_password("tidal-orchard-lantern-42")


def reset(client, email: str, ip: str = "203.0.113.5"):
    return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_does_not_say_whether_an_address_exists(client, editor, home_page):
    known = reset(client, "eddie@councils.coop")
    unknown = reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eddie@councils.coop"]


def test_password_reset_is_rate_limited_silently(client, editor, home_page):
    for index in range(5):
        assert reset(client, f"someone{index}@example.org").status_code == 302
    throttled = reset(client, "eddie@councils.coop")
    assert throttled.status_code == 302
    assert throttled["Location"] == "/admin/password_reset/done/"
    assert mail.outbox == []  # over the limit: the same answer, but nothing is sent
    # Another address is unaffected.
    assert reset(client, "eddie@councils.coop", ip="198.51.100.7").status_code == 302
    assert len(mail.outbox) == 1


def test_one_inbox_cannot_be_flooded_from_many_addresses(client, editor, home_page):
    for index in range(5):
        reset(client, "eddie@councils.coop", ip=f"198.51.100.{index + 1}")
    assert len(mail.outbox) == 5
    reset(client, "eddie@councils.coop", ip="198.51.100.99")
    assert len(mail.outbox) == 5


# --- Two-step verification (django-otp TOTP) -------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.CCIN_REQUIRE_2FA_FOR = ["Moderators"]
    settings.CCIN_REQUIRE_2FA_FOR_SUPERUSERS = True


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolment_link(outbox) -> str:
    return re.search(r"https?://testserver(/admin/2fa/setup/link/[^/\s]+/)", outbox[-1].body)[1]


def test_moderators_enrol_at_first_sign_in(client, moderator, home_page, require_2fa):
    client.force_login(moderator)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/2fa/setup/?next=%2Fadmin%2Fpages%2F"

    # The password is not enough: the set-up page first sends a link to the account's address.
    asked = client.get(response["Location"])
    assert "Check your e-mail" in asked.content.decode()
    assert "m•••@councils.coop" in asked.content.decode()
    assert [message.to for message in mail.outbox] == [["mo@councils.coop"]]
    assert not TOTPDevice.objects.filter(user=moderator).exists()

    opened = client.get(enrolment_link(mail.outbox))
    assert opened["Location"] == "/admin/2fa/setup/"
    setup = client.get("/admin/2fa/setup/?next=/admin/pages/")
    assert setup.status_code == 200
    html = setup.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    assert setup.context["secret"] in html

    wrong = client.post("/admin/2fa/setup/", {"token": "000000", "next": "/admin/pages/"})
    assert "That code did not match" in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()  # a failed code makes the next try wait a moment
    done = client.post(
        "/admin/2fa/setup/", {"token": current_code(device), "next": "/admin/pages/"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/admin/pages/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/pages/").status_code == 200


def test_a_password_alone_cannot_enrol_a_never_enrolled_moderator(
    client, moderator, home_page, require_2fa
):
    """Whoever has only the password sees 'check your e-mail' and can post nothing useful."""
    client.force_login(moderator)
    for _ in range(3):
        page = client.get("/admin/2fa/setup/")
        assert page.status_code == 200 and "secret" not in (page.context or {})
        client.post("/admin/2fa/setup/", {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=moderator).exists()
    assert client.get("/admin/pages/")["Location"].startswith("/admin/2fa/setup/")
    # One mail for the first visit, one per "send again", and no more than five an hour.
    assert 1 <= len(mail.outbox) <= 5


@pytest.mark.parametrize("spoil", ["tampered", "another account", "password changed"])
def test_a_set_up_link_works_only_for_its_account_and_password(
    client, moderator, editor, home_page, require_2fa, spoil
):
    from security.two_factor import enrolment_path

    link = enrolment_path(moderator)
    if spoil == "tampered":
        link = link[:-3] + "xx/"
    elif spoil == "another account":
        link = enrolment_path(editor)
    else:
        moderator.set_password("a-brand-new-moderator-passphrase")
        moderator.save()
    client.force_login(moderator)
    refused = client.get(link)
    assert refused.status_code == 400
    assert "This set-up link does not work" in refused.content.decode()
    assert "Check your e-mail" in client.get("/admin/2fa/setup/").content.decode()


def test_an_expired_set_up_link_is_refused(client, moderator, home_page, require_2fa):
    from security import two_factor

    link = two_factor.enrolment_path(moderator)
    client.force_login(moderator)
    with patch.object(two_factor, "ENROLMENT_SECONDS", -1):
        assert client.get(link).status_code == 400


def test_an_administrator_can_print_a_set_up_link(client, moderator, home_page, require_2fa):
    out = StringIO()
    call_command("two_factor_link", "mo", stdout=out, stderr=StringIO())
    path = re.search(r"(/admin/2fa/setup/link/[^/\s]+/)", out.getvalue())[1]
    client.force_login(moderator)
    assert client.get(path)["Location"] == "/admin/2fa/setup/"
    assert "secret" in client.get("/admin/2fa/setup/").context


def test_a_moderator_without_an_address_is_told_whom_to_ask(
    client, moderator, home_page, require_2fa
):
    moderator.email = ""
    moderator.save()
    client.force_login(moderator)
    page = client.get("/admin/2fa/setup/").content.decode()
    assert "Ask the site's administrator for a set-up link" in page
    assert mail.outbox == []


def test_superusers_must_enrol_too(client, superuser, home_page, require_2fa):
    client.force_login(superuser)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_editors_are_not_forced(client, editor, home_page, require_2fa):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_anyone_enrolled_is_asked_for_a_code_at_sign_in(client, editor, home_page, require_2fa):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    response = client.post(
        "/admin/login/", {"username": "eddie", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    to_verify = client.get("/admin/")
    assert to_verify["Location"] == "/admin/2fa/verify/?next=%2Fadmin%2F"
    # Setting up a second device from an unverified session is not allowed.
    assert client.get("/admin/2fa/setup/")["Location"].startswith("/admin/2fa/verify/")

    refused = client.post("/admin/2fa/verify/", {"token": "123456", "next": "/admin/"})
    assert refused.status_code == 200
    assert "did not match" in refused.content.decode()

    device.refresh_from_db()
    device.throttle_reset()
    accepted = client.post("/admin/2fa/verify/", {"token": current_code(device), "next": "/admin/"})
    assert accepted["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_typed_too_soon_after_a_wrong_one_says_to_wait(
    client, editor, home_page, require_2fa
):
    """django-otp refuses any code for a moment after a wrong one: say so, not 'no match'."""
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    client.post("/admin/2fa/verify/", {"token": "123456", "next": "/admin/"})
    too_soon = client.post("/admin/2fa/verify/", {"token": current_code(device), "next": "/admin/"})
    text = too_soon.content.decode()
    assert "Too many tries in a row: wait 1 second," in text and "did not match" not in text
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/verify/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_code_is_accepted_outside_a_wrapping_transaction(
    client, moderator, home_page, require_2fa
):
    """As production runs a request: autocommit, no test transaction around it. On PostgreSQL
    django-otp's device lock needs a transaction of its own, or every code posted was a 500
    and no moderator could sign in."""
    device = TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)
    client.force_login(moderator)
    accepted = client.post("/admin/2fa/verify/", {"token": current_code(device), "next": "/admin/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_verify_refuses_to_redirect_off_site(client, editor, home_page, require_2fa):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    response = client.post(
        "/admin/2fa/verify/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_the_public_site_is_not_gated(client, moderator, home_page, require_2fa):
    client.force_login(moderator)
    assert client.get(home_page.url).status_code == 200


def test_a_password_alone_does_not_open_restricted_pages(
    client, moderator, about_page, require_2fa
):
    """The second step guards the site's restricted pages too, not only /admin/."""
    PageViewRestriction.objects.create(page=about_page, restriction_type="login")
    device = TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)
    client.force_login(moderator)  # the password typed, no code yet
    response = client.get(about_page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/_util/login/")

    device.throttle_reset()
    client.post("/admin/2fa/verify/", {"token": current_code(device), "next": "/admin/"})
    assert client.get(about_page.url).status_code == 200


def test_reset_2fa_command_lets_a_user_enrol_again(client, moderator, home_page, require_2fa):
    TOTPDevice.objects.create(user=moderator, name="lost phone", confirmed=True)
    call_command("reset_2fa", "mo")
    assert not TOTPDevice.objects.filter(user=moderator).exists()
    client.force_login(moderator)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/setup/")


def test_pages_before_verification_can_load_their_icons(client, moderator, home_page, require_2fa):
    """The admin fetches its icon sprite on every page, the set-up page included."""
    client.force_login(moderator)
    assert client.get("/admin/sprite/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200


def test_junk_forwarded_addresses_fall_back_to_the_connection(rf, settings):
    from security.client import client_ip, login_client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.2")) == (
        "10.0.0.2"
    )
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR=" 2001:db8::1 ")) == "2001:db8::1"
    request = rf.get("/", REMOTE_ADDR="")
    assert client_ip(request) == "unknown"
    assert login_client_ip(request) is None


def test_a_junk_forwarded_header_at_sign_in_is_not_an_error(client, editor, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = attempt(client, "eddie", "wrong-password", HTTP_X_FORWARDED_FOR="<script>")
    assert response.status_code == 200
