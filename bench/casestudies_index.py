"""Time the case study library at the network's real size (600+ case studies).

Builds a fresh database (SQLite in a temporary file unless DATABASE_URL is set, e.g. to a
scratch PostgreSQL database), loads the seed demo content plus 600 generated case studies,
then renders the index with the Django test client (warm, DEBUG off) for a set of filter
combinations and prints, per URL, the SQL query count and the median and p95 server time.

    .venv/bin/python bench/casestudies_index.py [--runs 50] [--out bench/results/casestudies.md]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    ("index", "/case-studies/"),
    ("one facet", "/case-studies/?theme=housing"),
    ("three facets", "/case-studies/?theme=housing&nation=england&year=2024"),
    ("three facets + search", "/case-studies/?q=council&theme=housing&nation=england&year=2024"),
    (
        "all five facets",
        "/case-studies/?theme=housing&principle=innovation"
        "&council=kirklees-council&nation=england&year=2022",
    ),
    ("search only", "/case-studies/?q=energy"),
    ("last page", "/case-studies/?page=99999"),
    ("filtered feed", "/case-studies/feed/?theme=housing&nation=england"),
    ("case study", "/case-studies/community-energy-as-part-of-the-route-to-net-zero/"),
    ("policy labs", "/policy-labs/"),
    ("publications", "/publications/"),
]


def setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    elif "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="ccin-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccin.settings.test")
    import django

    django.setup()


def build() -> None:
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0, interactive=False)
    from importlib import import_module

    started = time.perf_counter()
    with transaction.atomic():
        for app in ("home", "membership", "casestudies"):
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            module.load(io.StringIO(), volume=app == "casestudies")
    print(
        f"Demo content and 600 generated case studies loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )


def measure(runs: int) -> list[tuple]:
    from django.db import connection
    from django.test import Client

    client = Client()
    rows = []
    for label, url in URLS:
        response = client.get(url)  # warm caches (site root paths, settings, templates)
        assert response.status_code == 200, (url, response.status_code)
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        rows.append((label, url, len(executed), *percentiles(times), *percentiles(cpu)))
    return rows


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[round(0.95 * (len(ordered) - 1))]


def table(rows, vendor: str, count: int) -> str:
    lines = [
        f"Case study library, {count} live case studies, {vendor}, Django test client, "
        "warm, DEBUG off",
        "",
        "Wall time includes waiting for the CPU on a busy machine; CPU time is this "
        "process's own work (the database's too, for SQLite, which runs in-process).",
        "",
        "| page | URL | SQL queries | median ms | p95 ms | median CPU ms | p95 CPU ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {label} | `{url}` | {queries} | {median:.1f} | {p95:.1f} | {cpu:.1f} | {cpu95:.1f} |"
        for label, url, queries, median, p95, cpu, cpu95 in rows
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--out", type=Path, default=None, help="Also write the table here.")
    args = parser.parse_args()
    setup(args.database_url)
    build()
    from django.db import connection

    from casestudies.models import CaseStudyPage

    rows = measure(args.runs)
    output = table(rows, connection.vendor, CaseStudyPage.objects.live().count())
    print(output)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output)


if __name__ == "__main__":
    main()
