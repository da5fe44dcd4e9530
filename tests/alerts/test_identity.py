"""An alert knows an item by its page, not its address or the date it carries.

The site's JSON Feeds name each item's page and first publication (home.feeds.JsonFeed's
``_ccin``): a renamed page is not news again, and a page dated earlier than what the feed
held (a case study of older work, a report of last year) is still news when it is added.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from alerts.feeds import normalise
from alerts.models import Subscription
from news.models import NewsKind

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_a_page_renamed_after_it_was_mailed_is_not_mailed_again(
    confirmed, publish, django_capture_on_commit_callbacks
):
    confirmed("reader@example.org")
    article = publish("Councils back a fair tax pledge", kind=NewsKind.PRESS_RELEASE)
    assert len(mail.outbox) == 1

    article.slug = "councils-back-the-fair-tax-declaration"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.get_url().endswith("/councils-back-the-fair-tax-declaration/")
    assert len(mail.outbox) == 1


def test_a_page_dated_before_everything_in_the_feed_is_still_news_when_it_is_added(
    confirmed, publish
):
    publish("Already out", kind=NewsKind.PRESS_RELEASE)
    confirmed("reader@example.org")
    publish(
        "The 2019 statement, added to the archive today",
        kind=NewsKind.PRESS_RELEASE,
        release_date=datetime(2019, 5, 2, 9, 0, tzinfo=LONDON),
    )
    (message,) = mail.outbox
    assert "The 2019 statement" in message.subject


def test_a_title_with_a_line_break_is_still_mailed(confirmed, publish):
    confirmed("reader@example.org")
    publish("Election night\r\nupdate", kind=NewsKind.PRESS_RELEASE)
    (message,) = mail.outbox
    assert message.subject.startswith("Election night update")
    assert message.message()  # builds headers: a line break would raise BadHeaderError


@pytest.mark.parametrize(
    ("address", "key"),
    [
        # The listings read the last of a repeated parameter; so does the alert.
        ("/news/?kind=news&kind=press-release", "/news/feed/?kind=press-release"),
        # Order, paging and click trackers do not change what the feed holds.
        ("/case-studies/?sort=title&fbclid=1&theme=housing", "/case-studies/feed/?theme=housing"),
        ("/news/feed/json/?year=2026&utm_term=x&gclid=y", "/news/feed/?year=2026"),
    ],
)
def test_the_feed_key_is_the_feed_the_visitor_saw(address, key):
    assert normalise(address) == key


def test_the_confirmation_email_can_be_cancelled_in_one_click(client, news_index, subscribe):
    subscribe("someone-else@example.org")
    (message,) = mail.outbox
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert header in message.body  # visible, not only in the header
    html, _ = message.alternatives[0]
    assert header in html
    response = client.__class__(enforce_csrf_checks=True).post(header)
    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None
