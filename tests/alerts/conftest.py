"""Alerts follow the site's real feeds: the newsroom's fixtures, and helpers for the journey."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.news.conftest import _clear_cache, categories, make_article, news_index  # noqa: F401
from tests.news.test_members_update import archive, make_issue  # noqa: F401

PRESS = "/news/feed/?kind=press-release"
LINK = re.compile(r"https?://\S+")


def links(message, part: str) -> list[str]:
    return [url for url in LINK.findall(message.body) if part in url]


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """Ask for an alert as a visitor does; the confirmation is queued (and, inline, sent)."""

    def post(email: str, feed: str = PRESS, frequency: str = "immediately", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/alerts/subscribe/",
                {"email": email, "feed": feed, "frequency": frequency, **extra},
            )

    return post


@pytest.fixture
def confirmed(client, subscribe):
    """Subscribe ``email`` and press the button behind the e-mailed link; returns the link."""

    def make(email: str, feed: str = PRESS, frequency: str = "immediately") -> str:
        before = len(mail.outbox)
        subscribe(email, feed, frequency)
        (link,) = links(mail.outbox[before], "/alerts/confirm/")
        assert client.post(link).status_code == 200
        mail.outbox.clear()
        return link

    return make


@pytest.fixture
def publish(make_article, django_capture_on_commit_callbacks):  # noqa: F811
    """Publish an article; the page_published task runs (inline) once the publish commits.

    Publish through this, not ``make_article``: one check is queued per transaction, and a
    test's transaction never commits, so an uncaptured publish would hold the only slot.
    """

    def make(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(*args, **kwargs)

    return make
