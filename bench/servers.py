"""Helpers the benchmarks share for running their own gunicorn on loopback."""

import socket
import time
import urllib.request


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, path: str = "/readyz", timeout: float = 60) -> None:
    """Poll ``base + path`` until it answers 200; the server process needs time to bind."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + path, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {path} within {timeout:.0f} s")
