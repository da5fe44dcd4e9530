"""A page went live (an editor's Publish, or publish_scheduled releasing an embargo): once the
publish has committed, the worker reads the followed feeds and sends what is new."""

from __future__ import annotations

from django.db import transaction
from wagtail.signals import page_published

from . import tasks


def enqueue_check() -> None:
    tasks.published.enqueue()


def page_went_live(sender, instance=None, **kwargs) -> None:
    # After commit: the worker must read the feed with this page in it, and a rolled-back
    # publish sends nothing. One check per transaction, however many pages it publishes
    # (an import publishes hundreds).
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is enqueue_check for _, func, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(enqueue_check)


def connect() -> None:
    page_published.connect(page_went_live, dispatch_uid="alerts-page-published")
