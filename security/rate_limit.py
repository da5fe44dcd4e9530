"""One fixed-window rate limit for every form that needs one (password reset, page passwords,
join enquiries).

Counts live in the database (``security.models.RateLimitCount``), not the cache: every
worker and server shares them, and a Redis restart or outage can neither reset them nor
switch the limit off.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCount

# Windows that ended this long ago are deleted when a new one starts.
KEEP_EXPIRED = timedelta(days=1)


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``window`` seconds for each key, under the ``name`` prefix."""

    name: str
    limit: int
    window: int

    def _key(self, key: str) -> str:
        full = f"{self.name}:{key}"
        if len(full) > 300:  # an e-mail address can be long; the key must fit its column
            full = f"{self.name}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
        return full

    def count(self, key: str) -> int:
        """Hits so far in the current window."""
        return (
            RateLimitCount.objects.filter(key=self._key(key), expires_at__gt=timezone.now())
            .values_list("count", flat=True)
            .first()
            or 0
        )

    def exceeded(self, key: str) -> bool:
        """Already at the limit: the next hit would be refused."""
        return self.count(key) >= self.limit

    def hit(self, key: str) -> bool:
        """Count one hit; True while the count is within the limit."""
        full_key, now = self._key(key), timezone.now()
        with transaction.atomic():
            counted = RateLimitCount.objects.filter(key=full_key, expires_at__gt=now).update(
                count=F("count") + 1
            )
            if not counted:  # no window yet, or it has ended: start one
                RateLimitCount.objects.update_or_create(
                    key=full_key,
                    defaults={"count": 1, "expires_at": now + timedelta(seconds=self.window)},
                )
                RateLimitCount.objects.filter(expires_at__lt=now - KEEP_EXPIRED).delete()
        return self.count(key) <= self.limit
