"""Search and reference indexing once per object at the end of an import, not on every save.

Each page an import writes is saved three times (placed in the tree, its revision saved, then
published), and Wagtail indexes it for search and for references on each save: most of an
import's time. Wagtail's signal handlers enqueue a task per save through module-level names
(`modelsearch.signal_handlers.insert_or_update_object_task`,
`wagtail.signal_handlers.update_reference_index_task`); those are wrapped, once, by a proxy
that, only in a thread inside `deferred_indexing()`, collects the work instead, and runs each
distinct task once when the block ends. Other threads (other requests in the same worker)
index as before. A dry run discards the work: it is rolled back anyway.
"""

from __future__ import annotations

from contextlib import contextmanager

import modelsearch.signal_handlers
import wagtail.signal_handlers
from asgiref.local import Local

_local = Local()


class _Deferrable:
    """A task whose `enqueue` is collected while this thread defers indexing."""

    def __init__(self, task) -> None:
        self.task = task

    def enqueue(self, *args, **kwargs):
        pending = getattr(_local, "pending", None)
        if pending is None:
            return self.task.enqueue(*args, **kwargs)
        pending.setdefault((self.task, args), None)
        return None

    def __getattr__(self, name):
        return getattr(self.task, name)


def install() -> None:
    """Wrap Wagtail's two indexing tasks (idempotent; from WordPressConfig.ready)."""
    for module, name in (
        (modelsearch.signal_handlers, "insert_or_update_object_task"),
        (wagtail.signal_handlers, "update_reference_index_task"),
    ):
        task = getattr(module, name)
        if not isinstance(task, _Deferrable):
            setattr(module, name, _Deferrable(task))


def installed() -> bool:
    return isinstance(modelsearch.signal_handlers.insert_or_update_object_task, _Deferrable) and (
        isinstance(wagtail.signal_handlers.update_reference_index_task, _Deferrable)
    )


@contextmanager
def deferred_indexing(*, run: bool = True):
    """Collect this thread's indexing work; when the block succeeds, do each piece once (in
    the same transaction, so what is imported is searchable when it commits)."""
    _local.pending = {}
    try:
        yield
        pending = list(_local.pending)
    finally:
        del _local.pending
    if run:
        for task, args in pending:
            task.call(*args)
