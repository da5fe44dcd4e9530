"""What production does and the rest of the suite cannot show: several servers, a real
PostgreSQL outside any test transaction, a Redis that stalls and stops, real HTTP."""

import base64
import http.cookies
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django_otp.oath import totp

from membership.join import JOIN_RATE_LIMIT
from tests.ops.servers import get, manage

from .conftest import wait_for

pytestmark = pytest.mark.parity

ARTICLES = "/news/"


def withdraw(stack, slug: str) -> None:
    """Unpublish an article from a third process, as an editor's server or the scheduler."""
    manage(
        stack.env,
        "shell",
        "-c",
        f"from news.models import NewsPage; NewsPage.objects.get(slug={slug!r}).unpublish()",
    )


def served_everywhere(stack, path: str, times: int = 8) -> set[int]:
    """The statuses every server gives ``path`` over several requests (both workers each)."""
    return {get(server + path)[0] for server in stack.servers for _ in range(times)}


def cached_somewhere(stack, path: str) -> bool:
    return any(
        get(server + path)[1].get("X-Page-Cache") == "hit"
        for server in stack.servers
        for _ in range(6)
    )


def listed_anywhere(stack, slug: str) -> bool:
    return any(slug in get(server + ARTICLES)[2] for server in stack.servers for _ in range(4))


def test_a_change_made_elsewhere_reaches_every_server(stack):
    slug = "cllr-jim-mcmahon-cooperative-localism-future-public-services"
    path = f"{ARTICLES}{slug}/"
    assert served_everywhere(stack, path) == {200}
    wait_for(lambda: cached_somewhere(stack, path), what="the article to be cached")
    withdraw(stack, slug)
    wait_for(lambda: served_everywhere(stack, path) == {404}, what="every server to drop it")
    wait_for(lambda: not listed_anywhere(stack, slug), what="the listings to drop it")


def test_a_redis_stall_cannot_keep_a_withdrawn_page(stack):
    """Redis paused while the article is unpublished: nothing stale once it answers again."""
    slug = "cllr-sharon-taylor-local-devolution-urgent-strategic-priority"
    path = f"{ARTICLES}{slug}/"
    wait_for(lambda: cached_somewhere(stack, path), what="the article to be cached")
    assert stack.redis.cli("CLIENT", "PAUSE", "4000", "ALL") == "OK"
    withdraw(stack, slug)
    wait_for(lambda: stack.redis.cli("ping") == "PONG", what="Redis to answer again")
    wait_for(lambda: served_everywhere(stack, path) == {404}, what="every server to drop it")
    assert not listed_anywhere(stack, slug)


def test_pages_are_served_while_redis_is_down_and_nothing_is_stale_after(stack):
    slug = "call-for-evidence-business-support-co-operatives-mutuals-final-response"
    path = f"{ARTICLES}{slug}/"
    wait_for(lambda: cached_somewhere(stack, path), what="the article to be cached")
    stack.redis.stop()
    try:
        assert served_everywhere(stack, "/", times=3) == {200}
        assert served_everywhere(stack, path, times=3) == {200}
        withdraw(stack, slug)
        wait_for(lambda: served_everywhere(stack, path, 3) == {404}, what="the servers to drop it")
    finally:
        stack.redis.start()
    wait_for(lambda: served_everywhere(stack, path) == {404}, what="no stale copy after restart")
    assert served_everywhere(stack, "/", times=3) == {200}


