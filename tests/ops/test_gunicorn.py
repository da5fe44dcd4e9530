"""The production app server, run as production runs it (gunicorn.conf.py), over real sockets."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(request):
    """gunicorn with the image's configuration and two workers, on a free local port."""
    port = free_port()
    extra = getattr(request, "param", [])
    env = {**os.environ, "WEB_CONCURRENCY": "2", "DJANGO_SETTINGS_MODULE": "ccin.settings.test"}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "ccin.wsgi:application", "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:  # poll until it answers
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=5).close()  # noqa: S310
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield port, url
    process.terminate()
    process.wait(timeout=30)


def test_idle_connections_do_not_stop_the_site(gunicorn):
    """Clients that connect and send nothing used to hold both sync workers until the
    timeout; the site must go on answering everyone else meanwhile."""
    port, url = gunicorn
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    try:
        # Within gunicorn's own worker timeout (30 s), which is when a stuck sync worker
        # would have been replaced.
        with urllib.request.urlopen(f"{url}/healthz", timeout=15) as response:  # noqa: S310
            assert response.status == 200
    finally:
        for sock in idle:
            sock.close()
