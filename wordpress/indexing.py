"""Search and reference indexing once per object at the end of an import, not on every save.

Each page an import writes is saved three times (placed in the tree, its revision saved, then
published), and Wagtail indexes it for search and for references on each save: most of an
import's time. Wagtail's signal handlers enqueue a task per save through module-level names
(`modelsearch.signal_handlers.insert_or_update_object_task`,
`wagtail.signal_handlers.update_reference_index_task`); those are wrapped, once, by a proxy
that, only in a thread inside `deferred_indexing()`, collects the work instead. When the
block ends, search indexing is done per model in bulk (the objects in one query, their
related rows prefetched, as `manage.py update_index` does) and references once per object
(an inline row stands for its page). Other threads (other requests in the same worker) index
as before. A dry run discards the work: it is rolled back anyway.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager

import modelsearch.signal_handlers
import modelsearch.tasks
import wagtail.signal_handlers
import wagtail.tasks
from asgiref.local import Local
from django.apps import apps
from django.db import transaction
from modelcluster.fields import ParentalKey
from modelsearch.backends import get_search_backends_with_name
from wagtail.models import ReferenceIndex

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
        work: dict[object, dict[type, list[str]]] = defaultdict(lambda: defaultdict(list))
        for task, args in pending:
            work[task][apps.get_model(args[0], args[1])].append(args[2])
        for model, pks in work.pop(modelsearch.tasks.insert_or_update_object_task, {}).items():
            index_for_search(model, pks)
        for model, pks in _parents(work.pop(wagtail.tasks.update_reference_index_task, {})):
            index_references(model, pks)
        for task, by_model in work.items():  # none today; any other task wrapped later
            for model, pks in by_model.items():
                for pk in pks:
                    task.call(model._meta.app_label, model._meta.model_name, pk)


def index_for_search(model, pks: list[str]) -> None:
    """Index these objects of one model in every auto-updated search backend, in bulk: what
    `modelsearch.index.insert_or_update_object` does for one object."""
    objects = list(model.get_indexed_objects().filter(pk__in=pks))
    if not objects:
        return
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        backend.add_bulk(model, objects)


def _parents(by_model: dict[type, list[str]]):
    """(model, pks) to index for references: a child row (an inline of a page, by its
    ParentalKey) stands for its parent, as in `wagtail.tasks.update_reference_index_task`,
    and each parent once."""
    wanted: dict[type, set] = defaultdict(set)
    for model, pks in by_model.items():
        parental = next(
            (field for field in model._meta.get_fields() if isinstance(field, ParentalKey)),
            None,
        )
        if parental is None:
            wanted[model].update(str(pk) for pk in pks)
            continue
        parent_model = parental.related_model
        parent_ids = model.objects.filter(pk__in=pks).values_list(parental.attname, flat=True)
        for parent_id in parent_ids:
            if parent_id is not None:
                wanted[_specific_model(parent_model, parent_id, by_model)].add(str(parent_id))
    return [(model, sorted(pks)) for model, pks in wanted.items()]


def _specific_model(model, pk, by_model):
    """The model whose own save queued `pk`, if any (a page is queued as its specific type)."""
    for queued, pks in by_model.items():
        if issubclass(queued, model) and str(pk) in pks:
            return queued
    return model


def index_references(model, pks: list[str]) -> None:
    """What `wagtail.tasks.update_reference_index_task` does for each object, fetched at once."""
    if not ReferenceIndex.is_indexed(model):
        return
    for instance in model.objects.filter(pk__in=pks):
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(instance)
