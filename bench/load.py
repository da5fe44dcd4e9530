"""Load test: anonymous visitors against gunicorn with production settings, PostgreSQL and Redis.

Creates a throwaway PostgreSQL database, loads the demo content (with ``--volume``, the
network's real size: 600+ case studies, years of news), collects static files, starts gunicorn
with ``ccin.settings.production`` on 127.0.0.1, then runs a locust workload in-process
(headless): 32 visitors for 60 seconds by default, each browsing the home page, the news index
and its filters, articles, case-study filters, feeds and search. It stops at the time limit or
the request limit, whichever comes first, and writes ``bench/results/load.md`` and ``.json``
(p50/p95/p99, requests per second, errors, per endpoint). Exits non-zero on any error.

    make bench-load            # installs the bench extra (locust) and runs this
    .venv/bin/python bench/load.py [--users 32] [--duration 60] [--max-requests 100000]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) and Redis at 127.0.0.1:6379;
``--postgres`` and ``--redis`` point elsewhere, but only to this machine.
"""

from __future__ import annotations

# locust patches the standard library for gevent; it must come before anything else imports it.
from locust import HttpUser, between, events, task  # isort: skip

import argparse
import json
import os
import platform
import random
import re
import secrets
import subprocess  # noqa: S404 - starts our own gunicorn and manage.py, no shell
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import gevent
from locust.env import Environment
from servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SEARCH_WORDS = [
    "housing", "energy", "co-operative", "community wealth", "care", "climate", "digital",
    "food", "youth", "council", "procurement", "social value", "zzzz-no-match",
]  # fmt: skip

# Filled in from the running site's sitemap and filter forms before the visitors start.
SITE: dict[str, list[str]] = {"articles": [], "case_studies": [], "case_filters": []}


class Visitor(HttpUser):
    """An anonymous visitor: mostly reading news and case studies, sometimes searching."""

    wait_time = between(0.5, 1.5)

    @task(10)
    def home(self):
        self.client.get("/", name="home")

    @task(6)
    def news_index(self):
        choice = random.choice(["", "?kind=press-release", "?kind=news", "?page=2", "?year=2026"])
        self.client.get(f"/news/{choice}", name="news index")

    @task(12)
    def article(self):
        self.client.get(random.choice(SITE["articles"]), name="news article")

    @task(6)
    def case_study(self):
        self.client.get(random.choice(SITE["case_studies"]), name="case study")

    @task(8)
    def case_study_filters(self):
        filters = random.sample(SITE["case_filters"], k=min(2, len(SITE["case_filters"])))
        page = random.choice(["", "&page=2"])
        self.client.get(f"/case-studies/?{'&'.join(filters)}{page}", name="case-study filters")

    @task(3)
    def feeds(self):
        url = random.choice(["/news/feed/", "/news/feed/atom/", "/case-studies/feed/"])
        self.client.get(url, name="feeds")

    @task(5)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(SEARCH_WORDS)}, name="search")


# --- Setting up the site ------------------------------------------------------------------------


def local_only(url: str) -> str:
    host = urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"Refusing to use {url}: load tests run against this machine only.")
    return url


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def psql(server: str, statement: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", f"{server}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", statement],  # noqa: S607
        check=True,
    )


def sitemap_locations(url: str) -> list[str]:
    """The <loc> addresses of one sitemap document (an index's documents, or pages)."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return re.findall(r"<loc>([^<]+)</loc>", response.read().decode())


def discover(base: str) -> None:
    """Article and case-study URLs from the sitemap; filter values from the library's form."""
    paths = []
    # /sitemap.xml is an index of section documents (ccin/sitemaps.py): read each one.
    for document in sitemap_locations(f"{base}/sitemap.xml"):
        query = urlparse(document).query
        paths += [
            urlparse(loc).path
            for loc in sitemap_locations(f"{base}{urlparse(document).path}?{query}")
        ]
    SITE["articles"] = [p for p in paths if re.fullmatch(r"/news/[^/]+/", p)]
    SITE["case_studies"] = [p for p in paths if re.fullmatch(r"/case-studies/[^/]+/", p)]
    with urllib.request.urlopen(f"{base}/case-studies/", timeout=10) as response:  # noqa: S310
        html = response.read().decode()
    filters = []
    for name in ["theme", "nation", "year", "council"]:
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
        if select:
            values = [v for v in re.findall(r'value="([^"]+)"', select.group(1)) if v]
            filters += [f"{name}={v}" for v in values[:8]]
    filters += ["q=housing", "q=energy", "q=co-operative"]
    SITE["case_filters"] = filters
    if not SITE["articles"] or not SITE["case_studies"]:
        raise SystemExit("The sitemap lists no articles or case studies; is the demo loaded?")


