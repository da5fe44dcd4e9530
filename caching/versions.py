"""The content version, and values remembered under it until content changes.

The version is a row in the database (``caching.models.ContentVersion``). A change a public
page could show moves it on in the change's own transaction (``bump_version``, from the
signals in ``caching.page_cache``), so it commits or rolls back with the change and every
process and server sees it, with Redis, without Redis, or with Redis stalled, restarted or
flushed. Cached pages and remembered values are stored as ``(version, value)`` and used only
while the version is the same.

Reading it is one primary-key query, made once per request. Between requests a process
may reuse a version it read outside any transaction for ``CCIN_CONTENT_VERSION_SECONDS``
(default 1 s), so a change committed by another process shows within that time at most;
this process's own changes show at once. A version read inside a transaction is never
reused: it may be a change of this transaction's that has not committed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F

from .models import ContentVersion

logger = logging.getLogger(__name__)

# A day is plenty: the version changes with content, and a cold page costs milliseconds.
DEFAULT_SECONDS = 24 * 60 * 60

_memo_lock = threading.Lock()
_memo: tuple[int, float] | None = None  # (version, time.monotonic() when read)
_request = threading.local()  # .version: read once per request (None outside requests)


def memo_seconds() -> float:
    return getattr(settings, "CCIN_CONTENT_VERSION_SECONDS", 1.0)


def forget_memo() -> None:
    """Read the version afresh next time (after a change here, or a test's rollback)."""
    global _memo
    with _memo_lock:
        _memo = None
    _request.version = None


def request_started(**kwargs) -> None:
    _request.version = None
    _request.active = True


def request_finished(**kwargs) -> None:
    _request.version = None
    _request.active = False


def content_version() -> int | None:
    """The current version; None if the database cannot say (then nothing is cached)."""
    global _memo
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    in_transaction = transaction.get_connection().in_atomic_block
    now = time.monotonic()
    memo = _memo
    if memo is not None and not in_transaction and now - memo[1] < memo_seconds():
        version = memo[0]
    else:
        try:
            version = read_version()
        except DatabaseError:
            logger.warning("Could not read the content version; serving uncached", exc_info=True)
            return None
        if not in_transaction:
            with _memo_lock:
                _memo = (version, now)
    if getattr(_request, "active", False):
        _request.version = version
    return version


def read_version() -> int:
    version = ContentVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    if version is None:  # a flushed database (transactional tests); the migration makes it
        version = ContentVersion.objects.get_or_create(pk=1)[0].version
    return version


def bump_version(reason: str = "") -> None:
    """Forget every cached page and remembered value (recomputed on their next use).

    Moves the version on inside the current transaction, if there is one: other requests
    keep the old version (and see the old content) until the change commits, and a
    rolled-back change takes its move with it.
    """
    updated = ContentVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 2})
    forget_memo()
    if transaction.get_connection().in_atomic_block:
        # Another thread of this process may read the old version before the commit.
        transaction.on_commit(forget_memo)
    logger.debug("Content version moved on: %s", reason)


def current(key: str) -> tuple[int | None, object | None]:
    """The content version and ``key``'s entry if it was stored under that version."""
    version = content_version()
    if version is None:
        return None, None
    entry = cache.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return version, entry[1]
    return version, None


def store(key: str, version: int | None, value: object, seconds: int) -> None:
    if version is not None:
        cache.set(key, (version, value), seconds)


def remember(key: str, compute: Callable[[], object], seconds: int = DEFAULT_SECONDS):
    """``compute()``, kept in the cache until content next changes.

    For what many requests share and every publish can change: the menu, the site settings,
    a listing's filter choices, facet counts. ``None`` is not remembered.
    """
    if not getattr(settings, "CCIN_REMEMBER", True):
        return compute()
    full_key = f"remember:{key}"
    version, value = current(full_key)
    if value is None:
        value = compute()
        # Under the version read before computing: if content changed meanwhile, the value
        # is already out of date and the next call computes it again.
        store(full_key, version, value, seconds)
    return value
