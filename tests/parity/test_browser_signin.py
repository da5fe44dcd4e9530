"""Two-step sign-in in Chromium, on PostgreSQL, against the lane's production servers.

Headless Debian Chromium, launched as tests/browser/conftest.py launches it (that file's
fixtures build a server of their own on SQLite, so they are not used here). The browser
speaks plain HTTP to the app server and sends no X-Forwarded-Proto (Chromium will not let
an interceptor rewrite the Origin header to match, so the CSRF check would refuse every
form): the server sees http, still marks its cookies Secure, and Chromium keeps Secure
cookies from loopback as it would from https.
"""

import itertools
import re
from collections.abc import Iterator

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.ops.servers import CHROMIUM, CHROMIUM_ARGS, manage

pytestmark = pytest.mark.parity

PASSWORD = "a-long-parity-browser-passphrase"
WRONG_CODE = "That code did not match. Try the newest code from your app."
VERIFY = r"/admin/2fa/verify/\?next="


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, stack) -> Iterator[Page]:
    """A fresh browser profile on the first server."""
    context = chromium.new_context(base_url=stack.servers[0])
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def server_errors(page: Page) -> list[str]:
    """Every response of 500 or more the page meets, document or not."""
    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    return errors


_moderators = itertools.count()


@pytest.fixture
def moderator(stack) -> tuple[str, str]:
    """A new moderator with a confirmed authenticator: username and the device's key."""
    username = f"parity-browser-mo-{next(_moderators)}"
    key = manage(
        stack.env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        f"u = User.objects.create_user({username!r}, 'browser-mo@councils.coop', {PASSWORD!r}); "
        "u.groups.add(Group.objects.get(name='Moderators')); "
        "print(TOTPDevice.objects.create(user=u, name='phone', confirmed=True).key)",
    ).splitlines()[-1]  # after anything the shell says about itself
    return username, key


def code(key: str, step: int = 0) -> str:
    """The code the authenticator shows now (``step`` 30-second steps away)."""
    return f"{totp(bytes.fromhex(key), drift=step):06d}"


def wrong_code(key: str) -> str:
    """Six digits the device accepts at no step near now (django-otp allows one either side)."""
    near = {code(key, step) for step in range(-2, 3)}
    return next(c for c in (f"{d}" * 6 for d in range(10)) if c not in near)


def sign_in_with_the_password(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(VERIFY + "%2Fadmin%2F$"))


def type_a_wrong_code(page: Page, key: str) -> None:
    page.get_by_label("Six-digit code from your authenticator app").fill(wrong_code(key))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Verify").click()
    assert posted.value.status == 200, "a wrong code is the form again, not an error"


def end_the_pause(stack, username: str) -> None:
    """django-otp refuses every code for a moment after a wrong one (the suite shows the
    message it then gives); clear that pause on the device rather than wait it out."""
    manage(
        stack.env,
        "shell",
        "-c",
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        f"[d.throttle_reset() for d in TOTPDevice.objects.filter(user__username={username!r})]",
    )


def test_a_moderator_signs_in_with_a_password_and_a_code_in_chromium(
    page, server_errors, moderator, stack
):
    """Password, then the second step (a wrong code refused, the right one accepted), the
    dashboard and the page explorer, then signing out from the account menu: on PostgreSQL
    in autocommit, where every code posted was once a 500."""
    username, key = moderator
    sign_in_with_the_password(page, username)

    # The password alone opens nothing in the admin: straight to the second step.
    assert page.goto("/admin/pages/").status == 200
    expect(page).to_have_url(re.compile(VERIFY + "%2Fadmin%2Fpages%2F$"))
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(VERIFY + "%2Fadmin%2F$"))
    type_a_wrong_code(page, key)
    expect(page).to_have_url(re.compile(VERIFY))
    token = page.get_by_label("Six-digit code from your authenticator app")
    expect(token).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status").get_by_text(WRONG_CODE)).to_be_visible()

    end_the_pause(stack, username)
    token.fill(code(key))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page).to_have_title(re.compile(r"^Dashboard"))

    assert page.goto("/admin/pages/").status == 200
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    expect(page.get_by_role("link", name="Explore child pages of 'Home'")).to_be_visible()

    # Signing out is a POST (ccin/urls.py): the account menu's button, not a link.
    page.get_by_role("button", name=username).click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/admin/login/$"))
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    assert not server_errors, server_errors


def test_a_moderator_who_types_a_wrong_code_is_told_so(page, server_errors, moderator):
    username, key = moderator
    sign_in_with_the_password(page, username)
    type_a_wrong_code(page, key)
    assert not server_errors, server_errors
    expect(page.get_by_role("status").get_by_text(WRONG_CODE)).to_be_visible()
