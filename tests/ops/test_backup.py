"""Backups restore: the demo site goes through manage.py backup and restore into a fresh database.

Runs on whichever database the suite runs on (CI runs it on SQLite, then PostgreSQL), so both
the pg_dump/pg_restore path and the SQLite backup-API path are exercised.
"""

import sqlite3
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from psycopg import sql
from wagtail.models import Page, Revision

from home.backup import engine_of
from membership.models import ElectionResult, MemberCouncil

# Content a restore must bring back: pages and revisions, snippets, election rows, media records.
LABELS = {
    "home",
    "news",
    "casestudies",
    "membership",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
}
TABLES = sorted(
    model._meta.db_table
    for model in apps.get_models()
    if model._meta.app_label in LABELS and model._meta.managed and not model._meta.proxy
)
ENGINE = engine_of(connection.settings_dict)


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the models
        counts[table] = cursor.fetchone()[0]
    return counts


def tree(cursor) -> list[tuple]:
    cursor.execute("SELECT path, url_path, live FROM wagtailcore_page ORDER BY path")
    return [tuple(row) for row in cursor.fetchall()]


def server_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database beside the test one, dropped afterwards: (DATABASE_URL, DB-API connect)."""
    if ENGINE == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(server_url("postgres"), autocommit=True)
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server_url(name), lambda: psycopg.connect(server_url(name))
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


@pytest.fixture
def demo_site(django_db_serialized_rollback, transactional_db):
    """The demo content, committed (pg_dump reads it from another connection).

    Serialized rollback puts Wagtail's root page and default site back after the flush, for the
    tests that run later.
    """
    call_command("load_demo_content", stdout=StringIO())
    media = Path(settings.MEDIA_ROOT)
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "backup-probe.txt").write_text("kept by the backup\n")


def test_the_demo_site_round_trips_and_restores_in_place(demo_site, fresh_database, tmp_path):
    """Into a fresh database (a restore drill), then back over the live one after a loss."""
    url, connect = fresh_database
    with connection.cursor() as cursor:
        before, pages_before = row_counts(cursor), tree(cursor)
    assert Page.objects.live().count() > 20
    assert Revision.objects.count() > 20
    assert MemberCouncil.objects.count() >= 44
    assert ElectionResult.objects.exists()

    out = StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    folder = Path(out.getvalue().strip().splitlines()[-1])
    dump = "database.pgdump" if ENGINE == "postgresql" else "database.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [dump, "manifest.json", "media.tar.gz"]
    )

    restored_media = tmp_path / "restored-media"
    with override_settings(MEDIA_ROOT=str(restored_media)):
        call_command("restore", str(folder), database_url=url, interactive=False, stdout=StringIO())
    assert (restored_media / "documents" / "backup-probe.txt").read_text() == "kept by the backup\n"

    restored = connect()
    try:
        cursor = restored.cursor()
        after, pages_after = row_counts(cursor), tree(cursor)
    finally:
        restored.close()
    assert after == before
    assert pages_after == pages_before
    for table in [
        "wagtailcore_page",
        "wagtailcore_revision",
        MemberCouncil._meta.db_table,
        ElectionResult._meta.db_table,
    ]:
        assert after[table] > 0, table

    # Restoring over the live database puts back what was deleted since the backup.
    pages = Page.objects.count()
    results = ElectionResult.objects.count()
    ElectionResult.objects.filter(pk__in=ElectionResult.objects.values("pk")[:3]).delete()
    Page.objects.get(url_path="/home/news/").delete()
    assert Page.objects.count() < pages

    call_command("restore", str(folder), interactive=False, stdout=StringIO())
    connection.close()  # a new connection sees the restored database, as the next request would
    assert Page.objects.count() == pages
    assert ElectionResult.objects.count() == results
    assert Page.objects.get(url_path="/home/news/").get_children().live().exists()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), interactive=False)


def test_backup_will_not_overwrite_an_earlier_one(tmp_path, db):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"), stdout=StringIO())