# --- Running and reporting ----------------------------------------------------------------------


def run_load(base: str, users: int, duration: int, max_requests: int) -> Environment:
    env = Environment(user_classes=[Visitor], host=base, events=events)
    runner = env.create_local_runner()
    sent = 0

    def count(**_kwargs):
        nonlocal sent
        sent += 1
        if sent == max_requests:
            gevent.spawn(runner.quit)

    env.events.request.add_listener(count)
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    return env


def summary(env: Environment, meta: dict) -> dict:
    def row(entry) -> dict:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.total_rps, 1),
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": round(entry.max_response_time or 0),
        }

    endpoints = {name: row(entry) for (name, _method), entry in sorted(env.stats.entries.items())}
    errors = [
        {"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
        for e in env.stats.errors.values()
    ]
    return {**meta, "total": row(env.stats.total), "endpoints": endpoints, "errors": errors}


def write_results(result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    total = result["total"]
    lines = [
        "# Load test: anonymous visitors",
        "",
        f"Run {result['date']} by `bench/load.py` (code at `{result['commit']}`): "
        f"{result['users']} visitors for "
        f"{result['duration_s']} s (think time 0.5–1.5 s), gunicorn with production settings "
        f"({result['workers']} sync workers) on PostgreSQL and Redis, on {result['machine']}; "
        f"the load generator ran on the same machine, whose 1-minute load average was "
        f"{result['load_average'][0]} before and {result['load_average'][1]} after. "
        f"Content: {result['content']}.",
        "",
        f"**{total['requests']} requests, {total['failures']} errors, "
        f"{total['rps']} requests/s; p50 {total['p50_ms']} ms, p95 {total['p95_ms']} ms, "
        f"p99 {total['p99_ms']} ms.**",
        "",
        "| Endpoint | Requests | Errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in [*result["endpoints"].items(), ("**all**", total)]:
        lines.append(
            f"| {name} | {r['requests']} | {r['failures']} | {r['rps']} | {r['p50_ms']} "
            f"| {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} |"
        )
    if result["errors"]:
        lines += ["", "## Errors", ""]
        lines += [f"- {e['name']}: {e['error']} ({e['occurrences']}×)" for e in result["errors"]]
    (RESULTS / "load.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument("--volume", action="store_true", help="load the network's real size")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--keep-database", action="store_true", help="do not drop it afterwards")
    parser.add_argument("--database", help="reuse this database (kept) instead of a fresh one")
    args = parser.parse_args()
    local_only(args.postgres)
    local_only(args.redis)

    name = args.database or f"ccin_load_{datetime.now(UTC):%Y%m%d%H%M%S}_{os.getpid()}"
    fresh = args.database is None
    database_url = f"{args.postgres}/{name}"
    port = free_port()
    base = local_only(f"http://127.0.0.1:{port}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccin.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis,
        "LOG_LEVEL": "WARNING",
    }
    if fresh:
        psql(args.postgres, f'CREATE DATABASE "{name}"')
        print(f"Database {name}: migrating and loading the demo content …", flush=True)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        if fresh:
            manage(env, "load_demo_content", *(["--volume"] if args.volume else []))
        manage(env, "collectstatic", "--noinput", "-v0")
        subprocess.run(  # noqa: S603
            ["redis-cli", "-u", args.redis, "FLUSHDB"],  # noqa: S607
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "ccin.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_until_up(base)
        discover(base)
        for path in ["/", "/news/", "/case-studies/", *SITE["articles"][:5]]:  # warm each worker
            for _ in range(args.workers):
                urllib.request.urlopen(base + path, timeout=10).close()  # noqa: S310
        print(f"Load: {args.users} visitors for {args.duration}s against {base} …", flush=True)
        started, load_before = time.monotonic(), os.getloadavg()[0]
        load = run_load(base, args.users, args.duration, args.max_requests)
        elapsed, load_after = round(time.monotonic() - started, 1), os.getloadavg()[0]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if fresh and not args.keep_database:
            psql(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    content = (
        f"demo content{' at the real size (--volume)' if args.volume else ''}: "
        f"{len(SITE['articles'])} articles, {len(SITE['case_studies'])} case studies"
    )
    result = summary(
        load,
        {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": subprocess.run(  # noqa: S603
                ["git", "describe", "--always", "--dirty"],  # noqa: S607
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip(),
            "users": args.users,
            "duration_s": elapsed,
            "workers": args.workers,
            "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}",
            # Other work on the machine competes with the server: say how busy it was.
            "load_average": [round(load_before, 1), round(load_after, 1)],
            "content": content,
        },
    )
    write_results(result)
    total = result["total"]
    print((RESULTS / "load.md").read_text())
    return 1 if total["failures"] or total["requests"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
