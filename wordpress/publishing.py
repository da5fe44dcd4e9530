"""Publishing a page the import has just created, in one save, with its history in bulk.

For a page created earlier in the same run, ``page.save_revision(...)`` then
``revision.publish(...)`` (``wagtail.models.pages.Page.save_revision``,
``wagtail.actions.publish_page_revision.PublishPageRevisionAction``) write the page twice,
rebuild it from the revision's JSON (``Revision.as_object``), validate every foreign key with
a query, read the (empty) comments, workflow states and aliases, and write each log entry
with a ``full_clean``. ``publish_created_page`` does what those two calls do for such a
page, and ``History`` writes the log entries Wagtail's ``log()`` would have written, in one
query at the end. What is left out, and why it cannot matter for a page created in this
transaction:

- comments (``save_revision`` saves new ones; ``_after_publish`` re-saves their positions):
  nobody can have commented on a page that did not exist before this transaction;
- ``Revision.as_object()``: the in-memory page is the one the revision was just made from;
- ``is_latest_revision()``, ``get_previous()`` and the rename log entry: it is the page's
  first and only revision (so no unpublished changes after it, and no old title);
- ``revisions.update(approved_go_live_at=None)``: its only revision has none;
- ``current_workflow_state`` (cancelled on publish) and ``update_aliases``: a new page has
  neither a workflow in progress nor aliases;
- foreign-key existence checks and unique checks in ``full_clean``: every foreign key is set
  from a row read or written in this transaction, and the database enforces both (a broken
  one fails the commit, which rolls the whole import back as a validation error would).
  The rest of ``full_clean`` (field validation, the models' ``clean``, the slug check) runs.

Pages that existed before the run (updated by a newer export) go through Wagtail's own
calls. tests/wordpress/test_bulk_publish.py compares both paths row by row.
"""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published, published

logger = logging.getLogger("wagtail")


class History:
    """Page log entries collected during the import and written at once (``write``)."""

    def __init__(self) -> None:
        self.entries: list[PageLogEntry] = []

    def log(self, page: Page, action: str, *, user=None, revision=None, content_changed=False):
        """What ``wagtail.log_actions.log(instance=page, action=...)`` writes
        (``LogActionRegistry.log`` and ``PageLogEntryManager.log_action``), unsaved."""
        context = get_active_log_context()
        self.entries.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=page.specific_deferred.get_admin_display_title(),
                action=action,
                timestamp=timezone.now(),
                data={},
                user=user or context.user,
                uuid=context.uuid,
                revision=revision,
                content_changed=content_changed,
                page=page,
            )
        )

    def write(self) -> None:
        PageLogEntry.objects.bulk_create(self.entries, batch_size=500)
        self.entries = []


def _foreign_keys(page: Page) -> list[str]:
    return [
        field.name
        for field in page._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and not field.remote_field.parent_link
    ]


def publish_created_page(page: Page, *, user, history: History) -> Revision:
    """``page.save_revision(user=user, clean=False)`` then ``revision.publish(user=user)``
    for a page created in this transaction (see the module's docstring); returns the
    revision."""
    if (
        user
        and not page.permissions_for_user(user).can_publish()  # PublishPageRevisionAction.check
    ):
        raise PublishPagePermissionError("You do not have permission to publish this page.")
    # Page.save_revision
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        approved_go_live_at=None,
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision_created_at = revision.created_at
    page.draft_title = page.title
    page.latest_revision = revision
    logger.info('Page edited: "%s" id=%d revision_id=%d', page.title, page.id, revision.id)
    # PublishRevisionAction._publish_revision, the live branch (no go_live_at)
    page.live = True
    page.has_unpublished_changes = False
    page.expired = False
    now = timezone.now()
    page.last_published_at = now
    page.live_revision = revision
    if page.first_published_at is None:
        page.first_published_at = now
    # Page.save(clean=True) on a live page is full_clean(); see the docstring for the rest.
    page.full_clean(exclude=_foreign_keys(page), validate_unique=False, validate_constraints=False)
    page.save(clean=False)
    # PublishPageRevisionAction._after_publish
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
    published.send(sender=type(page), instance=page, revision=revision)
    history.log(page, "wagtail.publish", user=user, revision=revision, content_changed=True)
    logger.info('Published: "%s" pk=%s revision_id=%d', str(page), str(page.pk), revision.id)
    return revision
