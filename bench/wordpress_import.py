"""Issue 19's import benchmark: a 400-item WordPress export into a fresh site, twice, then parity.

On a fresh database under ``ccin.settings.production`` (a random ``SECRET_KEY``,
``ALLOWED_HOSTS=testserver,127.0.0.1``, ``SECURE_SSL_REDIRECT=0``, no ``REDIS_URL`` unless
``--redis``), migrated and with the demo content loaded, the script:

1. writes an export of ``--items`` items with its uploads folder (``tests/wordpress/exports.py``,
   the shapes of the live site's export);
2. times ``manage.py import_wordpress EXPORT --uploads DIR --publish``: wall clock, CPU and the
   peak resident memory of that process (its own ``rusage``, from ``os.wait4``);
3. times the same command again, which must create and update nothing;
4. runs ``manage.py wordpress_parity EXPORT`` (in-process requests) and keeps its last line,
   "Resolved N of M URLs (P%)".

SQLite always (a file in the work directory); with ``--database-url`` also PostgreSQL: a fresh
database ``ccin_wpbench_<time>`` is created on that server (``createdb``) and dropped
afterwards. Static files are collected once into the work directory. Each command runs in its
own process, as ``manage.py`` would run it. The target: the first import under 60 s on the
2-core machines here. Results: ``--out`` (``bench/results/wordpress_import.md``); exit status 1
when a check fails.

    .venv/bin/python bench/wordpress_import.py [--items 400] [--seed 1]
        [--database-url postgres://postgres@127.0.0.1:5432] [--redis redis://127.0.0.1:6379/9]
        [--out bench/results/wordpress_import.md] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess  # noqa: S404 - runs this script's own commands and read-only git/createdb
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from server_times import cpu_model, git, loadavg, production_env  # noqa: E402

from tests.wordpress.exports import write_export  # noqa: E402

TARGET_SECONDS = 60
SUMMARY = re.compile(
    r"Created (?P<created>\d+), updated (?P<updated>\d+), unchanged (?P<unchanged>\d+), "
    r"conflicts (?P<conflicts>\d+), skipped (?P<skipped>\d+), problems (?P<problems>\d+)"
)
PARITY = re.compile(r"Resolved (?P<resolved>\d+) of (?P<total>\d+) URLs \((?P<share>[\d.]+)%\)")


@dataclass
class Run:
    """One command in its own process: what it printed and what it cost."""

    argv: list[str]
    returncode: int
    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str
    stderr: str

    def last_line(self, prefix: str) -> str:
        lines = [line.strip() for line in self.stdout.splitlines() if line.strip()]
        lines += [line.strip() for line in self.stderr.splitlines() if line.strip()]
        return next((line for line in reversed(lines) if line.startswith(prefix)), "")


@dataclass
class Database:
    label: str
    url: str
    directory: Path
    env: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)


# The child process -------------------------------------------------------------------------


def child(argv: list[str]) -> None:
    """``--run CMD ARGS…``: Django with the benchmark's ``STATIC_ROOT``, then ``manage.py CMD``."""
    import django
    from django.core.management import execute_from_command_line
    from django.test import override_settings

    django.setup()
    static_root = os.environ.get("BENCH_STATIC_ROOT")
    if static_root:
        override_settings(STATIC_ROOT=static_root).enable()
    execute_from_command_line(["manage.py", *argv])


def child_info() -> None:
    """``--info``: versions and the database, as JSON on stdout."""
    from importlib import metadata

    import django
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection

    django.setup()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "django": django.get_version(),
                "wagtail": metadata.version("wagtail"),
                "database": f"{connection.vendor} {version}",
                "settings": os.environ["DJANGO_SETTINGS_MODULE"],
                "cache": caches["default"].__class__.__module__
                + "."
                + caches["default"].__class__.__name__,
                "page_cache_seconds": getattr(settings, "CCIN_PAGE_CACHE_SECONDS", ""),
            }
        )
    )


# The parent --------------------------------------------------------------------------------


