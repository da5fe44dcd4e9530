"""Retries after an SMTP failure, digests on their schedule, and sending by hand."""

from datetime import datetime, timedelta
from smtplib import SMTPServerDisconnected
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from alerts import sending
from alerts.models import Delivery, SendAttempt, Subscriber, Subscription
from news.models import NewsKind

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


class FailingBackend(EmailBackend):
    """A mail server that is down until the test brings it back."""

    down = True

    def send_messages(self, messages):
        if FailingBackend.down:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_an_smtp_failure_is_retried_later_and_sent_once(
    client, settings, news_index, confirmed, publish
):
    confirmed("reader@example.org")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.down = True
    publish("Sent after the outage", kind=NewsKind.PRESS_RELEASE)
    assert mail.outbox == []
    delivery = Delivery.objects.get(status="pending")
    assert delivery.attempts == 1
    assert "Connection unexpectedly closed" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()

    call_command("send_alerts")  # too soon: the retry waits
    assert mail.outbox == []
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1

    FailingBackend.down = False
    sending.send_due(now=delivery.next_attempt_at + timedelta(seconds=1))
    (message,) = mail.outbox
    assert "Sent after the outage" in message.subject
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert list(SendAttempt.objects.values_list("succeeded", flat=True).order_by("pk")) == [
        False,
        True,
    ]
    sending.send_due(now=timezone.now() + timedelta(days=1))
    call_command("send_alerts")
    assert len(mail.outbox) == 1


def test_after_the_last_retry_a_delivery_has_failed_and_is_not_sent(
    client, settings, news_index, confirmed, publish
):
    confirmed("reader@example.org")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.down = True
    publish("Never gets through", kind=NewsKind.PRESS_RELEASE)
    later = timezone.now()
    for _ in sending.RETRY_DELAYS:
        later += timedelta(days=1)
        sending.send_due(now=later)
    assert Delivery.objects.get().status == "failed"
    FailingBackend.down = False
    sending.send_due(now=later + timedelta(days=1))
    assert mail.outbox == []


def test_digest_slots_are_seven_in_the_morning_london_time():
    wednesday_noon = datetime(2026, 7, 15, 12, 0, tzinfo=LONDON)
    assert sending.digest_slot("daily", wednesday_noon) == datetime(
        2026, 7, 15, 7, 0, tzinfo=LONDON
    )
    assert sending.digest_slot("weekly", wednesday_noon) == datetime(
        2026, 7, 13, 7, 0, tzinfo=LONDON
    )
    early = datetime(2026, 7, 13, 6, 59, tzinfo=LONDON)  # a Monday before seven
    assert sending.digest_slot("daily", early) == datetime(2026, 7, 12, 7, 0, tzinfo=LONDON)
    assert sending.digest_slot("weekly", early) == datetime(2026, 7, 6, 7, 0, tzinfo=LONDON)


def test_a_daily_digest_gathers_the_day_in_one_email(client, news_index, confirmed, publish):
    confirmed("daily@example.org", frequency="daily")
    publish("First of the day", kind=NewsKind.PRESS_RELEASE)
    publish("Second of the day", kind=NewsKind.PRESS_RELEASE)
    call_command("send_alerts")
    assert mail.outbox == [], "a digest waits for seven in the morning"

    subscription = Subscription.objects.get()
    tomorrow = timezone.localtime(timezone.now(), LONDON) + timedelta(days=1)
    seven = tomorrow.replace(hour=7, minute=1, second=0, microsecond=0)
    sending.run(now=seven)
    (message,) = mail.outbox
    assert message.subject.startswith("Your daily digest")
    assert "First of the day" in message.body and "Second of the day" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    sending.run(now=seven + timedelta(minutes=5))
    assert len(mail.outbox) == 1
    subscription.refresh_from_db()
    assert subscription.last_digest_at >= seven


