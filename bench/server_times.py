"""Server time and SQL queries per page type at the network's real size, with Redis and without.

Everything runs under ``ccin.settings.production`` (DEBUG off, manifest static files, the
production cache, page-cache and logging settings) with the environment it demands: a
random ``SECRET_KEY`` made for the run, ``ALLOWED_HOSTS=testserver`` (the Django test
client's host) and ``SECURE_SSL_REDIRECT=0`` (the client speaks plain http). Static files
are collected into a temporary ``STATIC_ROOT`` (the one setting changed after start-up).

Builds a fresh database (a temporary SQLite file, or ``--database-url`` such as a scratch
PostgreSQL database), loads the demo content with ``--volume``, then measures every page in
``bench/pages.py`` with the Django test client in one worker process per configuration,
all against that one database (settings are fixed per process):

- *with Redis*: ``REDIS_URL`` (``--redis``, default redis://127.0.0.1:6379/7, flushed
  first), so ``caching.resilient_redis.ResilientRedisCache``;
- *without Redis*: no ``REDIS_URL``, so Django's ``LocMemCache`` (each process's memory).

The workers take turns page by page, over ``--rounds`` passes with the order alternating,
so whatever else the machine is doing hits all of them. Per page and configuration: median
and p95 ms with the page cache off (a miss: routing, queries, templates; remembered values
warm), the worker's CPU ms, the median just after a publish (each request right after the
content version moves on: nothing cached or remembered), the median of a cached hit (the
page cache as the settings have it), and the work of one warm request (SQL queries, cache
reads and writes, Python function calls). The Markdown report puts the configurations side
by side with the ratio without / with and flags pages without Redis over 1.5x their time
with Redis (pooled and in most rounds), and pages slower than the previous figures (the
committed ``--out`` file, read with ``git show HEAD:…``, or ``--baseline FILE``).

``--before-tree DIR`` (repeatable, with ``--before-label``) also measures another checkout
(``git archive <commit> | tar -x -C DIR``) against the same database in the same run, with
and without Redis; ``--test-settings`` adds ``ccin.settings.test`` without Redis, the way
figures were taken before. ``--only LABEL`` (repeatable) measures some pages only.

    .venv/bin/python bench/server_times.py [--runs 40] [--rounds 4] [--database-url postgres://…]
        [--redis redis://127.0.0.1:6379/7] [--out bench/results/server_times_sqlite.md]
        [--baseline FILE] [--before-tree DIR --before-label TEXT] [--test-settings] [--reuse]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import platform
import pstats
import re
import secrets
import shutil
import statistics
import subprocess  # noqa: S404 - runs this script's own workers and read-only git commands
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pages import BUDGET, PAGES, ROOT, build_volume, setup_django  # noqa: E402

SETTINGS = "ccin.settings.production"
TEST_CLIENT_HOST = "testserver"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
# Issue 8's server-time targets (median, warm, page cache off).
DEFAULT_TARGET_MS = 20
TARGET_MS = {"case studies, 3 facets + search": 30}
# Issue 15: without Redis, every page within this factor of its time with Redis.
RATIO_TARGET = 1.5
# Python function calls vary a little from request to request (a version read once a second).
WORK_TOLERANCE = 0.02
PHASES = ("uncached", "uncached_cpu", "after_publish", "cached")


@dataclass
class Config:
    """One worker: which code, which settings, Redis or not."""

    key: str
    label: str
    redis: bool
    root: Path
    settings: str = SETTINGS
    key_prefix: str = ""
    # An extra configuration's figures are compared with this main one's ("redis", "locmem").
    compare: str = ""
    # Whether an extra configuration is a target ("not slower than"), flagged when missed.
    target: bool = False
    # The header of the ratio column (the compared main configuration's median over this one's).
    ratio_header: str = ""
    info: dict = field(default_factory=dict)


# Worker side: one process per configuration ------------------------------------------------


def timed(client, url: str, runs: int, before=None, cpu: list | None = None) -> list[float]:
    """Wall-clock ms of ``runs`` requests; with ``cpu``, this process's CPU ms too."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def counted(client, url: str) -> tuple[int, dict[str, int]]:
    """SQL queries and calls to the default cache (outermost only) of one request."""
    from django.core.cache import caches
    from django.db import connection

    backend = caches["default"]
    queries: list[str] = []
    calls: dict[str, int] = {}
    depth = [0]

    def wrap(name, original):
        def wrapper(*args, **kwargs):
            if depth[0] == 0:
                calls[name] = calls.get(name, 0) + 1
            depth[0] += 1
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1

        return wrapper

    names = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "incr")
    for name in names:
        setattr(backend, name, wrap(name, getattr(backend, name)))

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(count):
            response = client.get(url)
    finally:
        for name in names:
            delattr(backend, name)  # the class's own method again
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), calls


