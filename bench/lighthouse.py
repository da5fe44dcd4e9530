"""Lighthouse (mobile) scores for one page of each public page type, under production settings.

Builds a throwaway SQLite database with the demo content (the seed, as a visitor meets it),
collects static files and serves it with gunicorn under ``ccin.settings.production``
(a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0, SERVE_MEDIA on, no
Redis, page cache on as in production). The Wagtail site is pointed at the server's port so
canonical links and og:image are the addresses Lighthouse loads. Then, for each page, it
runs Lighthouse's default mobile audit (Moto G power emulation, simulated slow 4G) in
Debian's Chromium and reports the four category scores, cumulative layout shift and largest
contentful paint. Issue 16's targets: performance ≥ 95, CLS ≤ 0.05, the other three 100.

    .venv/bin/python bench/lighthouse.py --lighthouse /path/to/node_modules/.bin/lighthouse
        [--out bench/results/lighthouse.md] [--only home,article]

Lighthouse is not a project dependency (it is large and needs the npm registry): install
it anywhere with ``npm install lighthouse@12.2.3`` and pass its path.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess  # noqa: S404 - our own manage.py, gunicorn and lighthouse, no shell
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from throughput import collect_static, server_env, start, stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES = [
    ("home", "/"),
    ("standard page", "/about/"),
    ("news index", "/news/"),
    ("press release", "/news/statement-2026-local-elections/"),
    ("case study index", "/case-studies/"),
    ("case study", None),  # the first case study the index links, found at run time
    ("policy labs", "/policy-labs/"),
    ("publications", "/publications/"),
    ("publication", "/publications/understanding-the-digital-divide/"),
    ("principles", "/principles/"),
    ("membership", "/membership/"),
    ("member directory", "/membership/members/"),
    ("member profile", "/membership/members/kirklees-council/"),
    ("election outcomes", "/membership/elections-2026/"),
    ("DPS", "/dynamic-purchasing-system/"),
    ("search", "/search/?q=community+wealth"),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def build(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_content")


def point_site_at(env: dict[str, str], port: int) -> None:
    """The site's absolute URLs (canonical, og:image) on the server Lighthouse loads."""
    manage(
        env,
        "shell",
        "-c",
        "from wagtail.models import Site; "
        f"Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port={port})",
    )


def first_case_study(base: str) -> str:
    with urllib.request.urlopen(base + "/case-studies/", timeout=30) as response:  # noqa: S310
        html = response.read().decode()
    return re.search(r'href="(/case-studies/(?!feed/)[\w-]+/)"', html).group(1)


def audit(lighthouse: str, url: str, tries: int = 3) -> dict:
    """One Lighthouse run; again (up to ``tries``) when Chromium's trace fails (NO_NAVSTART)."""
    for attempt in range(1, tries + 1):
        try:
            return audit_once(lighthouse, url)
        except subprocess.CalledProcessError:
            if attempt == tries:
                raise
    raise AssertionError("unreachable")


def audit_once(lighthouse: str, url: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(  # noqa: S603
            [
                lighthouse,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report.name}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
        )
        data = json.loads(Path(report.name).read_text())
    audits = data["audits"]
    failing = [
        name
        for category in CATEGORIES[1:]
        for ref in data["categories"][category]["auditRefs"]
        if ref["weight"] and (audits[ref["id"]].get("score") or 0) < 1
        for name in [ref["id"]]
    ]
    return {
        **{name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "failing": failing,
    }


def table(results: list[tuple[str, str, dict]]) -> str:
    lines = [
        "| page | URL | performance | accessibility | best practices | SEO | CLS | LCP s "
        "| audits below 1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, path, r in results:
        lines.append(
            f"| {label} | `{path}` | {r['performance']} | {r['accessibility']} "
            f"| {r['best-practices']} | {r['seo']} | {r['cls']:.3f} | {r['lcp']:.1f} "
            f"| {', '.join(r['failing']) or '–'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", required=True, help="path to the lighthouse CLI")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", help="comma-separated page labels")
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.only or p[0] in args.only.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(f"sqlite:///{tmp}/lighthouse.sqlite3", "", 60)
        env.pop("REDIS_URL")
        env.update(MEDIA_ROOT=f"{tmp}/media", SERVE_MEDIA="1")
        collect_static(env)
        build(env)
        process, base = start(env, 2)
        try:
            # Before any page is requested, so no worker has cached the old site address.
            point_site_at(env, int(base.rsplit(":", 1)[1]))
            results = []
            for label, path in pages:
                path = path or first_case_study(base)
                for _ in range(2):  # renditions made and both workers' page caches filled
                    with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310
                        response.read()
                results.append((label, path, audit(args.lighthouse, base + path)))
        finally:
            stop(process)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    header = (
        f"# Lighthouse (mobile), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Commit {commit}; ccin.settings.production on gunicorn (2 workers), SQLite, "
        f"no Redis, page cache on; demo content; {os.cpu_count()} cores, "
        f"{platform.machine()}; Chromium at {CHROMIUM}; each page requested twice before "
        "the audited load.\n\n"
    )
    report = header + table(results) + "\n"
    print(report)
    if args.out:
        args.out.write_text(report)


if __name__ == "__main__":
    main()
