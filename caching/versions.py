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

Remembered values are also kept in the process itself (``_local``), under the same version,
for ``CCIN_REMEMBER_LOCAL_SECONDS`` at most: a request then neither asks Redis (a round trip
and the value's bytes over the wire, for every value on every page) nor, for values marked
``shared``, unpickles them. The process's copy obeys the version like the cache's does, so
it adds no staleness; the time limit only bounds its memory of values nobody asks for.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
_batch = threading.local()  # .reasons: bumps held back by this thread's `one_bump()`


def memo_seconds() -> float:
    return getattr(settings, "CCIN_CONTENT_VERSION_SECONDS", 1.0)


def forget_memo() -> None:
    """Read the version afresh next time (after a change here, or a test's rollback), and
    forget the values this process kept (a rolled-back test reuses version numbers)."""
    global _memo
    with _memo_lock:
        _memo = None
    _request.version = None
    forget_local()


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
    reasons = getattr(_batch, "reasons", None)
    if reasons is not None:
        reasons.append(reason)
        if len(reasons) > 1:
            return
    updated = ContentVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 2})
    forget_memo()
    if transaction.get_connection().in_atomic_block:
        # Another thread of this process may read the old version before the commit.
        transaction.on_commit(forget_memo)
    logger.debug("Content version moved on: %s", reason)


@contextmanager
def one_bump() -> Iterator[None]:
    """Move the version on twice, not thousands of times, for the changes this thread makes
    in the block (a bulk job such as an import saves thousands of rows, each of which would
    move it).

    The first change moves it at once, so whatever the block remembers is kept under a
    version other processes cannot see until the block's transaction commits; the block's
    end moves it once more (if anything changed after the first), so nothing remembered
    from a half-done state is used afterwards. Both moves commit or roll back with the
    changes. Nested blocks fold into the outermost.
    """
    if getattr(_batch, "reasons", None) is not None:
        yield
        return
    _batch.reasons = []
    try:
        yield
        reasons = _batch.reasons
    finally:
        _batch.reasons = None
    if len(reasons) > 1:
        bump_version(f"{len(reasons) - 1} more changes, the last: {reasons[-1]}")


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


def remember(
    key: str, compute: Callable[[], object], seconds: int = DEFAULT_SECONDS, *, shared=False
):
    """``compute()``, kept in the cache until content next changes.

    For what many requests share and every publish can change: the menu, the site settings,
    a listing's filter choices, facet counts. ``None`` is not remembered.

    ``shared``: the value is never changed by its users (a frozen snapshot of tuples), so
    every request of this process may be handed the same object; otherwise each gets its
    own copy, as from the cache.
    """
    if not getattr(settings, "CCIN_REMEMBER", True):
        return compute()
    full_key = f"remember:{key}"
    version = content_version()
    if version is not None:
        kept = _local_get(full_key, version)
        if kept is not None:
            return kept[1] if shared else pickle.loads(kept[0])  # noqa: S301  # nosec B301 (bytes this process pickled)
    version, value = current(full_key)
    if value is None:
        value = compute()
        # Under the version read before computing: if content changed meanwhile, the value
        # is already out of date and the next call computes it again.
        store(full_key, version, value, seconds)
    if version is not None and value is not None:
        _local_put(full_key, version, value, shared)
    return value


# The process's own copies: key -> (version, pickled bytes, the object if shared, expiry).
_local_lock = threading.Lock()
_local: OrderedDict[str, tuple[int, bytes, object, float]] = OrderedDict()
_local_size = 0


def local_seconds() -> float:
    return getattr(settings, "CCIN_REMEMBER_LOCAL_SECONDS", 60.0)


def local_max_bytes() -> int:
    return getattr(settings, "CCIN_REMEMBER_LOCAL_BYTES", 32 * 1024 * 1024)


def _local_get(key: str, version: int) -> tuple[bytes, object] | None:
    entry = _local.get(key)
    if entry is None or entry[0] != version or entry[3] < time.monotonic():
        return None
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
    return entry[1], entry[2]


def _local_put(key: str, version: int, value: object, shared: bool) -> None:
    global _local_size
    if local_seconds() <= 0:
        return
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    if len(data) > local_max_bytes() // 8:  # too big to keep here; the cache has it
        return
    entry = (version, data, value if shared else None, time.monotonic() + local_seconds())
    with _local_lock:
        old = _local.pop(key, None)
        if old is not None:
            _local_size -= len(old[1])
        _local[key] = entry
        _local_size += len(data)
        while _local_size > local_max_bytes() and _local:
            _, dropped = _local.popitem(last=False)
            _local_size -= len(dropped[1])


def forget_local() -> None:
    """Drop every value this process kept (the next use reads the cache)."""
    global _local_size
    with _local_lock:
        _local.clear()
        _local_size = 0