def run(argv: list[str], env: dict, log: Path) -> Run:
    """Run this script with ``--run argv`` and measure that one process (``os.wait4``)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--run", *argv]
    out, err = log.with_suffix(".out"), log.with_suffix(".err")
    with out.open("w") as stdout, err.open("w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr)  # noqa: S603
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        argv=argv,
        returncode=process.returncode,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        stdout=out.read_text(),
        stderr=err.read_text(),
    )


def must(result: Run, what: str) -> Run:
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{tail}")
    return result


def postgres_database(server_url: str) -> tuple[str, str]:
    """A fresh database on the server ``server_url`` names: (its name, its URL)."""
    parts = urlsplit(server_url)
    name = f"ccin_wpbench_{datetime.now(UTC):%Y%m%d%H%M%S}"
    subprocess.run(  # noqa: S603
        ["createdb", *pg_args(parts), name],  # noqa: S607
        check=True,
    )
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def pg_args(parts) -> list[str]:
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    return args + (["-U", parts.username] if parts.username else [])


def drop_postgres(server_url: str, name: str) -> None:
    subprocess.run(  # noqa: S603
        ["dropdb", *pg_args(urlsplit(server_url)), "--if-exists", name],  # noqa: S607
        check=False,
    )


def measure(database: Database, export: Path, uploads: Path) -> None:
    env, logs = database.env, database.directory
    print(f"[{database.label}] migrate, load_demo_content …", file=sys.stderr)
    database.runs["migrate"] = must(run(["migrate", "--noinput"], env, logs / "migrate"), "migrate")
    database.runs["demo"] = must(
        run(["load_demo_content"], env, logs / "demo"), "load_demo_content"
    )
    info = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).resolve()), "--info"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    database.info = json.loads(info.stdout.strip().splitlines()[-1])
    command = ["import_wordpress", str(export), "--uploads", str(uploads), "--publish"]
    for key in ("first", "second"):
        print(f"[{database.label}] import_wordpress --publish ({key} run) …", file=sys.stderr)
        database.runs[key] = must(run(command, env, logs / f"import-{key}"), f"{key} import")
    print(f"[{database.label}] wordpress_parity …", file=sys.stderr)
    database.runs["parity"] = run(["wordpress_parity", str(export)], env, logs / "parity")


def summary_of(result: Run | None) -> dict[str, int]:
    match = SUMMARY.search(result.last_line("Created") if result else "")
    return {key: int(value) for key, value in match.groupdict().items()} if match else {}


def checks(database: Database) -> list[tuple[str, bool, str]]:
    runs = database.runs
    first, second = summary_of(runs.get("first")), summary_of(runs.get("second"))
    parity = PARITY.search(runs["parity"].last_line("Resolved")) if "parity" in runs else None
    return [
        (
            f"first import under {TARGET_SECONDS} s",
            runs["first"].wall < TARGET_SECONDS,
            f"{runs['first'].wall:.1f} s",
        ),
        (
            "second import creates and updates nothing",
            bool(second) and second["created"] == 0 and second["updated"] == 0,
            f"created {second.get('created', '?')}, updated {second.get('updated', '?')}",
        ),
        (
            "first import reports a summary",
            bool(first),
            runs["first"].last_line("Created") or "no line starting 'Created'",
        ),
        (
            "every old address resolves",
            bool(parity) and parity["resolved"] == parity["total"],
            parity.group(0) if parity else "no line starting 'Resolved'",
        ),
    ]


def report(args, databases: list[Database], export: dict, started: float, loads) -> str:
    dirty = len([line for line in git("status", "--porcelain").splitlines() if line.strip()])
    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    info = databases[0].info
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(export["counts"].items()))
    lines = [
        "# WordPress import",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {time.perf_counter() - started:.0f} s"
        f" by `bench/wordpress_import.py --items {args.items} --seed {args.seed}`"
        " (see [the README](../README.md#wordpress-import)).",
        "",
        f"- Machine: {os.cpu_count()} cores ({cpu_model()}); load average "
        f"{loads[0][0]:.2f} at the start, {loads[1][0]:.2f} at the end",
        f"- Settings: `{info.get('settings')}`, cache `{info.get('cache')}`"
        + (" (Redis)" if args.redis else " (no `REDIS_URL`)")
        + f", page cache {info.get('page_cache_seconds')} s",
        f"- Code: commit {commit}"
        + (f" with {dirty} files uncommitted" if dirty else "")
        + f"; Python {info.get('python')}, Django {info.get('django')}, "
        f"Wagtail {info.get('wagtail')}",
        f"- Export: {sum(export['counts'].values())} items ({counts}), "
        f"{export['bytes'] / 2**20:.2f} MB, written in {export['seconds']:.2f} s; uploads "
        f"folder {export['files']} files, {export['upload_bytes'] / 1024:.0f} KB",
        "- Database before the import: `migrate` and `load_demo_content` (the demo site)",
        "",
        "| | "
        + " | ".join(f"{db.label} ({db.info.get('database', '')})" for db in databases)
        + " |",
        "| --- | " + " | ".join("---" for _ in databases) + " |",
    ]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(db) for db in databases) + " |")

    row("migrate", lambda db: f"{db.runs['migrate'].wall:.1f} s")
    row("load_demo_content", lambda db: f"{db.runs['demo'].wall:.1f} s")
    for key, label in (("first", "first import"), ("second", "second import (same file)")):
        row(f"**{label}**, wall clock", lambda db, k=key: f"**{db.runs[k].wall:.1f} s**")
        row(f"{label}, CPU", lambda db, k=key: f"{db.runs[k].cpu:.1f} s")
        row(f"{label}, peak RSS", lambda db, k=key: f"{db.runs[k].peak_rss_mb:.0f} MB")
        row(f"{label}, report", lambda db, k=key: db.runs[k].last_line("Created") or "–")
    row("wordpress_parity, wall clock", lambda db: f"{db.runs['parity'].wall:.1f} s")
    row(
        "wordpress_parity",
        lambda db: (
            (db.runs["parity"].last_line("Resolved") or "–")
            + ("" if db.runs["parity"].returncode == 0 else " (exit 1)")
        ),
    )
    lines += ["", "Checks:", ""]
    for db in databases:
        for name, ok, detail in checks(db):
            lines.append(f"- {db.label}: {name}: **{'yes' if ok else 'NO'}** ({detail})")
    failed = [
        line.strip()
        for db in databases
        for line in db.runs["parity"].stdout.splitlines()
        if line.startswith("  ") and " after " in line
    ]
    if failed:
        lines += ["", "Addresses not resolved (first 20):", ""]
        lines += [f"- `{line}`" for line in failed[:20]]
    return "\n".join(lines) + "\n"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--run":
        child(sys.argv[2:])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--info":
        child_info()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="A PostgreSQL server (postgres://user@host:port): also measured there, on a "
        "fresh database dropped afterwards.",
    )
    parser.add_argument("--redis", default="", help="REDIS_URL for the commands (default none).")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "wordpress_import.md")
    parser.add_argument("--workdir", type=Path, default=None, help="Default: a temporary one.")
    parser.add_argument("--keep", action="store_true", help="Keep the work directory and DBs.")
    args = parser.parse_args()

    started, load_start = time.perf_counter(), loadavg()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ccin-wpbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    export_path, uploads = workdir / "export.xml", workdir / "uploads"
    shutil.rmtree(uploads, ignore_errors=True)
    t0 = time.perf_counter()
    counts = write_export(export_path, items=args.items, uploads=uploads, seed=args.seed)
    files = [path for path in uploads.rglob("*") if path.is_file()]
    export = {
        "counts": counts,
        "seconds": time.perf_counter() - t0,
        "bytes": export_path.stat().st_size,
        "files": len(files),
        "upload_bytes": sum(path.stat().st_size for path in files),
    }
    print(f"Export: {export_path} ({sum(counts.values())} items)", file=sys.stderr)

    databases = [Database("SQLite", "", workdir / "sqlite")]
    pg_name = ""
    if args.database_url:
        pg_name, pg_url = postgres_database(args.database_url)
        databases.append(Database("PostgreSQL", pg_url, workdir / "postgresql"))
    static_root = workdir / "static"
    try:
        for index, database in enumerate(databases):
            shutil.rmtree(database.directory, ignore_errors=True)
            database.directory.mkdir(parents=True)
            database.url = database.url or f"sqlite:///{database.directory / 'db.sqlite3'}"
            env = production_env(dict(os.environ), database.url, str(database.directory / "media"))
            env.update(
                ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
                BENCH_STATIC_ROOT=str(static_root),
                PYTHONPATH=str(ROOT),
            )
            if args.redis:
                env["REDIS_URL"] = args.redis
            database.env = env
            if index == 0:
                print("collectstatic …", file=sys.stderr)
                must(
                    run(["collectstatic", "--noinput", "-v", "0"], env, workdir / "collectstatic"),
                    "collectstatic",
                )
            measure(database, export_path, uploads)
    finally:
        if pg_name and not args.keep:
            drop_postgres(args.database_url, pg_name)
    text = report(args, databases, export, started, (load_start, loadavg()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    if not args.keep and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(ok for db in databases for _name, ok, _detail in checks(db)) else 1


if __name__ == "__main__":
    sys.exit(main())
