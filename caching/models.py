"""The content version: one row, moved on by every change a public page could show."""

from django.db import models


class ContentVersion(models.Model):
    """Cached pages and remembered values are kept under the version they were made at.

    In the database, not the cache, so it moves in the same transaction as the change that
    causes it and no cache outage, stall, eviction or flush can lose a move (a lost move
    would let a withdrawn page reappear from the cache). Always one row, ``pk=1``.
    """

    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = "content version"
