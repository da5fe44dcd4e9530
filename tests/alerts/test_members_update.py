"""The Members' Update sent to its subscribers: on publishing, and by a moderator's hand."""

from datetime import date

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

FEED = "/members-update/feed/"


def test_an_issue_reaches_every_subscriber_once_however_often_they_asked(
    client,
    archive,
    make_issue,
    confirmed,
    superuser,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    make_issue(date(2026, 10, 1))
    confirmed("now@example.org", FEED)
    confirmed("weekly@example.org", FEED, frequency="weekly")

    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue(date(2026, 11, 1), title="Members' Update — November 2026")
    assert [m.to for m in mail.outbox] == [["now@example.org"]]
    assert "Members' Update — November 2026" in mail.outbox[0].subject

    # The moderator sends it now: the weekly subscriber gets it, nobody gets it twice.
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/alerts/", {"page": issue.pk, "feed": FEED})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["now@example.org", "weekly@example.org"]
