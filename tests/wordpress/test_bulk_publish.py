"""A published import writes what Wagtail's own save_revision() and publish() would.

The import publishes the pages it creates in one save and writes their log entries in bulk
(wordpress/publishing.py). These tests import the same export both ways and compare what an
editor (page history, revisions, the page itself) and a visitor or search would meet.
"""

from contextlib import nullcontext

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from wagtail.log_actions import LogContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

from wordpress import importer as importer_module
from wordpress.models import ImportedItem

from .test_import import EVERYTHING, run
from .wxr_builder import export

pytestmark = pytest.mark.django_db

# Values that differ between two runs whatever writes them: keys, random ids and clocks.
VOLATILE = {
    "id",
    "pk",
    "page_ptr",
    "page_ptr_id",
    "translation_key",
    "latest_revision",
    "latest_revision_id",
    "live_revision",
    "live_revision_id",
    "latest_revision_created_at",
    "last_published_at",
    "created_at",
    "timestamp",
    "object_id",
    "uuid",
}


class Rollback(Exception):
    pass


def wagtails_own(page, *, user, history):
    """The importer's publishing, done by Wagtail's own calls (as for an updated page)."""
    revision = page.save_revision(user=user, clean=False)
    revision.publish(user=user, log_action=True)
    page.refresh_from_db(fields=["url_path", "live"])
    return revision


def stable(value):
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [stable(item) for item in value]
    return value


def snapshot(context_user=None) -> dict:
    """What the import left, per WordPress item, with keys replaced by what they point at."""
    found = {}
    for imported in ImportedItem.objects.exclude(page=None).order_by("wp_id"):
        page = Page.objects.get(pk=imported.page_id).specific
        revisions = list(Revision.page_revisions.filter(object_id=str(page.pk)).order_by("id"))
        entries = PageLogEntry.objects.filter(page=page).order_by("timestamp", "id")
        row = {
            field.attname: getattr(page, field.attname)
            for field in page._meta.concrete_fields
            if field.attname not in VOLATILE
        }
        found[imported.wp_id] = {
            "page": row,
            "live_is_latest": page.live_revision_id == page.latest_revision_id,
            "imported_revision_is_latest": imported.revision_id == page.latest_revision_id,
            "revisions": [
                (
                    stable(revision.content),
                    revision.object_str,
                    revision.user_id,
                    revision.approved_go_live_at,
                    revision.content_type_id,
                    revision.base_content_type_id,
                )
                for revision in revisions
            ],
            "history": [
                (
                    entry.action,
                    entry.label,
                    entry.data,
                    entry.user_id,
                    revisions.index(entry.revision) if entry.revision_id else None,
                    entry.content_changed,
                    entry.deleted,
                    entry.content_type_id,
                    entry.uuid is not None,
                )
                for entry in entries
            ],
            "uuids": len({entry.uuid for entry in entries}),
            "search": list(
                IndexEntry.objects.filter(object_id=str(page.pk))
                .values_list("content_type_id", "title", "autocomplete", "body")
                .order_by("content_type_id")
            ),
            "references": sorted(
                (ref.to_content_type_id, ref.to_object_id, ref.model_path, ref.content_path)
                for ref in ReferenceIndex.get_references_for_object(page)
            ),
        }
    return found


def sequences() -> list[tuple]:
    """PostgreSQL's sequences where they are now (a rollback does not move them back, as it
    does SQLite's), so that both imports give their rows the same keys."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, sequencename, last_value, start_value FROM pg_sequences")
        return cursor.fetchall()


def restore(saved: list[tuple]) -> None:
    with connection.cursor() as cursor:
        for schema, name, last, start in saved:
            called = last is not None
            cursor.execute(
                "SELECT setval(%s, %s, %s)", [f'"{schema}"."{name}"', last or start, called]
            )


def imported_both_ways(monkeypatch, uploads, *, user=None, context=None) -> tuple[dict, dict]:
    snapshots = []
    saved = sequences()
    for publish in (wagtails_own, importer_module.publish_created_page):
        monkeypatch.setattr(importer_module, "publish_created_page", publish)
        restore(saved)
        try:
            with transaction.atomic():
                with context() if context else nullcontext():
                    report = run(export(*EVERYTHING), uploads, publish=True, user=user)
                assert not report.failed, report.failed
                assert report.counts()["created"] == 7
                snapshots.append(snapshot())
                raise Rollback
        except Rollback:
            pass
    return snapshots[0], snapshots[1]


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("importer", "importer@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_bulk_publishing_writes_what_wagtails_publish_writes(demo, uploads, monkeypatch, moderator):
    wagtail, bulk = imported_both_ways(monkeypatch, uploads, user=moderator)

    assert bulk.keys() == wagtail.keys() and len(bulk) == 5  # and two files
    for wp_id in wagtail:
        assert bulk[wp_id] == wagtail[wp_id], wp_id


def test_bulk_publishing_takes_the_user_and_uuid_of_the_admin_request(
    demo, uploads, monkeypatch, moderator
):
    # In the admin, Wagtail's middleware runs each request in a LogContext.
    wagtail, bulk = imported_both_ways(
        monkeypatch, uploads, context=lambda: LogContext(user=moderator)
    )

    assert bulk == wagtail
    for found in bulk.values():
        assert {entry[3] for entry in found["history"]} == {moderator.pk}
        assert all(entry[-1] for entry in found["history"])  # a uuid, shared in the request


def test_page_history_after_import_says_published_by_the_importer(
    demo, uploads, moderator, client, django_user_model
):
    report = run(export(*EVERYTHING), uploads, publish=True, user=moderator)
    assert not report.failed, report.failed

    for imported in ImportedItem.objects.exclude(page=None):
        page = Page.objects.get(pk=imported.page_id)
        entries = list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "id"))
        assert [entry.action for entry in entries] == ["wagtail.create", "wagtail.publish"]
        published = entries[-1]
        assert published.user == moderator and published.label == page.title
        assert published.revision_id == page.live_revision_id == page.latest_revision_id
        assert published.revision_id == imported.revision_id
        assert page.live and not page.has_unpublished_changes
        assert page.last_published_at is not None

    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    study = Page.objects.get(slug="kirklees-community-energy")
    html = client.get(f"/admin/pages/{study.pk}/history/").content.decode()
    assert "Published" in html and "importer" in html
