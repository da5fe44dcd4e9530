"""PostgreSQL refusing connections and coming back, as docs/operations.md promises: a styled
503 (or a cached copy), probes that say so, and recovery with no restart.

The machine's PostgreSQL stays up: a third app server reaches it through a proxy of the
test's own (tests/parity/proxy.py), which stops listening and cuts the connections the
server keeps open (CONN_MAX_AGE), then listens again on the same port.
"""

import json
import urllib.parse

import pytest

from tests.ops.servers import get, start_gunicorn, stop

from .conftest import wait_for
from .proxy import Proxy
from .test_production import Browser

pytestmark = pytest.mark.parity

PUBLIC = ["/", "/news/", "/case-studies/", "/membership/members/", "/search/?q=council"]
API = ["/api/v2/pages/", "/api/v2/members/"]
READY = {"database": "ok", "cache": "ok", "storage": "ok"}
REQUESTS = 8  # per address, spread over the server's two workers


@pytest.fixture(scope="module")
def proxied(stack):
    """A third app server whose database connections all go through a proxy."""
    database = urllib.parse.urlsplit(stack.env["DATABASE_URL"])
    proxy = Proxy((database.hostname, database.port or 5432))
    proxy.open()
    through = database._replace(netloc=f"{database.username}@127.0.0.1:{proxy.port}")
    process, url = start_gunicorn({**stack.env, "DATABASE_URL": through.geturl()}, workers=2)
    try:
        yield process, url, proxy
    finally:
        stop(process)
        proxy.refuse()


def answers(url: str, times: int = REQUESTS) -> list[tuple[int, dict, str]]:
    return [get(url) for _ in range(times)]


def statuses(url: str, times: int = REQUESTS) -> set[int]:
    return {status for status, _, _ in answers(url, times)}


def probe(url: str) -> tuple[int, dict]:
    status, _, body = get(url)
    return status, json.loads(body)


def unavailable_page(status: int, headers: dict, body: str) -> bool:
    """The styled "try again shortly" page of templates/503.html."""
    return (
        status == 503
        and headers.get("Retry-After") == "30"
        and "Sorry, the service is unavailable" in body
        and "Traceback" not in body
    )


def cached_copy(status: int, headers: dict, body: str) -> bool:
    return status == 200 and headers.get("X-Page-Cache") == "hit" and "Traceback" not in body


def serving(server: str) -> bool:
    return all(statuses(server + path, 4) == {200} for path in [*PUBLIC, *API])


def test_pages_answer_503_while_the_database_refuses_and_recover_without_a_restart(proxied):
    process, server, proxy = proxied
    assert serving(server)
    assert probe(server + "/readyz") == (200, {"status": "ok", "checks": READY})
    assert proxy.forwarded > 0, "the server is not reaching the database through the proxy"
    moderator = Browser(server)  # the sign-in form, opened while the database was up
    token = moderator.csrf(moderator.request("/admin/login/")[2])

    proxy.refuse()
    try:
        assert not proxy.accepts_connections()
        # A copy in the page cache may still answer while this process trusts the content
        # version it last read (CCIN_CONTENT_VERSION_SECONDS); then every page says "try
        # again shortly". Nothing else, ever: no 500, no traceback, no stale copy for long.
        pending, wrong = set(PUBLIC), []

        def every_page_says_unavailable() -> bool:
            for path in sorted(pending):
                answer = get(server + path)
                if unavailable_page(*answer):
                    pending.discard(path)
                elif not cached_copy(*answer):
                    wrong.append(f"{path} -> {answer[0]}")
            return not pending or bool(wrong)

        wait_for(
            every_page_says_unavailable, seconds=15, what="every public page to answer the 503 page"
        )
        assert not wrong, wrong
        for path in API:
            for status, headers, body in answers(server + path):
                assert (status, headers.get("Retry-After")) == (503, "30"), path
                assert "Traceback" not in body
        for _ in range(4):
            assert probe(server + "/readyz") == (
                503,
                {"status": "unavailable", "checks": {**READY, "database": "unavailable"}},
            )
            assert probe(server + "/healthz") == (
                503,
                {"status": "error", "database": "unavailable"},
            )
        sign_in = {"csrfmiddlewaretoken": token, "username": "parity-nobody", "password": "x" * 20}
        for _ in range(4):
            status, headers, body = moderator.request("/admin/login/")
            assert status == 200 or unavailable_page(status, headers, body)
            assert unavailable_page(*moderator.request("/admin/login/", sign_in))
    finally:
        proxy.open()
    wait_for(lambda: serving(server), seconds=30, what="the server to reach the database again")
    assert probe(server + "/readyz") == (200, {"status": "ok", "checks": READY})
    assert process.poll() is None, "the server was restarted"


def test_connections_the_database_dropped_are_replaced_before_the_next_request_uses_them(
    proxied,
):
    """A restart or failover closes every connection the servers keep (CONN_MAX_AGE); with
    CONN_HEALTH_CHECKS the next request finds its connection dead and opens another, so no
    visitor meets the old one: not one 503 once the database is back."""
    _, server, proxy = proxied
    wait_for(lambda: serving(server), seconds=30, what="the server to serve")
    assert proxy.connections > 0, "the server keeps no connection open to drop"
    proxy.refuse()
    proxy.open()
    answered = [status for path in [*PUBLIC, *API] for status in statuses(server + path)]
    assert set(answered) == {200}
    assert probe(server + "/readyz") == (200, {"status": "ok", "checks": READY})
