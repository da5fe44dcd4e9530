"""Who follows which feed, and what each of them has been sent.

A ``Delivery`` row is unique on (subscriber, item): whatever feeds a person follows, and however
often the worker runs, one item reaches one person at most once (docs/alerts.md).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "As soon as each is published"
    DAILY = "daily", "A daily digest (7am)"
    WEEKLY = "weekly", "A weekly digest (Monday 7am)"


class Subscriber(models.Model):
    """An e-mail address, and the secret that opens its manage and unsubscribe links."""

    email = models.EmailField(unique=True, help_text="Stored in lower case.")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> SubscriptionQuerySet:
        """Confirmed and not unsubscribed: the alerts that are sent."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """One subscriber following one feed (its RSS path and sorted filter query: the feed key)."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    feed_key = models.CharField(max_length=500, db_index=True)
    feed_title = models.CharField(max_length=255)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Items dated before the oldest item the feed held at confirmation are old ones coming
    # back into view (another was withdrawn), not news: they are never sent.
    items_since = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["feed_key", "subscriber__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "feed_key"], name="alerts_one_subscription_per_feed"
            )
        ]
        permissions = [("send_alert", "Can send an alert by hand and see alert counts")]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.feed_key}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class Delivery(models.Model):
    """One item for one subscriber: already in the feed when they joined, queued, or sent."""

    class Status(models.TextChoices):
        BASELINE = "baseline", "In the feed before they subscribed (not sent)"
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up after repeated failures"
        SKIPPED = "skipped", "No longer published, or unsubscribed, before it could be sent"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    item_id = models.CharField(max_length=500, help_text="The feed item's id (its GUID).")
    item_title = models.CharField(max_length=500, blank=True)
    item_url = models.URLField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "item_id"], name="alerts_one_delivery_per_item"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.item_title or self.item_id} → {self.subscriber}"


class SendAttempt(models.Model):
    """One try at sending one e-mail (an alert or a digest): when, and what went wrong."""

    deliveries = models.ManyToManyField(Delivery, related_name="send_attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-attempted_at"]
