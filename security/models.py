"""Rate-limit counts, kept in the database so that no cache outage or restart resets them."""

from django.db import models


class RateLimitCount(models.Model):
    """Hits under one key (a form and a visitor address, or an e-mail address) in the
    current window; the window ends at ``expires_at``."""

    key = models.CharField(max_length=300, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate-limit count"
