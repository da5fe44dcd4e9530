"""Server time and SQL queries per page type at the network's real size.

Builds a fresh database (a temporary SQLite file, or ``--database-url`` such as a scratch
PostgreSQL database), loads the demo content with ``--volume`` (600 generated case studies,
1,000 articles over 12 years, 100 more members), then requests every page in
``bench/pages.py`` with the Django test client (DEBUG off, warm: one request first) and
reports, per page: SQL queries, median and p95 milliseconds with the page cache off (what a
cache miss costs), the median just after a publish (page cache off and every remembered
menu, setting and filter choice forgotten: the first visitor after an edit), and the
median of a cached hit. Writes a Markdown table.

    .venv/bin/python bench/server_times.py [--runs 40] [--database-url postgres://…]
        [--out bench/results/server_times_sqlite.md]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import BUDGET, PAGES, build_volume, setup_django  # noqa: E402

# Issue 8's server-time targets (median, warm, page cache off).
DEFAULT_TARGET_MS = 20
TARGET_MS = {"case studies, 3 facets + search": 30}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(client, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def timed_after_publish(client, url: str, runs: int) -> list[float]:
    """Each request right after the content version moves on, as a publish does."""
    from caching.versions import bump_version

    times = []
    for _ in range(runs):
        bump_version("benchmark")
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def measure(runs: int) -> list[dict]:
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    rows = []
    for label, url, kind in PAGES:
        with override_settings(CCIN_PAGE_CACHE_SECONDS=0):
            response = client.get(url)  # warm: renditions, caches, templates
            assert response.status_code == 200, (url, response.status_code)
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            uncached = timed(client, url, runs)
            after_publish = timed_after_publish(client, url, max(5, runs // 2))
        with override_settings(CCIN_PAGE_CACHE_SECONDS=3600):
            client.get(url)
            cached = timed(client, url, runs)
        rows.append(
            {
                "label": label,
                "url": url,
                "kind": kind,
                "queries": len(queries),
                "budget": BUDGET[kind],
                "median": statistics.median(uncached),
                "p95": percentile(uncached, 0.95),
                "after_publish": statistics.median(after_publish),
                "cached": statistics.median(cached),
                "bytes": len(response.content),
            }
        )
    return rows


def table(rows: list[dict], vendor: str, counts: dict[str, int], load_seconds: float) -> str:
    lines = [
        f"Server time per page type, {vendor}, Django test client, DEBUG off, warm; "
        f"{counts['case_studies']} case studies, {counts['articles']} articles, "
        f"{counts['members']} member records"
        + (f" (volume loaded in {load_seconds:.0f} s)." if load_seconds else "."),
        "",
        "| page | URL | queries (budget) | median ms | p95 ms | after a publish ms "
        "| cached median ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        flag = "" if row["queries"] <= row["budget"] else " **over**"
        lines.append(
            f"| {row['label']} | `{row['url']}` | {row['queries']} ({row['budget']}){flag} "
            f"| {row['median']:.1f} | {row['p95']:.1f} | {row['after_publish']:.1f} "
            f"| {row['cached']:.2f} |"
        )
    medians = [row["median"] for row in rows]
    cached = [row["cached"] for row in rows]
    over = [
        f"{row['label']} ({row['median']:.1f} ms)"
        for row in rows
        if row["median"] > TARGET_MS.get(row["label"], DEFAULT_TARGET_MS)
    ]
    lines += [
        "",
        f"Slowest median {max(medians):.1f} ms; median of medians {statistics.median(medians):.1f}"
        f" ms; a cached hit is {statistics.median(medians) / statistics.median(cached):.0f}× "
        "faster than rendering (median of pages).",
        "",
        f"Target: median under {DEFAULT_TARGET_MS} ms per page"
        + "".join(f", {label} under {ms} ms" for label, ms in TARGET_MS.items())
        + ". "
        + (f"Over it: {'; '.join(over)}." if over else "Every page is within it."),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--out", type=Path, default=None, help="Also write the table here.")
    parser.add_argument(
        "--reuse", action="store_true", help="The database already holds the volume; measure it."
    )
    args = parser.parse_args()
    setup_django(args.database_url)
    load_seconds = 0.0 if args.reuse else build_volume()
    from django.db import connection

    from casestudies.models import CaseStudyPage
    from membership.models import MemberCouncil
    from news.models import NewsPage

    counts = {
        "case_studies": CaseStudyPage.objects.live().count(),
        "articles": NewsPage.objects.live().count(),
        "members": MemberCouncil.objects.count(),
    }
    rows = measure(args.runs)
    output = table(rows, connection.vendor, counts, load_seconds)
    print(output)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output)
    over = [row["label"] for row in rows if row["queries"] > row["budget"]]
    if over:
        raise SystemExit(f"Over the query budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
