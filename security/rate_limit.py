"""One fixed-window rate limit for every form that needs one (password reset, join enquiries).

Counts live in the default cache (Redis in production), so every worker shares them.
"""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``window`` seconds for each key, under the ``name`` prefix."""

    name: str
    limit: int
    window: int

    def _key(self, key: str) -> str:
        return f"{self.name}:{key}"

    def count(self, key: str) -> int:
        """Hits so far in the current window."""
        return cache.get(self._key(key), 0)

    def exceeded(self, key: str) -> bool:
        """Already at the limit: the next hit would be refused."""
        return self.count(key) >= self.limit

    def hit(self, key: str) -> bool:
        """Count one hit; True while the count is within the limit."""
        full_key = self._key(key)
        cache.add(full_key, 0, timeout=self.window)
        try:
            count = cache.incr(full_key)
        except ValueError:  # expired between add and incr
            cache.set(full_key, 1, timeout=self.window)
            count = 1
        return count <= self.limit
