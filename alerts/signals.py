"""A page went live (an editor's Publish, or publish_scheduled releasing an embargo): once the
publish has committed, the worker reads the followed feeds and sends what is new."""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django_tasks import TaskResultStatus, task_backends
from wagtail.signals import page_published

from . import tasks

logger = logging.getLogger(__name__)

_last = threading.local()  # .result: the check this thread queued last


def still_waiting(result) -> bool:
    """The check queued last has not started yet, so it will read this commit too."""
    if result is None:
        return False
    backend = task_backends[tasks.BACKEND]
    if not backend.supports_get_result:
        return False
    try:
        return backend.get_result(result.id).status == TaskResultStatus.READY
    except Exception:  # no such result any more: queue a new check
        return False


def enqueue_check() -> None:
    # An import publishes hundreds of pages in one transaction: one waiting check covers them.
    if still_waiting(getattr(_last, "result", None)):
        return
    _last.result = tasks.published.enqueue()


def page_went_live(sender, instance=None, **kwargs) -> None:
    # After commit: the worker must read the feed with this page in it, and a rolled-back
    # publish sends nothing.
    transaction.on_commit(enqueue_check)


def connect() -> None:
    page_published.connect(page_went_live, dispatch_uid="alerts-page-published")
