"""Backups restore: the demo site through `manage.py backup` and `restore`, as operators run them.

Each test builds its own databases outside the test database (commands run in subprocesses,
exactly as `make backup` / `make restore` do): PostgreSQL databases beside it when the suite
runs on PostgreSQL (pg_dump/pg_restore), SQLite files otherwise (the backup API). CI runs the
suite on both, so both paths are exercised.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.db import connection
from psycopg import sql

from membership.models import ControlChange, ElectionResult, MemberCouncil
from operations.backup import engine_of

ROOT = Path(__file__).resolve().parents[2]
ENGINE = engine_of(connection.settings_dict)
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


def server_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


class Database:
    """A scratch database for one test: its DATABASE_URL and a DB-API connection to it."""

    def __init__(self, tmp_path: Path, name: str):
        self.name = name
        if ENGINE == "sqlite":
            self.path = tmp_path / f"{name}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.url = server_url(name)
            self._admin("DROP DATABASE IF EXISTS {}")
            self._admin("CREATE DATABASE {}")

    def _admin(self, statement: str) -> None:
        with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def connect(self):
        if ENGINE == "sqlite":
            return sqlite3.connect(self.path)
        return psycopg.connect(self.url)

    def query(self, statement: str) -> list[tuple]:
        conn = self.connect()
        try:
            cursor = conn.cursor()
            cursor.execute(statement)
            rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            conn.commit()
            return rows
        finally:
            conn.close()

    def counts(self) -> dict[str, int]:
        return {
            table: self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608 - model names
            for table in TABLES
        }

    def tree(self) -> list[tuple]:
        return self.query("SELECT path, url_path, live FROM wagtailcore_page ORDER BY path")

    def drop(self) -> None:
        if ENGINE == "postgresql":
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def manage(*args: str, database: Database, media: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccin.settings.test",
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(media),
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture
def databases(tmp_path):
    name = f"ccin_backup_{os.getpid()}"
    source = Database(tmp_path, f"{name}_live")
    target = Database(tmp_path, f"{name}_restored")
    yield source, target
    source.drop()
    target.drop()


def test_the_demo_site_round_trips_and_restores_in_place(databases, tmp_path):
    """Into a fresh database (a restore drill), then back over the live one after a loss."""
    live, fresh = databases
    media = tmp_path / "media"
    manage("migrate", "--noinput", "-v0", database=live, media=media)
    manage("load_demo_content", database=live, media=media)
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "backup-probe.txt").write_text("kept by the backup\n")
    before, tree_before = live.counts(), live.tree()
    assert before["wagtailcore_page"] > 20
    assert before["wagtailcore_revision"] > 20
    assert before[MemberCouncil._meta.db_table] >= 44
    assert before[ElectionResult._meta.db_table] > 0

    out = manage("backup", str(tmp_path / "backup"), database=live, media=media)
    folder = Path(out.strip().splitlines()[-1])
    dump = "database.pgdump" if ENGINE == "postgresql" else "database.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [dump, "manifest.json", "media.tar.gz"]
    )
    assert {oct(p.stat().st_mode & 0o777) for p in [folder, *folder.iterdir()]} <= {
        "0o700",
        "0o600",
    }

    restored_media = tmp_path / "restored-media"
    manage(
        "restore",
        "--noinput",
        "--database-url",
        fresh.url,
        str(folder),
        database=live,
        media=restored_media,
    )
    assert (restored_media / "documents" / "backup-probe.txt").read_text() == "kept by the backup\n"
    assert fresh.counts() == before
    assert fresh.tree() == tree_before

    # Restoring over the live database puts back what was lost since the backup.
    for model in (ElectionResult, ControlChange):
        live.query(f'DELETE FROM "{model._meta.db_table}"')  # noqa: S608 - a model's table
    assert live.counts()[ElectionResult._meta.db_table] == 0
    manage("restore", "--noinput", str(folder), database=live, media=media)
    assert live.counts() == before
    assert live.tree() == tree_before


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", "--noinput", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ccin.settings.test"},
    )
    assert result.returncode != 0
    assert "not a backup folder" in result.stderr


def test_backup_will_not_overwrite_an_earlier_one(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "backup", str(tmp_path / "old")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ccin.settings.test"},
    )
    assert result.returncode != 0
    assert "not empty" in result.stderr
