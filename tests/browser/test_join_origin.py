"""The join form in Chromium: the membership page comes from the page cache, a visitor's
enquiry goes through without a CSRF token, and a form on another site posting to it is
refused (security/csrf.py).

The site runs under production settings (page cache on, one worker so the second visit
meets the first one's cache) on the demo content; the other site is a tiny HTTP server on
another port, reached as ``localhost`` (another site) or ``127.0.0.1`` (the same site,
another origin).
"""

import html
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page

from tests.ops.servers import manage, production_env, start_gunicorn, stop

from .conftest import DESKTOP

ENQUIRY = {
    "name": "Browser Visitor",
    "organisation": "Anytown Borough Council",
    "email": "visitor@anytown.gov.uk",
    "tier": "full",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[dict, str]]:
    folder = tmp_path_factory.mktemp("join-origin")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        REDIS_URL="",
        CCIN_PAGE_CACHE_SECONDS="3600",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_content")
    manage(env, "collectstatic", "--noinput", "-v0")
    process, url = start_gunicorn(env, workers=1)
    yield env, url
    stop(process)


def enquiries(env: dict, name: str) -> int:
    """How many join enquiries the site has stored from ``name``."""
    out = manage(
        env,
        "shell",
        "-c",
        f"from membership.models import JoinEnquiry; "
        f"print(JoinEnquiry.objects.filter(name={name!r}).count())",
    )
    return int(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def other_site(site) -> Iterator[int]:
    """Another site whose page posts a join enquiry to ours as soon as it loads."""
    _, url = site
    fields = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
        for k, v in {**ENQUIRY, "name": "Forged Visitor"}.items()
    )
    body = (
        "<!doctype html><title>Win a prize</title>"
        f'<form id="f" method="post" action="{url}/membership/">{fields}</form>'
        "<script>document.getElementById('f').submit()</script>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def visitor(browser: Browser, site) -> Iterator[Page]:
    _, url = site
    context = browser.new_context(base_url=url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
def test_a_visitor_sends_the_join_form_from_the_cached_page(browser, site, javascript):
    env, url = site
    context = browser.new_context(base_url=url, viewport=DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto("/membership/")
        second = page.goto("/membership/")
        assert second.headers.get("x-page-cache") == "hit"
        assert "set-cookie" not in second.headers
        assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0

        name = f"Browser Visitor {'JS' if javascript else 'no JS'}"
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Council or organisation").fill(ENQUIRY["organisation"])
        page.get_by_label("Email address").fill(ENQUIRY["email"])
        page.get_by_label("Full member").check()
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Send enquiry").click()
        assert posted.value.status == 302
        page.wait_for_url(re.compile(r"/membership/thanks/(#join)?$"))
        assert page.get_by_role("status").is_visible()
        assert "403" not in page.title()
        assert enquiries(env, name) == 1
        assert context.cookies() == []  # nothing about the visit was one visitor's own
    finally:
        context.close()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site"])
def test_a_form_on_another_origin_is_refused_and_creates_nothing(
    visitor: Page, site, other_site, host
):
    env, url = site
    with visitor.expect_response(lambda r: r.url == f"{url}/membership/") as refused:
        visitor.goto(f"http://{host}:{other_site}/")
    response = refused.value
    assert response.request.method == "POST"
    assert response.status == 403
    assert "CSRF verification failed" in response.text()
    assert enquiries(env, "Forged Visitor") == 0
