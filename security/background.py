"""Work that must not happen inside the request that asks for it: a short queue of threads.

Sending mail inline makes a response's timing tell what happened (a password reset for an
existing account took several times longer than one for an unknown address, so the form
told anyone which addresses have accounts) and makes a slow SMTP server the visitor's wait.
``after_response`` runs the work on a worker thread once the request's transaction has
committed; a failure is logged, never shown. The work is lost if the process dies first, as
inline sending would have been; a durable queue belongs to the e-mail alerts (issue 18).

``CCIN_BACKGROUND_TASKS = False`` (test settings) runs the work inline, so tests inside a
transaction see what it does; a test with the setting on shows the production path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ccin-background")
_pending: list[Future] = []


def after_response(work: Callable[..., object], *args, **kwargs) -> None:
    if not getattr(settings, "CCIN_BACKGROUND_TASKS", True):
        work(*args, **kwargs)
        return
    transaction.on_commit(lambda: _submit(work, args, kwargs))


def _submit(work: Callable[..., object], args: tuple, kwargs: dict) -> None:
    _pending[:] = [future for future in _pending if not future.done()]
    _pending.append(_executor.submit(_run, work, args, kwargs))


def _run(work: Callable[..., object], args: tuple, kwargs: dict) -> None:
    close_old_connections()
    try:
        work(*args, **kwargs)
    except Exception:  # logged for the operator; the visitor was answered long ago
        logger.exception("Background work %s failed", getattr(work, "__qualname__", work))
    finally:
        connections.close_all()


def wait_for_background(timeout: float = 10) -> None:
    """Block until queued work has run (for tests)."""
    for future in list(_pending):
        future.result(timeout=timeout)
