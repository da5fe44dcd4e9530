"""Backups that restore: the database in its own native format, plus the media folder.

PostgreSQL goes through ``pg_dump -Fc`` / ``pg_restore --clean --if-exists`` (``dumpdata``
cannot carry Wagtail's page tree, revisions and sequences faithfully); SQLite through
sqlite3's online backup API, which copies a consistent snapshot of a live database (a plain
file copy can catch it mid-write). Media files go in a tar.gz beside it. A backup is a
folder::

    ccin-20261128T101500Z/
        manifest.json        what, when, from which engine
        database.pgdump      (PostgreSQL) or database.sqlite3 (SQLite)
        media.tar.gz         MEDIA_ROOT, when media is on local disk
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with fixed arguments, no shell
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

POSTGRES_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore could not be completed; the message says why."""


def engine_of(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def database_settings(database_url: str | None = None) -> dict[str, Any]:
    """The Django settings of the database to use: DATABASE_URL's, or the one given."""
    if database_url:
        return dj_database_url.parse(database_url)
    return connections["default"].settings_dict


def libpq_environment(db: dict[str, Any]) -> dict[str, str]:
    """Connection details for pg_dump/pg_restore as PG* variables (no password in argv)."""
    env = dict(os.environ)
    for key, name in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        value = db.get(name)
        if value:
            env[key] = str(value)
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [executable, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def media_root() -> Path | None:
    """The local media folder, or None when media lives in object storage (S3)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def backup(destination: Path) -> Path:
    """Write a backup folder at ``destination`` (created; must not exist yet) and return it."""
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} already exists and is not empty.")
    destination.mkdir(parents=True, exist_ok=True)
    db = database_settings()
    engine = engine_of(db)
    if engine == "postgresql":
        run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(destination / POSTGRES_DUMP),
            ],
            libpq_environment(db),
        )
    else:
        connection = connections["default"]
        connection.ensure_connection()
        # The live connection is the source, so an in-memory test database backs up too.
        with sqlite3.connect(destination / SQLITE_DUMP) as target:
            connection.connection.backup(target)
        target.close()

    root = media_root()
    media = "none (object storage is backed up by the bucket's own versioning)"
    if root is not None:
        with tarfile.open(destination / MEDIA_ARCHIVE, "w:gz") as archive:
            if root.is_dir():
                archive.add(root, arcname=".")
        media = MEDIA_ARCHIVE
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": POSTGRES_DUMP if engine == "postgresql" else SQLITE_DUMP,
        "media": media,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    # Enquiries and editors' password hashes are in there: owner-only, whatever the umask.
    destination.chmod(0o700)
    for path in destination.iterdir():
        path.chmod(0o600)
    return destination


def restore(source: Path, *, database_url: str | None = None, media: bool = True) -> dict:
    """Restore the backup folder ``source`` into the database (DATABASE_URL's or the given one).

    Existing tables are replaced. Media files are extracted over MEDIA_ROOT (files that are
    not in the backup are left alone) unless ``media`` is False.
    """
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup folder (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    db = database_settings(database_url)
    engine = engine_of(db)
    if engine != manifest["engine"]:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; the target is {engine}."
        )
    if engine == "postgresql":
        if database_url is None:
            connections["default"].close()
        run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(db["NAME"]),
                str(source / POSTGRES_DUMP),
            ],
            libpq_environment(db),
        )
    else:
        restore_sqlite(source / SQLITE_DUMP, db, use_default=database_url is None)

    if media and (source / MEDIA_ARCHIVE).is_file():
        root = media_root()
        if root is None:
            raise BackupError("The backup has media files but media is in object storage.")
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
            # "data" refuses absolute paths, links out of the folder and device files.
            archive.extractall(root, filter="data")  # noqa: S202 - filtered above
    return manifest


def restore_sqlite(dump: Path, db: dict[str, Any], *, use_default: bool) -> None:
    with sqlite3.connect(dump) as source:
        if use_default:
            connection = connections["default"]
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            with sqlite3.connect(db["NAME"]) as target:
                source.backup(target)
            target.close()
    source.close()