def python_calls(client, url: str) -> int:
    """Python function calls of one request (cProfile): work, unaffected by machine load."""
    profile = cProfile.Profile()
    profile.enable()
    try:
        response = client.get(url)
    finally:
        profile.disable()
    assert response.status_code == 200, (url, response.status_code)
    return pstats.Stats(profile).total_calls


def worker_info() -> dict:
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection

    import caching

    backend = type(caches["default"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db_version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("select sqlite_version()")
            db_version = "SQLite " + cursor.fetchone()[0]
    return {
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "cache": f"{backend.__module__}.{backend.__qualname__}",
        "location": settings.CACHES["default"].get("LOCATION", ""),
        "key_prefix": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "page_cache_seconds": getattr(settings, "CCIN_PAGE_CACHE_SECONDS", None),
        "remember": getattr(settings, "CCIN_REMEMBER", None),
        "version_seconds": getattr(settings, "CCIN_CONTENT_VERSION_SECONDS", None),
        "debug": settings.DEBUG,
        "log_level": settings.LOGGING.get("root", {}).get("level", ""),
        "code": str(Path(caching.__file__).resolve().parent.parent),
        "vendor": connection.vendor,
        "db_version": db_version,
    }


def worker() -> None:
    """Answer measuring requests, one JSON line in and one out, until told to stop."""
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to the log, not into the replies
    sys.stdout = sys.stderr
    setup_django(None, os.environ["BENCH_SETTINGS"], Path(os.environ["BENCH_ROOT"]))
    from django.conf import settings
    from django.test import Client, override_settings

    overrides = {"STATIC_ROOT": os.environ["BENCH_STATIC_ROOT"]}
    if os.environ.get("BENCH_KEY_PREFIX"):
        # Another checkout sharing the Redis database: its own keys.
        caches = {name: dict(value) for name, value in settings.CACHES.items()}
        caches["default"]["KEY_PREFIX"] = os.environ["BENCH_KEY_PREFIX"]
        overrides["CACHES"] = caches
    override_settings(**overrides).enable()
    try:
        from caching.versions import bump_version, forget_memo
    except ImportError:  # code from before the content version was a database row
        from caching.page_cache import bump_version

        def forget_memo():
            pass

    client = Client()
    page_cache_on = getattr(settings, "CCIN_PAGE_CACHE_SECONDS", 0) > 0
    replies.write(json.dumps({"ready": worker_info()}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("op") == "quit":
            break
        try:
            url = request["url"]
            # Another worker may have moved the version on; read it afresh, then warm.
            forget_memo()
            result: dict = {}
            with override_settings(CCIN_PAGE_CACHE_SECONDS=0):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                if request.get("count"):
                    result["queries"], result["cache_calls"] = counted(client, url)
                    result["python_calls"] = min(python_calls(client, url) for _ in range(3))
                result["uncached_cpu"] = []
                result["uncached"] = timed(client, url, request["runs"], cpu=result["uncached_cpu"])
                result["after_publish"] = timed(
                    client, url, request["publish_runs"], lambda: bump_version("benchmark")
                )
            if page_cache_on:  # as the settings have it (production: a day)
                client.get(url)
                result["cached"] = timed(client, url, request["runs"])
            else:
                result["cached"] = []
            result["bytes"] = len(response.content)
        except Exception:
            result = {"error": traceback.format_exc()}
        replies.write(json.dumps(result) + "\n")


def collect_static() -> None:
    """collectstatic into BENCH_STATIC_ROOT, for production's manifest storage."""
    setup_django(None, os.environ["BENCH_SETTINGS"], Path(os.environ["BENCH_ROOT"]))
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(STATIC_ROOT=os.environ["BENCH_STATIC_ROOT"]):
        call_command("collectstatic", interactive=False, verbosity=0)


# Orchestrator side --------------------------------------------------------------------------


def production_env(base: dict[str, str], database_url: str, media_root: str) -> dict[str, str]:
    env = {name: value for name, value in base.items() if name != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=TEST_CLIENT_HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        MEDIA_ROOT=media_root,
    )
    return env


class Worker:
    def __init__(self, config: Config, env: dict[str, str], log: Path):
        self.config = config
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            cwd=config.root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"The {self.config.label} worker stopped; see {self.log_path}")
        reply = json.loads(line)
        if "error" in reply:
            raise SystemExit(f"The {self.config.label} worker failed:\n{reply['error']}")
        return reply

    def ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
        self.log.close()


def git(*args: str) -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), *args],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def load_baseline(args) -> tuple[str, dict[str, dict[str, float]]] | None:
    """The previous figures: ``--baseline``, else the committed ``--out`` (git show HEAD:…)."""
    if args.baseline:
        text, source = args.baseline.read_text(), str(args.baseline)
        committed = ""
    elif args.out:
        try:
            relative = args.out.resolve().relative_to(ROOT)
        except ValueError:
            relative = None
        text = git("show", f"HEAD:{relative}") if relative else ""
        source = f"{relative} at HEAD"
        committed = git("log", "-1", "--format=%cs", "HEAD", "--", str(relative)).strip()
        if not text and args.out.exists():
            text, source = args.out.read_text(), str(args.out)
    else:
        return None
    figures = parse_results(text)
    if not figures:
        return None
    found = re.search(r"ccin\.settings\.\w+", text)
    # Files from before this script named its settings were taken under the test settings.
    settings = found.group(0) if found else "ccin.settings.test"
    dated = re.search(r"^- Date: (\S+)", text, re.MULTILINE)
    when = dated.group(1) if dated else committed
    return f"{settings}{', ' + when if when else ''}; {source}", figures


def parse_results(text: str) -> dict[str, dict[str, float]]:
    """Page label -> {column: median ms} from the first results table in ``text``.

    Reads this script's table ("with Redis ms", "without Redis ms") or the older one with a
    single "median ms" column (then under the key "any").
    """
    rows = [line for line in text.splitlines() if line.startswith("|")]
    for index, line in enumerate(rows[:-1]):
        header = [cell.strip() for cell in line.strip("|").split("|")]
        if not re.fullmatch(r"[|\s:-]+", rows[index + 1]):
            continue  # not a header: the next row is not the separator
        wanted = {
            name: header.index(column)
            for name, column in (
                ("with Redis", "with Redis ms"),
                ("without Redis", "without Redis ms"),
                ("any", "median ms"),
            )
            if column in header
        }
        if "page" not in header or not wanted:
            continue
        figures = {}
        for row in rows[index + 2 :]:
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            if len(cells) != len(header):
                break
            values = {}
            for name, position in wanted.items():
                number = re.match(r"[\d.]+", cells[position])
                if number:
                    values[name] = float(number.group(0))
            figures[cells[header.index("page")]] = values
        return figures
    return {}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg() -> tuple[float, float, float]:
    return os.getloadavg()


def measure(
    workers: list[Worker], runs: int, publish_runs: int, rounds: int, loads: list
) -> dict[str, dict[str, dict]]:
    """Every page, every worker in turn (the order alternating), ``rounds`` passes."""
    per_round = math.ceil(runs / rounds)
    publish_per_round = max(2, math.ceil(publish_runs / rounds))
    results: dict[str, dict[str, dict]] = {
        worker.config.key: {label: {phase: [] for phase in PHASES} for label, _, _ in PAGES}
        for worker in workers
    }
    for round_ in range(rounds):
        for index, (label, url, _kind) in enumerate(PAGES):
            shift = (index + round_) % len(workers)
            for worker in workers[shift:] + workers[:shift]:
                reply = worker.ask(
                    {
                        "url": url,
                        "runs": per_round,
                        "publish_runs": publish_per_round,
                        "count": round_ == 0,
                    }
                )
                entry = results[worker.config.key][label]
                for phase in PHASES:
                    entry[phase] += reply[phase]
                entry.setdefault("round_medians", []).append(median(reply["uncached"]))
                entry.setdefault("round_cpu", []).append(median(reply["uncached_cpu"]))
                for name in ("queries", "cache_calls", "python_calls", "bytes"):
                    if name in reply:
                        entry[name] = reply[name]
            loads.append(loadavg()[0])
            print(f"  round {round_ + 1}/{rounds}: {label}", file=sys.stderr, flush=True)
    return results


def summarise(samples: dict) -> dict:
    return {
        "queries": samples.get("queries"),
        "cache_calls": samples.get("cache_calls", {}),
        "python_calls": samples.get("python_calls"),
        "median": median(samples["uncached"]),
        "p95": percentile(samples["uncached"], 0.95),
        "cpu": median(samples["uncached_cpu"]),
        "rounds": samples.get("round_medians", []),
        "rounds_cpu": samples.get("round_cpu", []),
        "after_publish": median(samples["after_publish"]),
        "cached": median(samples["cached"]),
        "runs": len(samples["uncached"]),
        "publish_runs": len(samples["after_publish"]),
    }


def ms(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


@dataclass
class Comparison:
    """``numerator``'s median over ``denominator``'s, pooled and round by round."""

    ratio: float | None
    over: int  # rounds whose own ratio is over the limit
    rounds: int
    limit: float

    @classmethod
    def of(cls, numerator: dict, denominator: dict, limit: float, cpu: bool = False):
        value, rounds = ("cpu", "rounds_cpu") if cpu else ("median", "rounds")
        pairs = list(zip(numerator[rounds], denominator[rounds], strict=False))
        over = sum(1 for a, b in pairs if a is not None and b and a / b > limit)
        return cls(ratio(numerator[value], denominator[value]), over, len(pairs), limit)

    @property
    def flagged(self) -> bool:
        """Over the limit pooled, and in most rounds on their own (not one noisy round)."""
        return self.ratio is not None and self.ratio > self.limit and self.over * 2 > self.rounds

    def __str__(self) -> str:
        return f"{times(self.ratio)} ({self.over}/{self.rounds})"


def calls_text(calls: dict[str, int]) -> str:
    reads = sum(calls.get(name, 0) for name in ("get", "get_many"))
    writes = sum(calls.get(name, 0) for name in ("set", "set_many", "add", "incr"))
    return f"{reads}/{writes}"


def listed(items: list[str], limit: int = 8) -> str:
    if not items:
        return "none."
    if len(items) > limit:
        return f"{len(items)}, flagged in the table."
    return "; ".join(items) + "."


def report(configs: list[Config], results: dict, meta: dict, baseline, tolerance: float) -> str:
    by_key = {config.key: config for config in configs}
    with_, without = by_key["redis"], by_key["locmem"]
    extras = [config for config in configs if config.compare]
    stats = {
        config.key: {label: summarise(results[config.key][label]) for label, _, _ in PAGES}
        for config in configs
    }
    baseline_label, previous = baseline if baseline else ("", {})
    baseline_short = baseline_label.split(";")[0]
    info = with_.info
    lines = [
        f"# Server time per page type: `{info['settings']}`, {meta['vendor']}, "
        "with Redis and without",
        "",
        f"- Date: {meta['started']} to {meta['ended']} UTC",
        f"- Machine: {meta['nproc']} cores (nproc), {meta['cpu']}; 1/5/15-minute load "
        f"average {meta['load_start']} at the start and {meta['load_end']} at the end "
        f"(1-minute, sampled after each page: {meta['load_min']:.2f} to {meta['load_max']:.2f}); "
        "other work may have shared the machine, so compare the ratios, taken in one run",
        f"- Settings: `{info['settings']}` for both (DEBUG {'on' if info['debug'] else 'off'}, "
        f"a random SECRET_KEY, ALLOWED_HOSTS={TEST_CLIENT_HOST}, SECURE_SSL_REDIRECT=0, log "
        f"level {info['log_level']}, static files collected into a temporary STATIC_ROOT); "
        "the Django test client in-process, one worker process per configuration, one database",
        f"- **with Redis**: `{info['cache']}` at {info['location']} (flushed first); "
        f"**without Redis**: `{without.info['cache']}` (no REDIS_URL)",
        f"- Page cache {info['page_cache_seconds']} s / {without.info['page_cache_seconds']} s "
        "(CCIN_PAGE_CACHE_SECONDS with / without; off for the uncached columns), remembered "
        f"values {'on' if info['remember'] else 'off'} / "
        f"{'on' if without.info['remember'] else 'off'}, content version reused for "
        f"{info['version_seconds']} s outside transactions",
        f"- Database: {info['db_version']}; {meta['counts']}",
        f"- Versions: Django {meta['django']}, Wagtail {meta['wagtail']}, Python "
        f"{meta['python']}; code at {meta['commit']}",
        f"- Runs per page and configuration: {meta['runs']} requests with the page cache off "
        f"and {meta['runs']} cached hits, in {meta['rounds']} rounds (the configurations "
        f"taking turns page by page, the order alternating), {meta['publish_runs']} requests "
        "after a publish; a warm-up request first in each round; medians of all",
        f"- Ratios: the first configuration's median over the second's, all runs pooled; "
        f"(k/n) after a ratio: in k of the n rounds the two medians of that round alone were "
        f"over the limit too (without / with: {RATIO_TARGET}×; now / before: "
        f"{1 + tolerance:.2f}×). A page is flagged only when the pooled ratio and most rounds "
        "are over it, so one disturbed round does not flag it",
    ]
    if baseline:
        lines.append(
            f"- Previous figures: {baseline_label}; flagged when a median is over theirs by "
            f"more than {tolerance:.0%} (a single figure from another day: no rounds to check)"
        )
    for config in extras:
        lines.append(
            f"- **{config.label}**: the code in `{config.info['code']}`, "
            f"`{config.info['settings']}`, `{config.info['cache']}` (page cache "
            f"{config.info['page_cache_seconds']} s, remembered values "
            f"{'on' if config.info['remember'] else 'off'}), same database, same run; "
            f"compared with {by_key[config.compare].label}"
            + ("; the code measured is flagged when slower than it" if config.target else "")
        )

    header = [
        "page",
        "URL",
        "queries with / without (budget)",
        "with Redis ms",
        "p95",
        "without Redis ms",
        "p95",
        "without / with",
    ]
    if baseline:
        header.append(f"previous ms ({baseline_short})")
    for config in extras:
        header += [f"{config.label} ms", config.ratio_header]
    header.append("flags")
    lines += [
        "",
        "## Page cache off (a miss: routing, queries, templates; remembered values warm)",
        "",
        "| " + " | ".join(header) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in header[2:-1]) + " | --- |",
    ]
    missed: dict[str, list[str]] = {
        "ratio": [],
        "previous": [],
        "extra": [],
        "issue 8": [],
        "budget": [],
    }
    for label, url, kind in PAGES:
        a, b = stats["redis"][label], stats["locmem"][label]
        flags = []
        if max(a["queries"], b["queries"]) > BUDGET[kind]:
            flags.append("over the query budget")
            missed["budget"].append(label)
        r = Comparison.of(b, a, RATIO_TARGET)
        if r.flagged:
            flags.append(f"without Redis over {RATIO_TARGET}×")
            missed["ratio"].append(f"{label} ({r})")
        target = TARGET_MS.get(label, DEFAULT_TARGET_MS)
        over = [
            config.label
            for config, figure in ((with_, a), (without, b))
            if figure["median"] > target
        ]
        if over:
            flags.append(f"over {target} ms ({', '.join(over)})")
            missed["issue 8"] += [f"{label} {name}" for name in over]
        cells = [
            label,
            f"`{url}`",
            f"{a['queries']} / {b['queries']} ({BUDGET[kind]})",
            ms(a["median"]),
            ms(a["p95"]),
            ms(b["median"]),
            ms(b["p95"]),
            str(r),
        ]
        if baseline:
            old = previous.get(label, {})
            old_with = old.get("with Redis", old.get("any"))
            old_without = old.get("without Redis", old.get("any"))
            same = old_with == old_without
            cells.append(ms(old_with) if same else f"{ms(old_with)} / {ms(old_without)}")
            slower = [
                config.label
                for config, figure, old_value in ((with_, a, old_with), (without, b, old_without))
                if old_value and figure["median"] > old_value * (1 + tolerance)
            ]
            if slower:
                flags.append(f"slower than previous ({', '.join(slower)})")
                missed["previous"] += [f"{label} {name}" for name in slower]
        for config in extras:
            compared = Comparison.of(
                stats[config.compare][label], stats[config.key][label], 1 + tolerance
            )
            cells += [ms(stats[config.key][label]["median"]), str(compared)]
            if config.target and compared.flagged:
                flags.append(f"slower than {config.label}")
                missed["extra"].append(f"{label} ({compared}, {config.label})")
        cells.append("; ".join(flags))
        lines.append("| " + " | ".join(cells) + " |")

    lines += [
        "",
        "## After a publish, and cached hits",
        "",
        "After a publish: each request right after the content version moves on (nothing "
        "cached or remembered: what the first visitor after an edit pays). Cached: the page "
        "cache as the settings have it; a page it never stores (a form with a CSRF token, the "
        "API's `Vary: Accept`) is rendered each time.",
        "",
        "| page | after a publish, with Redis ms | without Redis ms | without / with "
        "| cached, with Redis ms | without Redis ms | without / with |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    publish_over, cached_over = [], []
    for label, _url, _kind in PAGES:
        a, b = stats["redis"][label], stats["locmem"][label]
        rp = ratio(b["after_publish"], a["after_publish"])
        rc = ratio(b["cached"], a["cached"])
        if rp is not None and rp > RATIO_TARGET:
            publish_over.append(f"{label} ({rp:.2f}×)")
        if rc is not None and rc > RATIO_TARGET:
            cached_over.append(f"{label} ({rc:.2f}×)")
        lines.append(
            f"| {label} | {ms(a['after_publish'])} | {ms(b['after_publish'])} | {times(rp)} "
            f"| {ms(a['cached'], 2)} | {ms(b['cached'], 2)} | {times(rc)} |"
        )

    lines += [
        "",
        "## Page cache off: CPU time of the measuring process",
        "",
        "The median CPU milliseconds the worker process itself spent per request (Python, "
        "templates, SQLite; not the time Redis or PostgreSQL spend in their own processes, "
        "nor time waiting for a core). Less disturbed by other work on the machine than the "
        "wall-clock times above, so a check on their ratios.",
        "",
    ]
    cpu_header = ["page", "with Redis CPU ms", "without Redis CPU ms", "without / with"]
    for config in extras:
        cpu_header += [f"{config.label} CPU ms", config.ratio_header]
    lines += [
        "| " + " | ".join(cpu_header) + " |",
        "| --- | " + " | ".join("---:" for _ in cpu_header[1:]) + " |",
    ]
    cpu_over, cpu_slower = [], []
    for label, _url, _kind in PAGES:
        a, b = stats["redis"][label], stats["locmem"][label]
        r = Comparison.of(b, a, RATIO_TARGET, cpu=True)
        if r.flagged:
            cpu_over.append(f"{label} ({r})")
        cells = [label, ms(a["cpu"]), ms(b["cpu"]), str(r)]
        for config in extras:
            compared = Comparison.of(
                stats[config.compare][label], stats[config.key][label], 1 + tolerance, cpu=True
            )
            cells += [ms(stats[config.key][label]["cpu"]), str(compared)]
            if config.target and compared.flagged:
                cpu_slower.append(f"{label} ({compared}, {config.label})")
        lines.append("| " + " | ".join(cells) + " |")

    lines += [
        "",
        "## Page cache off: work per request",
        "",
        "Counted on one warm request (page cache off), so not disturbed by machine load at "
        "all: SQL queries; reads / writes to the default cache (each a round trip with Redis); "
        "Python function calls (cProfile, the least of three requests), a measure of the "
        "CPU work the code asks for.",
        "",
    ]
    work_header = [
        "page",
        "with Redis: queries, cache r/w, calls",
        "without Redis: queries, cache r/w, calls",
        "calls without / with",
    ]
    for config in extras:
        work_header += [
            f"{config.label}: queries, cache r/w, calls",
            f"calls {config.ratio_header}",
        ]
    lines += [
        "| " + " | ".join(work_header) + " |",
        "| --- | " + " | ".join("---:" for _ in work_header[1:]) + " |",
    ]

    def work(figure: dict) -> str:
        return f"{figure['queries']}, {calls_text(figure['cache_calls'])}, {figure['python_calls']}"

    work_more = []
    for label, _url, _kind in PAGES:
        a, b = stats["redis"][label], stats["locmem"][label]
        cells = [label, work(a), work(b), times(ratio(b["python_calls"], a["python_calls"]))]
        for config in extras:
            then = stats[config.key][label]
            now = stats[config.compare][label]
            more = ratio(now["python_calls"], then["python_calls"])
            cells += [work(then), times(more)]
            if config.target and (
                (more or 0) > 1 + WORK_TOLERANCE
                or now["queries"] > then["queries"]
                # Round trips to Redis; reading local memory is cheap next to a query.
                or config.redis
                and sum(now["cache_calls"].values()) > sum(then["cache_calls"].values())
            ):
                work_more.append(f"{label} ({config.label})")
        lines.append("| " + " | ".join(cells) + " |")

    lines += ["", "## Targets", ""]
    lines.append(
        f"- Without Redis within {RATIO_TARGET}× of with Redis (page cache off): "
        + ("**missed** by " + listed(missed["ratio"]) if missed["ratio"] else "every page.")
        + f" Over {RATIO_TARGET}× after a publish: "
        + listed(publish_over)
        + f" Over {RATIO_TARGET}× for cached hits: "
        + listed(cached_over)
    )
    lines.append(
        f"- The same by CPU time of the measuring process: over {RATIO_TARGET}×: "
        + listed(cpu_over)
        + (
            f" Slower than {', '.join(config.label for config in extras if config.target)}: "
            + listed(cpu_slower)
            if any(config.target for config in extras)
            else ""
        )
    )
    if targets_extra := [config for config in extras if config.target]:
        lines.append(
            f"- More work per request than {', '.join(c.label for c in targets_extra)} (more "
            f"queries, more round trips to Redis, or over {WORK_TOLERANCE:.0%} more Python "
            "calls): " + listed(work_more)
        )
    if baseline:
        lines.append(
            f"- Not slower than the previous figures ({baseline_short}, {tolerance:.0%} allowed; "
            "taken on another day, so machine load differs too): "
            + ("**slower**: " + listed(missed["previous"]) if missed["previous"] else "none.")
        )
    targets = [config for config in extras if config.target]
    if targets:
        lines.append(
            f"- Not slower than {', '.join(config.label for config in targets)} (same run, "
            f"{tolerance:.0%} allowed): "
            + ("**slower**: " + listed(missed["extra"]) if missed["extra"] else "none.")
        )
    lines.append(
        f"- Issue 8, median under {DEFAULT_TARGET_MS} ms"
        + "".join(f" ({label}: {target} ms)" for label, target in TARGET_MS.items())
        + ": "
        + ("over it: " + listed(missed["issue 8"]) if missed["issue 8"] else "every page.")
    )
    lines.append(
        "- Query budgets (12 detail, 15 listing): "
        + ("**over**: " + listed(missed["budget"]) if missed["budget"] else "every page.")
    )
    for config in configs:
        medians = [stats[config.key][label]["median"] for label, _, _ in PAGES]
        cached = [stats[config.key][label]["cached"] for label, _, _ in PAGES]
        cached = [value for value in cached if value]
        lines.append(
            f"- {config.label}: slowest median {max(medians):.1f} ms, median of medians "
            f"{statistics.median(medians):.1f} ms"
            + (
                f"; a cached hit is {statistics.median(medians) / statistics.median(cached):.0f}× "
                "faster than rendering (median of pages)"
                if cached
                else ""
            )
            + "."
        )
    return "\n".join(lines) + "\n"


def counts() -> str:
    from casestudies.models import CaseStudyPage
    from membership.models import MemberCouncil
    from news.models import NewsPage

    return (
        f"{CaseStudyPage.objects.live().count()} case studies, "
        f"{NewsPage.objects.live().count()} articles, "
        f"{MemberCouncil.objects.count()} member records"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Flushed first.")
    parser.add_argument("--out", type=Path, default=None, help="Also write the table here.")
    parser.add_argument("--baseline", type=Path, default=None, help="Previous figures.")
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument(
        "--before-tree",
        type=Path,
        action="append",
        default=[],
        help="Another checkout to measure in the same run (repeatable).",
    )
    parser.add_argument(
        "--before-label", action="append", default=[], help="Its name (one per --before-tree)."
    )
    parser.add_argument(
        "--test-settings",
        action="store_true",
        help="Also measure ccin.settings.test without Redis (how the earlier figures were taken).",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="The database already holds the volume; measure it."
    )
    parser.add_argument(
        "--only", action="append", default=[], help="A page label from pages.py (repeatable)."
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--collect-static", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker()
    if args.collect_static:
        return collect_static()
    if args.rounds < 1 or args.runs < 1:
        parser.error("--runs and --rounds must be at least 1")
    if args.only:
        wanted = set(args.only)
        unknown = wanted - {label for label, _, _ in PAGES}
        if unknown:
            parser.error(f"No such page: {', '.join(sorted(unknown))}")
        PAGES[:] = [page for page in PAGES if page[0] in wanted]

    started = datetime.now(UTC)
    load_start = loadavg()
    scratch = Path(tempfile.mkdtemp(prefix="ccin-bench-"))
    try:
        database_url = args.database_url or os.environ.get("DATABASE_URL")
        if args.reuse and not database_url:
            parser.error("--reuse needs --database-url (or DATABASE_URL)")
        database_url = database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
        media_root = os.environ.get("MEDIA_ROOT") or str(scratch / "media")
        env = production_env(dict(os.environ), database_url, media_root)
        os.environ.clear()
        os.environ.update(env)
        setup_django(database_url, SETTINGS)
        load_seconds = 0.0 if args.reuse else build_volume()
        from django.db import connections

        volume = counts() + (f" (volume loaded in {load_seconds:.0f} s)" if load_seconds else "")
        connections.close_all()

        configs = [
            Config("redis", "with Redis", True, ROOT),
            Config("locmem", "without Redis", False, ROOT),
        ]
        for number, tree in enumerate(args.before_tree):
            tree = tree.resolve()
            name = args.before_label[number] if number < len(args.before_label) else tree.name
            configs += [
                Config(
                    f"before-{number}-redis",
                    f"{name}, with Redis",
                    True,
                    tree,
                    key_prefix=f"ccin-bench-before-{number}",  # its own keys, same Redis database
                    compare="redis",
                    target=True,
                    ratio_header=f"now / {name}, with Redis",
                ),
                Config(
                    f"before-{number}-locmem",
                    f"{name}, without Redis",
                    False,
                    tree,
                    compare="locmem",
                    target=True,
                    ratio_header=f"now / {name}, without Redis",
                ),
            ]
        if args.test_settings:
            configs.append(
                Config(
                    "test-locmem",
                    "ccin.settings.test, without Redis",
                    False,
                    ROOT,
                    settings="ccin.settings.test",
                    compare="locmem",
                    ratio_header="production / test, without Redis",
                )
            )
        flush_redis(args.redis)
        for number, root in enumerate(dict.fromkeys(config.root for config in configs)):
            root_env = dict(
                env,
                BENCH_ROOT=str(root),
                BENCH_STATIC_ROOT=str(scratch / f"static-{number}"),
                BENCH_SETTINGS=SETTINGS,
            )
            print(f"Collecting static files for {root} …", file=sys.stderr, flush=True)
            subprocess.run(  # noqa: S603
                [sys.executable, str(Path(__file__).resolve()), "--collect-static"],
                cwd=root,
                env=root_env,
                check=True,
            )
            for config in configs:
                if config.root == root:
                    config.info["env"] = dict(root_env, BENCH_SETTINGS=config.settings)
                    if config.redis:
                        config.info["env"]["REDIS_URL"] = args.redis
                    if config.key_prefix:
                        config.info["env"]["BENCH_KEY_PREFIX"] = config.key_prefix
        workers = []
        try:
            for config in configs:
                worker_env = config.info.pop("env")
                workers.append(Worker(config, worker_env, scratch / f"{config.key}.log"))
            for item in workers:
                item.config.info = item.read()["ready"]
                print(
                    f"{item.config.label}: {item.config.info['cache']} "
                    f"({item.config.info['settings']}, code in {item.config.info['code']})",
                    file=sys.stderr,
                    flush=True,
                )
            loads: list[float] = [load_start[0]]
            publish_runs = max(5, args.runs // 2)
            results = measure(workers, args.runs, publish_runs, args.rounds, loads)
        finally:
            for item in workers:
                item.stop()
        for item in workers:
            text = item.log_path.read_text().strip()
            if text:
                tail = "\n".join(text.splitlines()[-5:])
                print(f"{item.config.label} worker's log ends:\n{tail}", file=sys.stderr)

        import django
        import wagtail

        commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
        dirty = len([line for line in git("status", "--porcelain").splitlines() if line])
        load_end = loadavg()
        loads.append(load_end[0])
        per_round = math.ceil(args.runs / args.rounds)
        meta = {
            "vendor": configs[0].info["vendor"],
            "started": started.strftime("%Y-%m-%d %H:%M"),
            "ended": datetime.now(UTC).strftime("%H:%M"),
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "load_start": " ".join(f"{value:.2f}" for value in load_start),
            "load_end": " ".join(f"{value:.2f}" for value in load_end),
            "load_min": min(loads),
            "load_max": max(loads),
            "counts": volume,
            "django": django.__version__,
            "wagtail": wagtail.__version__,
            "python": platform.python_version(),
            "commit": f"{commit}"
            + (f" with {dirty} files changed or new in the checkout" if dirty else ""),
            "runs": per_round * args.rounds,
            "rounds": args.rounds,
            "publish_runs": max(2, math.ceil(publish_runs / args.rounds)) * args.rounds,
        }
        baseline = load_baseline(args)
        output = report(configs, results, meta, baseline, args.tolerance)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(output)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output)
    over = [
        label
        for label, _url, kind in PAGES
        for config in configs
        if (results[config.key][label].get("queries") or 0) > BUDGET[kind]
        and config.key in ("redis", "locmem")
    ]
    if over:
        raise SystemExit(f"Over the query budget: {', '.join(dict.fromkeys(over))}")


if __name__ == "__main__":
    main()
