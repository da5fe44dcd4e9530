"""How long the password reset form takes to answer, for an address with an account and
for one without: equal times are the point (a difference tells anyone which addresses have
accounts).

gunicorn with ``ccin.settings.production`` on a temporary SQLite file, one account, and a
local SMTP relay that takes 20 ms per reply (as a relay across a network might), so sending
inline would show. Each request is a fresh visitor (GET the form, then POST it; only the
POST is timed); the rate-limit counts are cleared before each so the limit never answers
instead. Writes a Markdown table.

    .venv/bin/python bench/password_reset.py [--requests 60] [--out bench/results/password_reset.md]
"""

from __future__ import annotations

import argparse
import http.cookies
import os
import platform
import re
import secrets
import socketserver
import sqlite3
import statistics
import subprocess  # noqa: S404 - our own manage.py and gunicorn, no shell
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "eddie@councils.coop"
REPLY_SECONDS = 0.02


class SlowRelay(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept a message, each reply after REPLY_SECONDS."""

    def reply(self, text: str) -> None:
        time.sleep(REPLY_SECONDS)  # the relay's latency being measured against
        self.wfile.write(f"{text}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 relay")
        in_data = False
        for raw in self.rfile:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    in_data = False
                    self.reply("250 queued")
                continue
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 relay")
            elif verb == "DATA":
                in_data = True
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class Relay(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class Visitor:
    """A browser's cookies over plain HTTP to a server told it is behind TLS."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        origin = self.base.replace("http://", "https://")
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path,
            data=body,
            headers={
                "X-Forwarded-Proto": "https",
                "Origin": origin,
                "Referer": origin + path,
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            },
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def timed_reset(base: str, database: Path, email: str) -> float:
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM security_ratelimitcount")
    visitor = Visitor(base)
    _, html = visitor.request("/admin/password_reset/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    started = time.perf_counter()
    status, _ = visitor.request(
        "/admin/password_reset/", {"csrfmiddlewaretoken": token, "email": email}
    )
    elapsed = (time.perf_counter() - started) * 1000
    if status != 302:
        raise SystemExit(f"the reset form answered {status}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ccin-bench-reset-"))
    database = folder / "db.sqlite3"
    (folder / "media").mkdir()
    relay_port, port = free_port(), free_port()
    relay = Relay(("127.0.0.1", relay_port), SlowRelay)
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccin.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "TRUST_X_FORWARDED_PROTO": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(relay_port),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)

    def manage(*command: str) -> None:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603

    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('eddie', {ACCOUNT!r}, 'a-long-benchmark-passphrase')",
    )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "ccin.wsgi:application", "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = {"account": [], "no account": []}
        for index in range(args.requests + 5):
            known = timed_reset(base, database, ACCOUNT)
            unknown = timed_reset(base, database, f"nobody{index}@example.org")
            if index >= 5:  # the first few warm the workers
                times["account"].append(known)
                times["no account"].append(unknown)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=10)
        relay.shutdown()

    lines = [
        "# Password reset: time to answer",
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load {load_before:.2f} → "
        f"{load_after:.2f}, Python {platform.python_version()}; gunicorn (gunicorn.conf.py, 2 "
        "workers), `ccin.settings.production`, SQLite, no Redis; SMTP relay with "
        f"{REPLY_SECONDS * 1000:.0f} ms per reply; {args.requests} POSTs per row.",
        "",
        "| address | median ms | p90 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, values in times.items():
        ordered = sorted(values)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        lines.append(
            f"| {label} | {statistics.median(values):.1f} | {p90:.1f} | {ordered[-1]:.1f} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table)


if __name__ == "__main__":
    main()
