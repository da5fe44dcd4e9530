"""Issue 21's render budget: this site's fresh renders against Wagtail's bakerydemo, side by side.

Every public page type should render fresh (page cache off) in at most half the time of the
matching page of the reference site, with Redis and without, and no page type should render
more than ``SCALE_LIMIT`` times slower at ten times the content. This script measures that in
one run; ``bench/README.md`` says how to set up the reference site (outside this checkout).

One worker process per configuration (``bench/wsgi_worker.py``, which needs only Django, so
the reference runs it in its own virtualenv and both sites are timed by the same code):

- this site **with Redis** (``REDIS_URL``, ``--redis``, database 9 by default, flushed first)
  and **without Redis** (no ``REDIS_URL``: Django's ``LocMemCache``, what production then
  uses), both under ``ccin.settings.production`` with the environment it demands (a random
  ``SECRET_KEY``, ``ALLOWED_HOSTS=testserver``, ``SECURE_SSL_REDIRECT=0``), static files
  collected, ``CCIN_PAGE_CACHE_SECONDS=0``;
- with ``--reference DIR --reference-python PATH``: the demo site with its own settings
  (``--reference-settings``, default its production settings), with Redis and without, on its
  own database (``--reference-database-url``, default ``DIR/db.sqlite3``).

The workers take turns page by page over ``--rounds`` passes, the order alternating, so
whatever else the machine does hits them all; each request is warm (one request first) and a
new anonymous visitor's. Measured: the ``PAIRS`` below; when ``/sitemap.xml`` is a sitemap
index, every section document it lists (the first page of each); the membership page fresh
and as a cached hit with the page cache on. ``--scales 1,10`` also builds this site at ten
times the benchmark volume (``load_demo_content --volume --volume-scale 10``) and measures
every page in ``bench/pages.py`` plus the pairs without Redis at both volumes.

    .venv/bin/python bench/render_budget.py [--reference /tmp/bakery
        --reference-python /tmp/bakery-venv/bin/python] [--scales 1,10] [--runs 20]
        [--rounds 4] [--out bench/results/render_budget.md] [--workdir DIR [--reuse]]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess  # noqa: S404 - runs the workers and read-only git commands
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree  # noqa: S405 - parses this site's own sitemap

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pages import PAGES, ROOT, setup_django  # noqa: E402
from server_times import (  # noqa: E402
    SETTINGS,
    TEST_CLIENT_HOST,
    Comparison,
    cpu_model,
    flush_redis,
    git,
    loadavg,
    median,
    percentile,
    production_env,
    times,
)

WORKER = HERE / "wsgi_worker.py"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
REFERENCE_SETTINGS = "bakerydemo.settings.production"
# Issue 21's targets.
RATIO_LIMIT = 0.5  # this site's median over the demo's, per pair
SITEMAP_MS = 50  # every sitemap document, uncached
SCALE_LIMIT = 1.5  # a page's median at 10x the content over its median at 1x (README)
# Pages that score or count every match of a full-text search (site search, the case-study
# search): at ten times the content "council" matches nine times the pages, and each is
# ranked by SQLite, so these may grow, at most this much (README).
MATCHES_SCALE_LIMIT = 2.5


def scale_limit(url: str) -> float:
    """The 10x/1x bound for a page: ``MATCHES_SCALE_LIMIT`` for a search, else ``SCALE_LIMIT``."""
    return MATCHES_SCALE_LIMIT if "q=" in url.partition("?")[2] else SCALE_LIMIT


PAGE_CACHE_ON = 24 * 60 * 60  # production's default, for the membership page's cached hit
MEMBERSHIP = "/membership/"

# (label, this site's URL, the demo site's URL)
PAIRS = [
    ("home", "/", "/"),
    ("news index ↔ blog index", "/news/", "/blog/"),
    ("article ↔ blog post", "/news/statement-2026-local-elections/", "/blog/wild-yeast/"),
    ("case-study library ↔ breads index", "/case-studies/", "/breads/"),
    (
        "case study ↔ bread page",
        "/case-studies/community-energy-as-part-of-the-route-to-net-zero/",
        "/breads/anadama-bread/",
    ),
    ("search", "/search/?q=council", "/search/?q=bread"),
    ("sitemap", "/sitemap.xml", "/sitemap.xml"),
]
SLOWEST_SECTION = "sitemap, slowest section"


@dataclass
class Config:
    key: str
    label: str
    site: str  # "this" or "demo"
    redis: bool
    scale: float = 1
    env: dict = field(default_factory=dict)
    cwd: Path = ROOT
    python: str = sys.executable
    info: dict = field(default_factory=dict)


@dataclass
class Item:
    """One thing measured: a URL per configuration (missing: that worker skips it)."""

    label: str
    group: str  # "pair", "sitemap", "membership", "cached", "page"
    urls: dict[str, str]
    settings: dict = field(default_factory=dict)


class Worker:
    def __init__(self, config: Config, log: Path):
        self.config = config
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [config.python, str(WORKER)],
            cwd=config.cwd,
            env=config.env,
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


# This site's databases -------------------------------------------------------------------


def scale_name(scale: float) -> str:
    return f"{scale:g}x"


def build(directory: Path, scale: float) -> None:
    """In a subprocess (Django is set up once per process): migrate, load, count."""
    setup_django(os.environ["DATABASE_URL"], SETTINGS)
    import io

    from django.core.management import call_command
    from server_times import counts
    from wagtail.models import Page

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    call_command("load_demo_content", volume=True, volume_scale=scale, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    summary = {
        "scale": scale,
        "counts": counts(),
        "pages": Page.objects.live().count(),
        "load_seconds": round(seconds, 1),
    }
    (directory / "volume.json").write_text(json.dumps(summary))


def database(workdir: Path, scale: float, reuse: bool, base_env: dict) -> dict:
    """This site's database at ``scale`` (built unless ``reuse`` finds a finished one)."""
    directory = workdir / f"ccin-{scale_name(scale)}"
    summary_file = directory / "volume.json"
    database_url = f"sqlite:///{directory / 'db.sqlite3'}"
    env = production_env(base_env, database_url, str(directory / "media"))
    env["CCIN_PAGE_CACHE_SECONDS"] = "0"
    reused = reuse and summary_file.exists()
    if not reused:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        print(f"Building this site at {scale_name(scale)} in {directory} …", file=sys.stderr)
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [sys.executable, str(Path(__file__).resolve()), "--build", str(directory)]
            + ["--build-scale", str(scale)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    summary = json.loads(summary_file.read_text())
    summary["reused"] = reused
    summary["env"] = env
    return summary


def collect_static(python: str, cwd: Path, env: dict, static_root: Path) -> None:
    subprocess.run(  # noqa: S603
        [python, str(WORKER), "--collect-static"],
        cwd=cwd,
        env=dict(env, BENCH_SETTINGS_OVERRIDES=json.dumps({"STATIC_ROOT": str(static_root)})),
        check=True,
    )


# Measuring --------------------------------------------------------------------------------


def sitemap_sections(worker: Worker) -> list[str]:
    """The documents ``/sitemap.xml`` lists when it is an index (path and query each)."""
    reply = worker.ask({"url": "/sitemap.xml", "runs": 0, "body": True})
    if reply["status"] != 200:
        return []
    root = ElementTree.fromstring(reply["body"].encode())  # noqa: S314 - this site's own
    if not root.tag.endswith("sitemapindex"):
        return []
    documents: dict[str, str] = {}
    for loc in root.iter():
        if loc.tag.endswith("loc") and loc.text:
            parts = urlsplit(loc.text.strip())
            documents.setdefault(
                parts.path, parts.path + (f"?{parts.query}" if parts.query else "")
            )
    return list(documents.values())  # the first listed page of each document


def measure(workers: list[Worker], items: list[Item], runs: int, rounds: int, loads: list):
    per_round = max(1, -(-runs // rounds))
    results: dict[tuple[str, str], dict] = {}
    for round_ in range(rounds):
        for index, item in enumerate(items):
            taking_part = [w for w in workers if w.config.key in item.urls]
            if not taking_part:
                continue
            shift = (index + round_) % len(taking_part)
            for worker in taking_part[shift:] + taking_part[:shift]:
                reply = worker.ask(
                    {
                        "url": item.urls[worker.config.key],
                        "runs": per_round,
                        "count": round_ == 0,
                        "settings": item.settings,
                    }
                )
                entry = results.setdefault(
                    (item.label, worker.config.key),
                    {"times": [], "cpu": [], "rounds": [], "rounds_cpu": [], "statuses": set()},
                )
                entry["times"] += reply["times"]
                entry["cpu"] += reply["cpu"]
                entry["rounds"].append(median(reply["times"]))
                entry["rounds_cpu"].append(median(reply["cpu"]))
                entry["statuses"] |= {reply["status"], *reply["statuses"]}
                entry["headers"] = reply["headers"]
                entry["bytes"] = reply["bytes"]
                if "queries" in reply:
                    entry["queries"] = reply["queries"]
            loads.append(loadavg()[0])
        print(f"  round {round_ + 1}/{rounds} done", file=sys.stderr, flush=True)
    for entry in results.values():
        entry["median"] = median(entry["times"])
        entry["p95"] = percentile(entry["times"], 0.95)
        entry["cpu_median"] = median(entry["cpu"])
    return results


# Report -----------------------------------------------------------------------------------


def cell(entry: dict | None) -> str:
    if not entry:
        return "–"
    text = f"{entry['median']:.1f} ({entry['p95']:.1f})"
    if entry["statuses"] != {200}:
        text += f" **status {', '.join(map(str, sorted(entry['statuses'])))}**"
    return text


def compare(numerator: dict | None, denominator: dict | None, limit: float, cpu: bool = False):
    if not numerator or not denominator:
        return None
    if cpu:
        numerator = dict(numerator, median=numerator["cpu_median"])
        denominator = dict(denominator, median=denominator["cpu_median"])
    return Comparison.of(numerator, denominator, limit)


def ratio_cell(comparison) -> str:
    if comparison is None or comparison.ratio is None:
        return "–"
    text = str(comparison)
    return f"**{text}** over" if comparison.ratio > comparison.limit else text


def queries(*entries: dict | None) -> str:
    return " / ".join(str(entry.get("queries", "–")) if entry else "–" for entry in entries)


def table(
    header: list[str], rows: list[list[str]], text_columns: int = 1, flags: bool = True
) -> list[str]:
    """A Markdown table: text columns first, figures right-aligned, the flags column last."""
    figures = len(header) - text_columns - (1 if flags else 0)
    align = ["---"] * text_columns + ["---:"] * figures + (["---"] if flags else [])
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def config_line(config: Config) -> str:
    info = config.info
    cache = info["cache"].rsplit(".", 1)[-1]
    location = info["cache_location"]
    return (
        f"- **{config.label}**: `{info['settings']}` (DEBUG {'on' if info['debug'] else 'off'}"
        f"{', debug toolbar installed' if info['installed_debug_toolbar'] else ''}), cache "
        f"`{cache}`{f' at {location}' if config.redis else ''}"
        f"{', page cache off (CCIN_PAGE_CACHE_SECONDS=0)' if config.site == 'this' else ''}; "
        f"Wagtail {info['wagtail']}, Django {info['django']}, Python {info['python']} "
        f"(`{info['prefix']}`); {info['db']} `{info['db_name']}`"
    )


def report(configs, items, results, meta) -> str:
    by_key = {config.key: config for config in configs}
    base = meta["scales"][0]
    this_r, this_l = f"this-redis-{base:g}", f"this-locmem-{base:g}"
    demo_r, demo_l = "demo-redis", "demo-locmem"
    with_demo = demo_r in by_key

    def get(label: str, key: str) -> dict | None:
        return results.get((label, key))

    lines = [
        "# Render budget: this site's fresh renders against Wagtail's bakerydemo (issue 21)",
        "",
        f"- Date: {meta['started']} to {meta['ended']} UTC; the run took {meta['took']}",
        f"- Machine: {meta['nproc']} cores (nproc), {meta['cpu']}; 1/5/15-minute load average "
        f"{meta['load_start']} at the start and {meta['load_end']} at the end (1-minute, "
        f"sampled after each item: {meta['load_min']:.2f} to {meta['load_max']:.2f}); other "
        "work shared the machine, so read the ratios (taken side by side in one run) before "
        "the milliseconds",
        f"- This site: commit {meta['commit']}; {meta['volumes']}",
    ]
    if with_demo:
        demo_info = by_key[demo_l].info
        lines.append(
            f"- Demo site: `{meta['reference']}`, bakerydemo commit {meta['reference_commit']}, "
            f"Wagtail {demo_info['wagtail']}, Django {demo_info['django']}, Python "
            f"{demo_info['python']}; its own demo data: {meta['reference_pages']}"
        )
    else:
        lines.append("- Demo site: not measured in this run (no `--reference`)")
    lines.append("- Configurations, one worker process each (`bench/wsgi_worker.py`):")
    lines += ["  " + config_line(config) for config in configs]
    lines += [
        f"- Method: {meta['runs']} timed requests per item and configuration in "
        f"{meta['rounds']} rounds, the configurations taking turns item by item, the order "
        "alternating; each round's requests after one warm-up request (renditions made, "
        "templates compiled); every request a new anonymous visitor's (no cookies), through "
        "Django's request handler in-process (the test client, host testserver). Figures are "
        "median (p95) wall-clock ms; queries are SQL queries of one warm request",
        f"- Ratios: this site's median over the demo site's, same cache configuration (with "
        f"Redis / without), all runs pooled; (k/n): in k of the n rounds that round's ratio "
        f"was over the limit too. Target ≤ {RATIO_LIMIT}×, flagged **over** when the pooled "
        f"ratio is above it. Sitemap documents: target ≤ {SITEMAP_MS} ms each (the ratio "
        "there compares documents of very different sizes and is for information)",
        "",
    ]

    if with_demo:
        lines += [f"## Pairs: this site at {scale_name(base)} against the demo site", ""]
        rows, over_with, over_without, cpu_notes = [], [], [], []
        labels = [label for label, _, _ in PAIRS] + (
            [SLOWEST_SECTION] if meta["slowest_section"] else []
        )
        for label in labels:
            if label == SLOWEST_SECTION:
                this_url = meta["slowest_section"]
                ours_r = get(f"sitemap section {this_url}", this_r)
                ours_l = get(f"sitemap section {this_url}", this_l)
                demo_url = "/sitemap.xml"
                d_r, d_l = get("sitemap", demo_r), get("sitemap", demo_l)
            else:
                this_url, demo_url = next((p[1], p[2]) for p in PAIRS if p[0] == label)
                ours_r, ours_l = get(label, this_r), get(label, this_l)
                d_r, d_l = get(label, demo_r), get(label, demo_l)
            sitemap = label.startswith("sitemap")
            limit = float("inf") if sitemap else RATIO_LIMIT
            c_with, c_without = compare(ours_r, d_r, limit), compare(ours_l, d_l, limit)
            flags = []
            if sitemap:
                slow = [
                    name
                    for name, entry in (("with Redis", ours_r), ("without Redis", ours_l))
                    if entry and entry["median"] > SITEMAP_MS
                ]
                if slow:
                    flags.append(f"over {SITEMAP_MS} ms ({', '.join(slow)})")
            else:
                for name, comparison, bucket in (
                    ("with Redis", c_with, over_with),
                    ("without Redis", c_without, over_without),
                ):
                    if comparison and comparison.ratio is not None and comparison.ratio > limit:
                        flags.append(f"over {RATIO_LIMIT}× {name}")
                        bucket.append(f"{label} ({times(comparison.ratio)})")
                        by_cpu = compare(
                            ours_r if name == "with Redis" else ours_l,
                            d_r if name == "with Redis" else d_l,
                            limit,
                            cpu=True,
                        )
                        cpu_notes.append(f"{label}, {name}: {times(by_cpu.ratio)}")
            rows.append(
                [
                    label,
                    f"`{this_url}`",
                    f"`{demo_url}`",
                    cell(d_r),
                    cell(ours_r),
                    ratio_cell(c_with) if not sitemap else times(c_with and c_with.ratio),
                    cell(d_l),
                    cell(ours_l),
                    ratio_cell(c_without) if not sitemap else times(c_without and c_without.ratio),
                    queries(ours_r, ours_l, d_l),
                    "; ".join(flags),
                ]
            )
        header = [
            "pair",
            "this site URL",
            "demo URL",
            "demo, with Redis",
            "this site, with Redis",
            "ratio with Redis",
            "demo, without Redis",
            "this site, without Redis",
            "ratio without Redis",
            "queries (this with / without, demo)",
            "flags",
        ]
        lines += table(header, rows, text_columns=3)
        lines += [
            "",
            f"- Over {RATIO_LIMIT}× with Redis: " + (", ".join(over_with) or "none") + ".",
            f"- Over {RATIO_LIMIT}× without Redis: " + (", ".join(over_without) or "none") + ".",
            "- The same flagged pairs by the worker's CPU time (less sensitive to other work on "
            "the machine): " + ("; ".join(cpu_notes) or "none") + ".",
            "",
        ]

    section_items = [item for item in items if item.group == "sitemap"]
    lines += ["## Sitemap documents (this site)", ""]
    if section_items:
        keys = [config.key for config in configs if config.site == "this"]
        rows = []
        for item in [Item("sitemap", "pair", {}), *section_items]:
            entries = [(by_key[key], get(item.label, key)) for key in keys]
            slow = [c.label for c, e in entries if e and e["median"] > SITEMAP_MS]
            rows.append(
                [
                    f"`{item.urls.get(this_l, '/sitemap.xml')}`",
                    *(cell(e) for _, e in entries),
                    " / ".join(str(e.get("queries", "–")) if e else "–" for _, e in entries),
                    " / ".join(str(e["bytes"]) if e else "–" for _, e in entries),
                    f"over {SITEMAP_MS} ms: {', '.join(slow)}" if slow else "",
                ]
            )
        header = [
            "document",
            *(by_key[key].label for key in keys),
            "queries (same order)",
            "bytes",
            "flags",
        ]
        lines += table(header, rows)
        lines.append(
            f"\n- Slowest section document: `{meta['slowest_section']}` (by its median at "
            f"{scale_name(base)} without Redis)."
        )
    else:
        lines.append(
            "`/sitemap.xml` is a single document here (no sitemap index), measured as a pair."
        )
    lines.append("")

    lines += ["## Membership page (this site)", ""]
    rows = []
    for config in configs:
        fresh = get("membership", config.key)
        cached = get("membership, cached", config.key)
        if not fresh:
            continue
        rows.append(
            [
                config.label,
                cell(fresh),
                str(fresh.get("queries", "–")),
                "yes" if "Set-Cookie" in fresh["headers"] else "no",
                cell(cached),
                (cached or {}).get("headers", {}).get("X-Page-Cache", "none"),
                str((cached or {}).get("queries", "–")),
            ]
        )
    lines += table(
        [
            "configuration",
            "fresh render (page cache off)",
            "queries",
            "sets a cookie",
            f"page cache on ({PAGE_CACHE_ON} s)",
            "X-Page-Cache",
            "queries",
        ],
        rows,
        flags=False,
    )
    lines += [
        "",
        "- A cached hit shows `X-Page-Cache: hit`; a page the cache does not store shows "
        '`miss` or no header, and its "page cache on" time is a fresh render again.',
        "",
    ]

    if len(meta["scales"]) > 1:
        high = meta["scales"][-1]
        low_key, high_key = f"this-locmem-{base:g}", f"this-locmem-{high:g}"
        name = f"{scale_name(high)}/{scale_name(base)}"
        lines += [
            f"## {scale_name(high)} against {scale_name(base)} (this site without Redis)",
            "",
            f"Without Redis only: it is the slower configuration and the one whose remembered "
            f"values live in each process, so growth with content shows there first. Flagged "
            f"over its bound: {SCALE_LIMIT}×, or {MATCHES_SCALE_LIMIT}× for a full-text search, "
            "which ranks or counts every match (bench/README.md says why); or when the queries "
            "grow by more than the one a content-version read adds now and then.",
            "",
        ]
        rows, flagged = [], []
        for item in items:
            if item.group not in ("pair", "page", "sitemap", "membership"):
                continue
            low, top = get(item.label, low_key), get(item.label, high_key)
            if not low or not top:
                continue
            bound = scale_limit(item.urls[low_key])
            comparison = compare(top, low, bound)
            flags = []
            if comparison.ratio > bound:
                flags.append(f"over {bound}×")
            # One query more is the content version, read afresh once a second by any request.
            if top.get("queries", 0) > low.get("queries", 0) + 1:
                flags.append("more queries")
            if flags:
                flagged.append(f"{item.label} ({times(comparison.ratio)})")
            rows.append(
                [
                    item.label,
                    f"`{item.urls[low_key]}`",
                    cell(low),
                    cell(top),
                    str(comparison),
                    f"{bound}×",
                    f"{low.get('queries', '–')} / {top.get('queries', '–')}",
                    "; ".join(flags),
                ]
            )
        lines += table(
            ["page", "URL", scale_name(base), scale_name(high), name, "bound", "queries", "flags"],
            rows,
            text_columns=2,
        )
        lines += ["", f"- Flagged at {scale_name(high)}: " + (", ".join(flagged) or "none") + "."]
        lines.append("")
    return "\n".join(lines)


# Main -------------------------------------------------------------------------------------


def clean_env(base: dict) -> dict:
    """The environment without anything that would point a worker at another site."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "PYTHONPATH"}
    dropped |= {"SECRET_KEY", "ALLOWED_HOSTS", "VIRTUAL_ENV", "CCIN_PAGE_CACHE_SECONDS"}
    return {k: v for k, v in base.items() if k not in dropped and not k.startswith("BENCH_")}


def reference_commit(args) -> str:
    commands = []
    if args.reference_git_dir:
        commands.append(["git", "--git-dir", str(args.reference_git_dir)])
    commands.append(["git", "-C", str(args.reference)])
    for command in commands:
        try:
            done = subprocess.run(  # noqa: S603
                [*command, "log", "-1", "--format=%h (%cs)"],
                capture_output=True,
                text=True,
                check=True,
            )
            return done.stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
    return "unknown (not a git checkout; pass --reference-git-dir)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="Timed requests per item.")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1, help="This site's volume multiple.")
    parser.add_argument(
        "--scales", default="", help="Volumes to compare, e.g. 1,10 (overrides --scale)."
    )
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Flushed first.")
    parser.add_argument("--reference", type=Path, default=None, help="The demo site's root.")
    parser.add_argument("--reference-python", default=None, help="Its virtualenv's python.")
    parser.add_argument("--reference-settings", default=REFERENCE_SETTINGS)
    parser.add_argument("--reference-database-url", default=None)
    parser.add_argument("--reference-git-dir", type=Path, default=None, help="For its commit.")
    parser.add_argument("--out", type=Path, default=None, help="Also write the report here.")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the databases here.")
    parser.add_argument(
        "--reuse", action="store_true", help="Reuse databases a previous run left in --workdir."
    )
    parser.add_argument("--build", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--build-scale", type=float, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        return build(args.build, args.build_scale)
    scales = [float(s) for s in args.scales.split(",") if s.strip()] or [args.scale]
    if any(s <= 0 for s in scales) or len(set(scales)) != len(scales):
        parser.error("--scales must be distinct positive numbers")
    if args.reference and not args.reference_python:
        parser.error("--reference needs --reference-python")
    if args.reuse and not args.workdir:
        parser.error("--reuse needs --workdir")
    if args.rounds < 1 or args.runs < 1:
        parser.error("--runs and --rounds must be at least 1")

    clock = time.perf_counter()
    started = datetime.now(UTC)
    load_start = loadavg()
    scratch = Path(tempfile.mkdtemp(prefix="ccin-render-budget-"))
    workdir = args.workdir or scratch
    base_env = clean_env(dict(os.environ))
    try:
        volumes = {scale: database(workdir, scale, args.reuse, base_env) for scale in scales}
        built_seconds = time.perf_counter() - clock
        first = volumes[scales[0]]["env"]
        this_overrides = json.dumps({"STATIC_ROOT": str(scratch / "static-this")})
        print("Collecting static files …", file=sys.stderr, flush=True)
        collect_static(
            sys.executable, ROOT, dict(first, BENCH_SYS_PATH=str(ROOT)), scratch / "static-this"
        )

        configs: list[Config] = []
        for number, scale in enumerate(scales):
            env = dict(
                volumes[scale]["env"],
                BENCH_SYS_PATH=str(ROOT),
                BENCH_SETTINGS_OVERRIDES=this_overrides,
            )
            suffix = "" if len(scales) == 1 else f", {scale_name(scale)}"
            if number == 0:
                configs.append(
                    Config(
                        f"this-redis-{scale:g}",
                        f"this site, with Redis{suffix}",
                        "this",
                        True,
                        scale,
                        dict(env, REDIS_URL=args.redis),
                    )
                )
            configs.append(
                Config(
                    f"this-locmem-{scale:g}",
                    f"this site, without Redis{suffix}",
                    "this",
                    False,
                    scale,
                    env,
                )
            )
        if args.reference:
            reference = args.reference.resolve()
            ref_env = clean_env(dict(os.environ))
            ref_env.update(
                DJANGO_SETTINGS_MODULE=args.reference_settings,
                DATABASE_URL=args.reference_database_url or f"sqlite:///{reference / 'db.sqlite3'}",
                DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                DJANGO_ALLOWED_HOSTS=TEST_CLIENT_HOST,
                SECURE_SSL_REDIRECT="false",
                BENCH_SYS_PATH=str(reference),
                BENCH_SETTINGS_OVERRIDES=json.dumps({"STATIC_ROOT": str(scratch / "static-demo")}),
            )
            print("Collecting the demo site's static files …", file=sys.stderr, flush=True)
            collect_static(args.reference_python, reference, ref_env, scratch / "static-demo")
            # bakerydemo appends "/0" and "/1" to REDIS_URL; a query string keeps both in our
            # database (redis-py reads "client_name=demo/0" as a connection name).
            demo_redis = f"{args.redis}?client_name=bakerydemo"
            for key, label, redis_on, extra in (
                ("demo-redis", "demo site, with Redis", True, {"REDIS_URL": demo_redis}),
                ("demo-locmem", "demo site, without Redis", False, {}),
            ):
                configs.append(
                    Config(
                        key,
                        label,
                        "demo",
                        redis_on,
                        env=dict(ref_env, **extra),
                        cwd=reference,
                        python=args.reference_python,
                    )
                )
        flush_redis(args.redis)

        workers: list[Worker] = []
        loads = [load_start[0]]
        try:
            for config in configs:
                workers.append(Worker(config, scratch / f"{config.key}.log"))
            for worker in workers:
                worker.config.info = worker.read()["ready"]
            by_key = {worker.config.key: worker for worker in workers}
            reference_pages = ""
            if "demo-locmem" in by_key:
                counted = by_key["demo-locmem"].ask({"op": "pages"})["pages"]
                reference_pages = (
                    f"{sum(counted.values())} live pages ("
                    + ", ".join(
                        f"{n} {name}" for name, n in sorted(counted.items(), key=lambda kv: -kv[1])
                    )
                    + ")"
                )

            items = build_items(configs, scales, by_key)
            results = measure(workers, items, args.runs, args.rounds, loads)
        finally:
            for worker in workers:
                worker.stop()

        base = scales[0]
        sections = [item for item in items if item.group == "sitemap"]
        slowest = max(
            (item for item in sections if (item.label, f"this-locmem-{base:g}") in results),
            key=lambda item: results[(item.label, f"this-locmem-{base:g}")]["median"],
            default=None,
        )
        commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
        dirty = len([line for line in git("status", "--porcelain").splitlines() if line])
        load_end = loadavg()
        loads.append(load_end[0])
        took = time.perf_counter() - clock
        volume_text = "; ".join(
            f"at {scale_name(scale)}: {summary['pages']} live pages, {summary['counts']} "
            + (
                f"(database reused from an earlier build; its load took "
                f"{summary['load_seconds']:.0f} s)"
                if summary["reused"]
                else f"(loaded in {summary['load_seconds']:.0f} s)"
            )
            for scale, summary in volumes.items()
        )
        meta = {
            "started": started.strftime("%Y-%m-%d %H:%M"),
            "ended": datetime.now(UTC).strftime("%H:%M"),
            "took": f"{took / 60:.1f} min ({built_seconds / 60:.1f} min of it building databases)",
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "load_start": " ".join(f"{value:.2f}" for value in load_start),
            "load_end": " ".join(f"{value:.2f}" for value in load_end),
            "load_min": min(loads),
            "load_max": max(loads),
            "commit": commit
            + (f" with {dirty} files changed or new in the checkout" if dirty else ""),
            "volumes": volume_text,
            "reference": str(args.reference) if args.reference else "",
            "reference_commit": reference_commit(args) if args.reference else "",
            "reference_pages": reference_pages,
            "scales": scales,
            "runs": max(1, -(-args.runs // args.rounds)) * args.rounds,
            "rounds": args.rounds,
            "slowest_section": slowest.urls[f"this-locmem-{base:g}"] if slowest else "",
        }
        output = report(configs, items, results, meta)
    finally:
        if not args.workdir:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            for name in ("static-this", "static-demo"):
                shutil.rmtree(scratch / name, ignore_errors=True)
    print(output)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output)
    print(f"Took {took:.0f} s.", file=sys.stderr)


def build_items(configs: list[Config], scales: list[float], by_key: dict) -> list[Item]:
    base = scales[0]
    this_base = [c.key for c in configs if c.site == "this" and c.scale == base]
    demo = [c.key for c in configs if c.site == "demo"]
    every_scale = [c.key for c in configs if c.site == "this" and not c.redis]
    items = []
    for label, this_url, demo_url in PAIRS:
        urls = dict.fromkeys(this_base + every_scale, this_url) | dict.fromkeys(demo, demo_url)
        items.append(Item(label, "pair", urls))
    # Sitemap index: each scale's documents, found by that scale's worker without Redis.
    sections: dict[str, dict[str, str]] = {}
    for scale in scales:
        for url in sitemap_sections(by_key[f"this-locmem-{scale:g}"]):
            keys = this_base if scale == base else [f"this-locmem-{scale:g}"]
            sections.setdefault(url, {}).update(dict.fromkeys(keys, url))
    items += [Item(f"sitemap section {url}", "sitemap", urls) for url, urls in sections.items()]
    membership = dict.fromkeys(this_base + every_scale, MEMBERSHIP)
    items.append(Item("membership", "membership", membership))
    items.append(
        Item(
            "membership, cached",
            "cached",
            dict.fromkeys(this_base, MEMBERSHIP),
            {"CCIN_PAGE_CACHE_SECONDS": PAGE_CACHE_ON},
        )
    )
    if len(scales) > 1:
        measured = {item.urls.get(every_scale[0]) for item in items}
        for label, url, _kind in PAGES:
            if url not in measured:
                items.append(Item(label, "page", dict.fromkeys(every_scale, url)))
    return items


if __name__ == "__main__":
    main()