def test_a_moderator_sends_a_page_by_hand_once(
    client, news_index, confirmed, publish, superuser, django_capture_on_commit_callbacks
):
    issue = publish("Members' Update: December", kind=NewsKind.NEWS)
    confirmed("weekly@example.org", "/news/feed/", frequency="weekly")
    confirmed("now@example.org", "/news/feed/")
    assert mail.outbox == []  # the issue was out before they subscribed

    client.force_login(superuser)
    page = client.get("/admin/alerts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/news/feed/" in text and "Send now" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/alerts/", {"page": issue.pk, "feed": "/news/feed/"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["now@example.org", "weekly@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/alerts/", {"page": issue.pk, "feed": "/news/feed/"})
    assert len(mail.outbox) == 2, "nobody gets the same issue twice"


def test_sending_by_hand_refuses_a_page_that_is_not_in_the_feed(
    client, news_index, confirmed, publish, superuser
):
    story = publish("A news story", kind=NewsKind.NEWS)
    confirmed("reader@example.org")  # press releases only
    client.force_login(superuser)
    response = client.post(
        "/admin/alerts/", {"page": story.pk, "feed": "/news/feed/?kind=press-release"}
    )
    assert response.status_code == 200
    assert "not in that feed" in response.content.decode()
    assert mail.outbox == []


def test_the_alerts_screen_is_for_moderators_only(client, django_user_model, news_index):
    editor = django_user_model.objects.create_user("eddie", "e@example.org", "pw")
    from django.contrib.auth.models import Group, Permission

    editor.groups.add(Group.objects.get(name="Editors"))
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/alerts/").status_code in (302, 403)
    moderator = django_user_model.objects.create_user("mo", "m@example.org", "pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    assert client.get("/admin/alerts/").status_code == 200


def test_addresses_are_not_kept_once_nothing_needs_them(client, news_index, confirmed, subscribe):
    subscribe("never-confirmed@example.org")
    confirmed("stays@example.org")
    confirmed("leaves@example.org")
    leaving = Subscription.objects.get(subscriber__email="leaves@example.org")
    client.post(sending.unsubscribe_url(leaving.subscriber, leaving))

    sending.forget_old(timezone.now() + timedelta(days=1))
    assert Subscriber.objects.count() == 3, "a confirmation link still works for a week"

    sending.forget_old(timezone.now() + timedelta(days=sending.KEEP_STOPPED_DAYS + 1))
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["stays@example.org"]


def test_a_queued_item_withdrawn_before_sending_is_skipped_and_a_silent_feed_waits(
    client, settings, news_index, confirmed, publish, monkeypatch
):
    confirmed("reader@example.org")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.down = True
    withdrawn = publish("Withdrawn before the retry", kind=NewsKind.PRESS_RELEASE)
    publish("Still published", kind=NewsKind.PRESS_RELEASE)
    assert Delivery.objects.filter(status="pending").count() == 2
    FailingBackend.down = False
    withdrawn.unpublish()

    # The feed does not answer for a moment: nothing is lost, it waits.
    with monkeypatch.context() as patched:
        patched.setattr("alerts.feeds.fetch", lambda key: None)
        sending.send_due(now=timezone.now() + timedelta(hours=2))
    assert Delivery.objects.filter(status="pending").count() == 2
    assert mail.outbox == []

    sending.send_due(now=timezone.now() + timedelta(days=1))
    (message,) = mail.outbox
    assert "Still published" in message.subject
    assert Delivery.objects.get(item_title="Withdrawn before the retry").status == "skipped"


def test_a_feed_silent_for_a_day_is_given_up(
    client, settings, news_index, confirmed, publish, monkeypatch
):
    """A feed that stops answering for good (its last tagged article unpublished) does not
    keep its deliveries retrying every minute for ever."""
    confirmed("reader@example.org")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.down = True
    publish("Queued while the mail server was down", kind=NewsKind.PRESS_RELEASE)
    FailingBackend.down = False
    monkeypatch.setattr("alerts.feeds.fetch", lambda key: None)
    sending.send_due(now=timezone.now() + timedelta(days=2))
    delivery = Delivery.objects.get(item_title="Queued while the mail server was down")
    assert delivery.status == "skipped"
    assert "no longer answers" in delivery.last_error
    assert mail.outbox == []
