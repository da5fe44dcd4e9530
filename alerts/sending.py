"""Finding what is new in each followed feed, and sending it: once, and only when it is live.

Everything here runs in the background worker or the scheduler, never in a request:

- ``check_feeds`` reads each feed that immediate subscribers follow and queues (``Delivery``,
  status pending) every item a subscriber has not had. The unique (subscriber, item) row is
  the promise that nobody gets an item twice, whichever feeds they follow and however many
  workers run at once.
- ``gather_digests`` does the same for daily and weekly subscribers whose digest is due.
- ``send_due`` sends pending deliveries: one e-mail per item for immediate alerts, one per
  subscription for a digest. Each item is looked up again in its feed just before sending,
  so one withdrawn (or made private) since it was queued is skipped.

At most once: a delivery is claimed (pending → sending) before its e-mail goes to the mail
server and marked sent after; an SMTP error puts it back to pending with a later retry time
(``RETRY_DELAYS``), and after the last one it is failed. A worker that dies between handing
the e-mail over and recording it leaves the delivery "sending", and it is not sent again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import feeds
from .feeds import FeedContent, Item
from .models import Delivery, Frequency, SendAttempt, Subscriber, Subscription

logger = logging.getLogger(__name__)

Status = Delivery.Status
LONDON = ZoneInfo("Europe/London")
DIGEST_TIME = time(7, 0)
# Seconds to wait after the 1st, 2nd, … failure; after the last the delivery has failed.
RETRY_DELAYS = getattr(settings, "ALERTS_RETRY_DELAYS", (60, 5 * 60, 30 * 60, 2 * 60 * 60))
CONFIRM_MAX_AGE = getattr(settings, "ALERTS_CONFIRM_MAX_AGE", 7 * 24 * 60 * 60)
CONFIRM_SALT = "alerts.confirm"
# Days an unsubscribed alert is kept (so the moderators' counts and the "sent" records hold
# for a while) before it, and an address left with no alert, is deleted.
KEEP_STOPPED_DAYS = getattr(settings, "ALERTS_KEEP_STOPPED_DAYS", 30)


# Addresses ---------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return feeds.site_root_url() + path


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(subscriber: Subscriber, subscription: Subscription | None = None) -> str:
    path = reverse("alerts_unsubscribe", args=[subscriber.token])
    return absolute(path + (f"?alert={subscription.pk}" if subscription else ""))


def manage_url(subscriber: Subscriber) -> str:
    return absolute(reverse("alerts_manage", args=[subscriber.token]))


# E-mails -----------------------------------------------------------------------------------


def build_email(
    template: str, subscriber: Subscriber, subject: str, context: dict, *, unsubscribe: str
) -> EmailMultiAlternatives:
    context = {
        **context,
        "subscriber": subscriber,
        "unsubscribe_url": unsubscribe,
        "manage_url": manage_url(subscriber),
        "site_url": feeds.site_root_url(),
    }
    footer = footer_text(context) if template != "confirm" else ""
    text = TEXT_BODIES[template](context) + footer
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        # One line: a title with a line break in it must not stop the e-mail (BadHeaderError).
        subject=" ".join(subject.split()),
        body=text,
        to=[subscriber.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients offer their own one-click unsubscribe.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# Plain-text bodies are written here, not in templates: a template would HTML-escape them.


def confirm_text(c: dict) -> str:
    subscription = c["subscription"]
    return (
        "Please confirm your e-mail alert\n\n"
        f'Someone (we hope you) asked for e-mail alerts for "{subscription.feed_title}" to be '
        f"sent to {c['subscriber'].email}, {subscription.get_frequency_display().lower()}.\n\n"
        f"To start them, open this link and press the button (it works for {c['days']} days):\n"
        f"{c['confirm_url']}\n\n"
        "If you did not ask for this, ignore this e-mail: without confirmation we send nothing "
        "more.\n"
        f"Or cancel it now, in one click: {c['unsubscribe_url']}\n"
    )


def alert_text(c: dict) -> str:
    item = c["item"]
    summary = f"{item.summary}\n\n" if item.summary else ""
    return (
        f"New in {c['subscription'].feed_title}:\n\n{item.title}\n\n{summary}"
        f"Read it on the website: {item.url}\n"
    )


def digest_text(c: dict) -> str:
    items = c["items"]
    lines = [f"New in {c['subscription'].feed_title}: {len(items)} items", ""]
    for number, item in enumerate(items, 1):
        lines.append(f"{number}. {item.title}")
        if item.summary:
            lines.append(f"   {item.summary}")
        lines.extend([f"   {item.url}", ""])
    return "\n".join(lines)


def footer_text(c: dict) -> str:
    subscription = c["subscription"]
    return (
        "\n--\n"
        f'You get this because you follow "{subscription.feed_title}" '
        f"({subscription.get_frequency_display().lower()}).\n"
        f"Unsubscribe in one click: {c['unsubscribe_url']}\n"
        f"Manage all your alerts: {c['manage_url']}\n"
        f"Co-operative Councils' Innovation Network, {c['site_url']}\n"
    )


TEXT_BODIES = {"confirm": confirm_text, "alert": alert_text, "digest": digest_text}


def send_confirmation(subscription_id: int) -> bool:
    """The double opt-in e-mail: a signed link to confirm this alert."""
    subscription = (
        Subscription.objects.select_related("subscriber").filter(pk=subscription_id).first()
    )
    if subscription is None or subscription.active or subscription.unsubscribed_at:
        return False
    subscriber = subscription.subscriber
    link = absolute(reverse("alerts_confirm", args=[confirm_token(subscription)]))
    message = build_email(
        "confirm",
        subscriber,
        f"Confirm your e-mail alert: {subscription.feed_title}",
        {"subscription": subscription, "confirm_url": link, "days": CONFIRM_MAX_AGE // 86400},
        unsubscribe=unsubscribe_url(subscriber, subscription),
    )
    message.send()
    return True


# Confirming --------------------------------------------------------------------------------


def confirm(subscription: Subscription, content: FeedContent) -> None:
    """Start the alert: what the feed holds now counts as already seen (no backlog)."""
    now = timezone.now()
    with transaction.atomic():
        subscription.confirmed_at = now
        subscription.unsubscribed_at = None
        subscription.last_digest_at = now
        dates = [item.published for item in content.items if item.published]
        subscription.items_since = min(dates) if dates else None
        subscription.feed_title = content.title
        subscription.save()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    subscriber_id=subscription.subscriber_id,
                    subscription=subscription,
                    item_id=item.id,
                    item_title=item.title[:500],
                    item_url=item.url[:1000],
                    status=Status.BASELINE,
                )
                for item in content.items
            ],
            ignore_conflicts=True,
        )


# Queueing ----------------------------------------------------------------------------------


def is_new(subscription: Subscription, item: Item) -> bool:
    since = subscription.items_since
    return since is None or item.published is None or item.published >= since


def queue_new_items(subscriptions, content: FeedContent) -> int:
    """Queue each item each subscriber has not had; returns how many were queued."""
    subscriptions = list(subscriptions)
    if not subscriptions or not content.items:
        return 0
    had = set(
        Delivery.objects.filter(
            subscriber__in=[s.subscriber_id for s in subscriptions],
            item_id__in=[item.id for item in content.items],
        ).values_list("subscriber_id", "item_id")
    )
    new = [
        Delivery(
            subscriber_id=subscription.subscriber_id,
            subscription=subscription,
            item_id=item.id,
            item_title=item.title[:500],
            item_url=item.url[:1000],
        )
        for subscription in subscriptions
        for item in content.items
        if (subscription.subscriber_id, item.id) not in had and is_new(subscription, item)
    ]
    # Another worker may have queued the same item a moment ago: the unique row decides.
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def check_feeds(keys: list[str] | None = None) -> int:
    """Queue new items of every feed immediate subscribers follow (or of ``keys``)."""
    active = Subscription.objects.active().filter(frequency=Frequency.IMMEDIATELY)
    if keys is not None:
        active = active.filter(feed_key__in=keys)
    by_key = defaultdict(list)
    for subscription in active:
        by_key[subscription.feed_key].append(subscription)
    queued = 0
    for key, subscriptions in by_key.items():
        content = feeds.fetch(key)
        if content is None:
            logger.warning(
                "The feed %s followed by %s alerts is not there", key, len(subscriptions)
            )
            continue
        queued += queue_new_items(subscriptions, content)
    return queued


def digest_slot(frequency: str, now: datetime) -> datetime:
    """When the latest daily (07:00) or weekly (Monday 07:00) digest, London time, fell due."""
    local = timezone.localtime(now, LONDON)
    slot = datetime.combine(local.date(), DIGEST_TIME, tzinfo=LONDON)
    if slot > local:
        slot -= timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        slot -= timedelta(days=slot.weekday())
    return slot


def gather_digests(now: datetime | None = None) -> int:
    """Queue the items of every daily or weekly digest that has fallen due; returns how many."""
    now = now or timezone.now()
    due = []
    for subscription in Subscription.objects.active().exclude(frequency=Frequency.IMMEDIATELY):
        slot = digest_slot(subscription.frequency, now)
        if (subscription.last_digest_at or subscription.confirmed_at) < slot:
            due.append(subscription)
    by_key = defaultdict(list)
    for subscription in due:
        by_key[subscription.feed_key].append(subscription)
    queued = 0
    for key, subscriptions in by_key.items():
        content = feeds.fetch(key)
        if content is None:
            continue
        queued += queue_new_items(subscriptions, content)
        Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(last_digest_at=now)
    return queued


def queue_by_hand(page_url: str, key: str) -> tuple[int, str]:
    """Queue the item at ``page_url`` in feed ``key`` for all its confirmed subscribers, whatever
    their frequency (a Members' Update issue sent by a moderator). Returns (queued, title)."""
    content = feeds.fetch(key)
    if content is None:
        return 0, ""
    item = next((i for i in content.items if i.url.rstrip("/") == page_url.rstrip("/")), None)
    if item is None:
        return 0, ""
    subscriptions = list(Subscription.objects.active().filter(feed_key=key))
    had = set(
        Delivery.objects.filter(
            item_id=item.id, subscriber__in=[s.subscriber_id for s in subscriptions]
        )
        .exclude(status=Status.BASELINE)
        .values_list("subscriber_id", flat=True)
    )
    queued = 0
    for subscription in subscriptions:
        if subscription.subscriber_id in had:
            continue
        # A baseline row (it was in the feed when they joined) becomes a real delivery.
        updated = Delivery.objects.filter(
            subscriber_id=subscription.subscriber_id, item_id=item.id, status=Status.BASELINE
        ).update(status=Status.PENDING, subscription=subscription, next_attempt_at=timezone.now())
        if not updated:
            try:
                with transaction.atomic():
                    Delivery.objects.create(
                        subscriber_id=subscription.subscriber_id,
                        subscription=subscription,
                        item_id=item.id,
                        item_title=item.title[:500],
                        item_url=item.url[:1000],
                    )
            except IntegrityError:
                continue  # queued by someone else a moment ago
        queued += 1
    return queued, item.title


# Sending -----------------------------------------------------------------------------------


def claim(pks: list[int]) -> list[int]:
    """Take pending deliveries for this worker; another worker gets none of them."""
    claimed = []
    for pk in pks:
        if Delivery.objects.filter(pk=pk, status=Status.PENDING).update(status=Status.SENDING):
            claimed.append(pk)
    return claimed


# How long a delivery waits for a feed that stopped answering before it is dropped.
FEED_GONE_AFTER = timedelta(days=1)


def send_due(now: datetime | None = None) -> int:
    """Send every pending delivery whose time has come; returns how many e-mails went."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    rows = list(due.values_list("pk", "subscription_id"))
    if not rows:
        return 0
    claimed = set(claim([pk for pk, _ in rows]))
    deliveries = (
        Delivery.objects.filter(pk__in=claimed)
        .select_related("subscriber", "subscription")
        .order_by("created_at", "pk")
    )
    groups: dict[tuple, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        subscription = delivery.subscription
        if subscription is None or not subscription.active:
            Delivery.objects.filter(pk=delivery.pk).update(status=Status.SKIPPED)
            continue
        if subscription.frequency == Frequency.IMMEDIATELY:
            groups[(subscription.pk, delivery.pk)].append(delivery)
        else:
            groups[(subscription.pk, None)].append(delivery)
    contents: dict[str, FeedContent | None] = {}
    sent = 0
    for group in groups.values():
        subscription = group[0].subscription
        key = subscription.feed_key
        if key not in contents:
            contents[key] = feeds.fetch(key)
        content = contents[key]
        if content is None:
            # The feed did not answer (a database blip, a deploy): not withdrawn, so later;
            # but a feed gone for a day (its last tagged article unpublished) is gone.
            given_up = [d.pk for d in group if d.created_at < now - FEED_GONE_AFTER]
            Delivery.objects.filter(pk__in=given_up).update(
                status=Status.SKIPPED, last_error="The feed no longer answers."
            )
            Delivery.objects.filter(pk__in=[d.pk for d in group if d.pk not in given_up]).update(
                status=Status.PENDING, next_attempt_at=timezone.now() + timedelta(minutes=1)
            )
            continue
        items, gone = [], []
        for delivery in group:
            item = content.item(delivery.item_id)
            (items if item is not None else gone).append((delivery, item))
        if gone:
            Delivery.objects.filter(pk__in=[d.pk for d, _ in gone]).update(status=Status.SKIPPED)
        if not items:
            continue
        if send_group(subscription, [d for d, _ in items], [i for _, i in items]):
            sent += 1
    return sent


def send_group(subscription: Subscription, deliveries: list[Delivery], items: list[Item]) -> bool:
    """One e-mail: a single item as an alert, several as a digest. False if SMTP failed."""
    subscriber = subscription.subscriber
    if len(items) > 1:
        period = "daily" if subscription.frequency == Frequency.DAILY else "weekly"
        subject = f"Your {period} digest: {subscription.feed_title} ({len(items)} new)"
        template = "digest"
    else:
        subject = f"{items[0].title} | {subscription.feed_title}"
        template = "alert"
    attempt = SendAttempt.objects.create()
    attempt.deliveries.set(deliveries)
    pks = [d.pk for d in deliveries]
    try:
        # Built inside the try: an e-mail that cannot be built is a failed attempt like any
        # other, not a delivery left "sending" for good.
        message = build_email(
            template,
            subscriber,
            subject,
            {"subscription": subscription, "items": items, "item": items[0]},
            unsubscribe=unsubscribe_url(subscriber, subscription),
        )
        message.send()
    except Exception as error:  # SMTP refused or unreachable: try again later
        attempts = deliveries[0].attempts + 1
        text = f"{type(error).__name__}: {error}"[:2000]
        attempt.error = text
        attempt.save(update_fields=["error"])
        if attempts > len(RETRY_DELAYS):
            Delivery.objects.filter(pk__in=pks).update(
                status=Status.FAILED, attempts=attempts, last_error=text
            )
        else:
            Delivery.objects.filter(pk__in=pks).update(
                status=Status.PENDING,
                attempts=attempts,
                last_error=text,
                next_attempt_at=timezone.now() + timedelta(seconds=RETRY_DELAYS[attempts - 1]),
            )
        logger.warning("Sending an alert to subscriber %s failed: %s", subscriber.pk, text)
        return False
    Delivery.objects.filter(pk__in=pks).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=deliveries[0].attempts + 1
    )
    attempt.succeeded = True
    attempt.save(update_fields=["succeeded"])
    return True


def forget_old(now: datetime | None = None) -> int:
    """Keep no address longer than it is needed: alerts never confirmed once their link has
    expired, alerts stopped ``ALERTS_KEEP_STOPPED_DAYS`` ago, then anyone left with none."""
    now = now or timezone.now()
    Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - timedelta(seconds=CONFIRM_MAX_AGE)
    ).delete()
    Subscription.objects.filter(
        unsubscribed_at__lt=now - timedelta(days=KEEP_STOPPED_DAYS)
    ).delete()
    deleted, _ = Subscriber.objects.filter(subscriptions__isnull=True).delete()
    return deleted


def run(now: datetime | None = None) -> dict[str, int]:
    """Everything the scheduler does each minute: new items, due digests, sends and retries."""
    result = {"queued": check_feeds() + gather_digests(now), "sent": send_due(now)}
    forget_old(now)
    return result
