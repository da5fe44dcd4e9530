"""Subscribe, confirm, get each new matching item once by e-mail, unsubscribe in one click."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from alerts.models import Delivery, Subscription
from news.models import NewsKind

from .conftest import PRESS, links

pytestmark = pytest.mark.django_db

QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def test_the_confirmation_is_queued_not_sent_in_the_request(
    client, settings, news_index, subscribe, monkeypatch
):
    settings.TASKS = QUEUE
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    response = subscribe("reader@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-inbox/"
    assert mail.outbox == [], "the confirmation was sent inside the request"
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert Subscription.objects.get().confirmed_at is None

    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay")
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Confirm your e-mail alert" in message.subject
    assert links(message, "/alerts/confirm/")
    assert Subscription.objects.get().confirmed_at is None, "only the link's button confirms"


def test_journey_subscribe_confirm_publish_receive_once_unsubscribe(client, confirmed, publish):
    publish("Already out", kind=NewsKind.PRESS_RELEASE)
    link = confirmed("reader@example.org")

    # Opening the link (a mail scanner does) does not confirm again or change anything.
    page = client.get(link)
    assert page.status_code == 200 and "already confirmed" in page.content.decode()
    assert mail.outbox == []  # what was in the feed before is not news

    publish("Councils launch a co-operative energy company", kind=NewsKind.PRESS_RELEASE)
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Councils launch a co-operative energy company" in message.subject
    assert "Councils launch a co-operative energy company" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/alerts/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Councils launch a co-operative energy company" in html
    assert links(message, "/alerts/manage/")

    # A news story does not match a press-release alert.
    publish("A story, not a press release", kind=NewsKind.NEWS)
    assert len(mail.outbox) == 1

    # Running everything again sends nothing twice.
    call_command("send_alerts")
    publish("Yet another story", kind=NewsKind.NEWS)
    assert len(mail.outbox) == 1

    # One click, as a mail client does it: a POST without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "no more alerts" in response.content.decode()
    publish("After unsubscribing", kind=NewsKind.PRESS_RELEASE)
    call_command("send_alerts")
    assert len(mail.outbox) == 1


def test_an_unsubscribe_link_opened_shows_a_button_and_changes_nothing(
    client, news_index, confirmed
):
    confirmed("reader@example.org")
    subscription = Subscription.objects.get()
    token = subscription.subscriber.token
    page = client.get(f"/alerts/unsubscribe/{token}/?alert={subscription.pk}")
    assert page.status_code == 200
    assert "<button" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.active


def test_an_embargoed_release_is_mailed_only_once_it_goes_live(
    client, news_index, confirmed, publish, django_capture_on_commit_callbacks, monkeypatch
):
    confirmed("journalist@example.org")
    go_live = timezone.now() + timedelta(hours=2)
    page = publish(
        "Embargoed statement on devolution",
        kind=NewsKind.PRESS_RELEASE,
        release_date=None,
        publish=False,
        go_live_at=go_live,
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    call_command("send_alerts")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")  # nothing is due yet
    assert mail.outbox == []

    later = go_live + timedelta(minutes=1)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: later)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    (message,) = mail.outbox
    assert "Embargoed statement on devolution" in message.subject
    call_command("send_alerts")
    assert len(mail.outbox) == 1


def test_a_private_page_is_never_mailed(
    client, news_index, confirmed, publish, django_capture_on_commit_callbacks
):
    confirmed("reader@example.org")
    page = publish("Members only briefing", kind=NewsKind.PRESS_RELEASE, publish=False)
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    call_command("send_alerts")
    assert mail.outbox == []
    assert not Delivery.objects.exclude(status="baseline").exists()


def test_someone_following_two_feeds_gets_an_item_once(client, news_index, confirmed, publish):
    confirmed("reader@example.org", PRESS)
    confirmed("reader@example.org", "/news/feed/")
    publish("Press release in both feeds", kind=NewsKind.PRESS_RELEASE)
    call_command("send_alerts")
    assert len(mail.outbox) == 1
