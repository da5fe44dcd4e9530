"""Requests per second on gunicorn, cached and uncached, against the same server's static ceiling.

Serves an already-built database (``server_times.py --database-url`` builds one at full
volume) with ``ccin.settings.production`` (SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
SECURE_SSL_REDIRECT=0), Redis and as many gunicorn workers as cores, on 127.0.0.1. For the
home page, the news index, an article, a filtered case-study index and a static file of
the home page's size served by the same process (whitenoise), it runs wrk (15 s, 16
connections, 2 threads) twice: with the page cache on and with it off
(CCIN_PAGE_CACHE_SECONDS=0). Reports requests per second, latency percentiles and the
ratio to the static ceiling, then runs ``weight.py`` against the cached server.

    .venv/bin/python bench/throughput.py --database-url postgres://postgres@127.0.0.1:5432/db
        [--redis redis://127.0.0.1:6379/7] [--duration 15] [--out bench/results/throughput.md]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess  # noqa: S404 - runs our own gunicorn, manage.py and wrk, no shell
import sys
import urllib.request
from pathlib import Path

from servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = [
    ("home", "/"),
    ("news index", "/news/"),
    ("article", "/news/statement-2026-local-elections/"),
    ("case studies, 3 facets", "/case-studies/?theme=housing&nation=england&year=2024"),
]
CEILING_NAME = "bench-ceiling.html"


def server_env(database_url: str, redis_url: str, cache_seconds: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ccin.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CCIN_PAGE_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="WARNING",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """collectstatic: production settings serve hashed names from the manifest."""
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def write_ceiling(size: int) -> str:
    """A static file of the home page's size (whitenoise lists files when a server starts)."""
    ceiling = ROOT / "staticfiles" / CEILING_NAME
    ceiling.write_text("<!-- static ceiling -->" + "x" * max(0, size - 24))
    return f"/static/{CEILING_NAME}"


def start(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "ccin.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, "/healthz")
    except SystemExit:
        process.terminate()
        raise
    return process, base


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def wrk(url: str, duration: int) -> dict[str, float]:
    # Warm the page (and the cache, when it is on) before measuring.
    for _ in range(3):
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            response.read()
    output = subprocess.run(  # noqa: S603
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        pct: to_ms(value)
        for pct, value in re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", output, re.MULTILINE)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, **latency, "errors": int(errors.group(1)) if errors else 0}


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def page_size(base: str) -> int:
    with urllib.request.urlopen(base + "/", timeout=30) as response:  # noqa: S310
        return len(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--weight-out", type=Path, default=None)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk; `make bench` does it).")
    subprocess.run(["redis-cli", "-u", args.redis, "FLUSHDB"], check=True, capture_output=True)  # noqa: S603,S607

    results: dict[str, dict[str, dict[str, float]]] = {}
    cached_env = server_env(args.database_url, args.redis, 24 * 60 * 60)
    collect_static(cached_env)
    process, base = start(cached_env, args.workers)
    try:
        ceiling_url = write_ceiling(page_size(base))
    finally:
        stop(process)
    for mode, seconds in (("cached", 24 * 60 * 60), ("uncached", 0)):
        env = server_env(args.database_url, args.redis, seconds)
        process, base = start(env, args.workers)
        try:
            results[mode] = {
                label: wrk(base + url, args.duration)
                for label, url in [*TARGETS, ("static file, same size", ceiling_url)]
            }
            if mode == "cached":
                subprocess.run(  # noqa: S603
                    [str(BIN / "python"), str(ROOT / "bench" / "weight.py"), "--base", base]
                    + (["--out", str(args.weight_out)] if args.weight_out else []),
                    check=False,
                )
        finally:
            stop(process)

    output = report(results, args)
    print(output)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output)


def report(results, args) -> str:
    lines = [
        f"gunicorn, {args.workers} workers, production settings, PostgreSQL, Redis; wrk, "
        f"{args.duration} s, 16 connections, 2 threads, on {os.cpu_count()} cores",
        "",
        "| page | mode | requests/s | p50 ms | p90 ms | p99 ms | errors | share of static |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode in ("cached", "uncached"):
        ceiling = results[mode]["static file, same size"]["rps"]
        for label, row in results[mode].items():
            lines.append(
                f"| {label} | {mode} | {row['rps']:.0f} | {row.get('50', 0):.1f} "
                f"| {row.get('90', 0):.1f} | {row.get('99', 0):.1f} | {row['errors']} "
                f"| {row['rps'] / ceiling:.0%} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
