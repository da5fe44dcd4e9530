"""The production app server, run as production runs it (gunicorn.conf.py), over real sockets."""

import os
import socket
from urllib.parse import urlsplit

import pytest

from .servers import get, start_gunicorn, stop


@pytest.fixture
def gunicorn():
    """gunicorn with the image's configuration and two workers."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ccin.settings.test"}
    process, url = start_gunicorn(env, workers=2)
    yield url
    stop(process)


def test_idle_connections_do_not_stop_the_site(gunicorn):
    """Clients that connect and send nothing used to hold both sync workers until the
    timeout; the site must go on answering everyone else meanwhile."""
    port = urlsplit(gunicorn).port
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    try:
        # Within gunicorn's own worker timeout (30 s), which is when a stuck sync worker
        # would have been replaced.
        status, _, _ = get(f"{gunicorn}/healthz", timeout=15)
        assert status == 200
    finally:
        for sock in idle:
            sock.close()
