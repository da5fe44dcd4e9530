"""An e-mail alert as production sends it: production settings on PostgreSQL, gunicorn over
HTTP, a real `db_worker` in a process of its own, the lane's SMTP sink. Subscribe, confirm by
the link from the sink, publish, receive once, unsubscribe in one click, publish again,
receive nothing more."""

import re
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.ops.servers import ROOT, manage

from .conftest import wait_for
from .test_production import Browser

pytestmark = pytest.mark.parity

ADDRESS = "parity-alerts@example.org"
FEED = "/news/feed/?kind=press-release"
PUBLISH = (
    "from news.models import NewsCategory, NewsIndexPage, NewsKind, NewsPage; "
    "index = NewsIndexPage.objects.get(); "
    "page = NewsPage(title={title!r}, slug={slug!r}, kind=NewsKind.PRESS_RELEASE, "
    "summary='A parity press release.', category=NewsCategory.objects.first()); "
    "index.add_child(instance=page); page.save_revision().publish()"
)


def worker(stack) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "db_worker", "--backend", "background"]
        + ["--queue-name", "*", "--interval", "0.5", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link(message: str, part: str) -> str:
    found = [url for url in re.findall(r"https?://[^\s<>\"]+", message) if part in url]
    assert found, f"no {part} link in the message"
    return path_of(found[0])


def publish(stack, title: str, slug: str) -> None:
    manage(stack.env, "shell", "--no-imports", "-c", PUBLISH.format(title=title, slug=slug))


def test_an_alert_from_subscribing_to_one_click_unsubscribe(stack):
    server = stack.servers[0]
    visitor = Browser(server)
    process = worker(stack)
    try:
        status, headers, _ = visitor.request(
            "/alerts/subscribe/",
            {"email": ADDRESS, "feed": FEED, "frequency": "immediately", "website": ""},
        )
        assert status == 302 and headers["Location"].endswith("/alerts/check-your-inbox/")

        wait_for(lambda: stack.mail_to(ADDRESS), 60, "the confirmation e-mail")
        (confirmation,) = stack.mail_to(ADDRESS)
        confirm = link(confirmation, "/alerts/confirm/")
        # Opening the link (a mail scanner would) confirms nothing; the button does.
        browser = Browser(stack.servers[1])
        status, _, html = browser.request(confirm)
        assert status == 200 and "Yes, start my alert" in html
        status, _, html = browser.request(confirm, {"csrfmiddlewaretoken": browser.csrf(html)})
        assert status == 200 and "Your alert is on" in html

        publish(stack, "Parity: councils agree a co-operative charter", "parity-charter")
        wait_for(lambda: len(stack.mail_to(ADDRESS)) == 2, 60, "the alert e-mail")
        alert = stack.mail_to(ADDRESS)[1]
        assert "Parity: councils agree a co-operative charter" in alert
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in alert
        header = re.search(r"List-Unsubscribe:\s*<([^>]+)>", alert)  # may be folded
        assert header, "no List-Unsubscribe header"

        # Again, from the scheduler: nothing is sent twice.
        manage(stack.env, "send_alerts")

        # One click, as a mail program does it (RFC 8058): a POST, no cookie, no token.
        request = urllib.request.Request(  # noqa: S310
            server + path_of(header.group(1)),
            data=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            assert response.status == 200
            assert "You have unsubscribed" in response.read().decode()

        publish(stack, "Parity: a second press release", "parity-second")
        manage(stack.env, "send_alerts")
        wait_for(
            lambda: (
                not manage(
                    stack.env,
                    "shell",
                    "--no-imports",
                    "-c",
                    "from django_tasks_db.models import DBTaskResult; "
                    "waiting = DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']); "
                    "print(waiting.count() or '')",
                ).strip()
            ),
            60,
            "the worker to finish",
        )
        assert len(stack.mail_to(ADDRESS)) == 2, "mail after unsubscribing"
    finally:
        process.terminate()
        process.wait(timeout=60)