class Browser:
    """Just enough of a browser over plain HTTP for the admin: the lane's servers see every
    request as HTTPS (``X-Forwarded-Proto``), so their cookies are Secure, kept here by hand."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None, files: dict | None = None):
        """GET, or POST ``data`` (with ``files``, {field: (name, bytes)}, as multipart)."""
        origin = self.base.replace("http://", "https://")
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        else:
            body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=15)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, response.read().decode()

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def multipart(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = f"parity{secrets.token_hex(12)}"
    parts = []
    for name, value in data.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def moderator(stack):
    """A moderator with an enrolled authenticator; its key, to make codes."""
    key = manage(
        stack.env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        "u = User.objects.create_user("
        "'parity-mo', 'mo@councils.coop', 'a-long-parity-passphrase'); "
        "u.groups.add(Group.objects.get(name='Moderators')); "
        "print(TOTPDevice.objects.create(user=u, name='phone', confirmed=True).key)",
    ).splitlines()[-1]  # after anything the shell says about itself
    return "parity-mo", "a-long-parity-passphrase", key


def test_a_moderator_signs_in_with_a_password_and_a_code(stack, moderator):
    """On PostgreSQL, autocommit, over HTTP: every code posted was a 500 here before."""
    username, password, key = moderator
    browser = Browser(stack.servers[0])
    status, _, html = browser.request("/admin/login/")
    assert status == 200
    status, headers, _ = browser.request(
        "/admin/login/",
        {"csrfmiddlewaretoken": browser.csrf(html), "username": username, "password": password},
    )
    assert status == 302, "the password was not accepted"
    status, headers, _ = browser.request("/admin/")
    assert status == 302 and headers["Location"].startswith("/admin/2fa/verify/")
    status, _, html = browser.request("/admin/2fa/verify/")
    code = f"{totp(bytes.fromhex(key)):06d}"
    status, headers, _ = browser.request(
        "/admin/2fa/verify/?next=/admin/",
        {"csrfmiddlewaretoken": browser.csrf(html), "token": code, "next": "/admin/"},
    )
    assert status == 302, "the code was not accepted"
    assert browser.request("/admin/")[0] == 200


def test_a_password_reset_mail_reaches_the_mail_server(stack):
    """Sent as production sends it: by a worker thread after the answer, reading the account
    from PostgreSQL on a connection of its own, over SMTP (that the answer comes first is
    shown by tests/security/test_background.py)."""
    manage(
        stack.env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('parity-reset', 'reset@councils.coop', 'a-long-reset-phrase')",
    )
    browser = Browser(stack.servers[1])
    _, _, html = browser.request("/admin/password_reset/")
    status, headers, _ = browser.request(
        "/admin/password_reset/",
        {"csrfmiddlewaretoken": browser.csrf(html), "email": "reset@councils.coop"},
    )
    assert status == 302 and headers["Location"] == "/admin/password_reset/done/"
    wait_for(lambda: stack.mail_to("reset@councils.coop"), what="the reset mail")
    assert "/admin/password_reset/" in stack.mail_to("reset@councils.coop")[-1]


def test_a_never_enrolled_moderator_enrols_through_the_mailed_link(stack):
    """First sign-in of a moderator with no authenticator: the password alone gets only
    'check your e-mail'; the mailed link, opened in the same session, gets the QR code."""
    manage(
        stack.env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "u = User.objects.create_user('parity-new', 'new@councils.coop', 'a-new-mod-phrase'); "
        "u.groups.add(Group.objects.get(name='Moderators'))",
    )
    browser = Browser(stack.servers[0])
    _, _, html = browser.request("/admin/login/")
    credentials = {"username": "parity-new", "password": "a-new-mod-phrase"}
    browser.request("/admin/login/", {"csrfmiddlewaretoken": browser.csrf(html), **credentials})
    status, headers, _ = browser.request("/admin/pages/")
    assert status == 302 and headers["Location"].startswith("/admin/2fa/setup/")
    status, _, html = browser.request(headers["Location"])
    assert status == 200 and "Check your e-mail" in html and "otpauth" not in html

    wait_for(lambda: stack.mail_to("new@councils.coop"), what="the set-up link")
    link = re.search(
        r"https?://[^/\s]+(/admin/2fa/setup/link/\S+/)", stack.mail_to("new@councils.coop")[-1]
    )
    status, headers, _ = browser.request(link[1])
    assert status == 302 and headers["Location"] == "/admin/2fa/setup/"
    status, _, html = browser.request("/admin/2fa/setup/")
    secret = re.search(r"<code>([A-Z2-7]+)</code>", html)[1]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    status, headers, _ = browser.request(
        "/admin/2fa/setup/",
        {"csrfmiddlewaretoken": browser.csrf(html), "token": f"{totp(key):06d}", "next": "/admin/"},
    )
    assert status == 302, "the code from the enrolled key was not accepted"
    assert browser.request("/admin/pages/")[0] == 200


def test_the_join_form_limit_holds_while_redis_is_down(stack):
    """Counts are in PostgreSQL, written in autocommit: a stopped Redis used to switch the
    limit off (and a restart to reset it)."""
    browser = Browser(stack.servers[0])
    enquiry = {
        "name": "Parity Visitor",
        "organisation": "Anytown Borough Council",
        "role": "Policy Officer",
        "email": "visitor@anytown.gov.uk",
        "tier": "full",
        "message": "We would like to join.",
        "website": "",
    }
    stack.redis.stop()
    try:
        statuses = []
        # The join form has no CSRF token: the POST's Origin shows it comes from the site.
        for _ in range(JOIN_RATE_LIMIT + 1):
            statuses.append(browser.request("/membership/", enquiry)[0])
    finally:
        stack.redis.start()
    assert statuses == [302] * JOIN_RATE_LIMIT + [429]
    # Another server sees the same count.
    other = Browser(stack.servers[1])
    assert other.request("/membership/", enquiry)[0] == 429


JUNK = [
    "page=99999999999999999999",
    "page=-1",
    "q=%00",
    "q=%22%27%3C",
    "kind=%ff",
    "theme=..%2F..%2Fetc",
    "theme[]=x",
    "year=1e9",
    "council=" + "x" * 300,
    "search=NEAR(x",
    "id=abc",
    "html_path=%00",
]
PUBLIC = [
    "/",
    "/news/",
    "/news/feed/",
    "/news/feed/atom/",
    "/case-studies/",
    "/case-studies/feed/",
    "/publications/",
    "/policy-labs/",
    "/membership/members/",
    "/membership/elections-2026/",
    "/search/",
    "/api/v2/pages/",
    "/api/v2/pages/find/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/members/",
    "/api/v2/suppliers/",
]


def test_hostile_input_on_every_public_address_is_never_a_500(stack):
    failures = [
        f"{path}?{junk} -> {status}"
        for path in PUBLIC
        for junk in JUNK
        if (status := get(f"{stack.servers[1]}{path}?{junk}")[0]) >= 500
    ]
    assert not failures, failures
