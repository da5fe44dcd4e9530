"""The production-parity lane (`make test-parity`, run by .ci/run): the site as production runs
it, over HTTP. Production settings, PostgreSQL, a Redis of the lane's own (so it can be paused,
stopped and restarted), the demo content, and two app servers of two gunicorn workers each
on the same database and Redis.

Needs PostgreSQL at PARITY_PG (default postgres://postgres@127.0.0.1:5432) and Debian's
redis-server; without them the lane fails rather than skips.
"""

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ops.servers import free_port, manage, production_env, start_gunicorn, stop
from tests.ops.servers import wait_for as poll

from .smtp_sink import Sink

PG = os.environ.get("PARITY_PG", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Redis:
    port: int
    folder: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["redis-cli", "-p", str(self.port), *args],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]  # noqa: S607
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self.cli("ping") == "PONG", what="Redis to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def wait_for(condition, seconds: float = 30, what: str = "the condition") -> None:
    """The lane's polling (tests/ops/servers.py), failing the test rather than erroring."""
    try:
        poll(condition, seconds, what)
    except AssertionError as error:
        pytest.fail(str(error))


@dataclass
class Stack:
    env: dict[str, str]
    redis: Redis
    servers: list[str]
    mail: Sink

    def mail_to(self, address: str) -> list[str]:
        """Every message the servers have sent to ``address``, oldest first."""
        return [text for text in self.mail.received() if f"To: {address}" in text]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity")
    database = f"ccin_parity_{int(time.time())}_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)  # noqa: S603, S607
    redis = Redis(free_port(), folder)
    redis.start()
    mail = Sink()
    mail.start()
    env = production_env(
        DATABASE_URL=f"{PG}/{database}",
        REDIS_URL=redis.url,
        MEDIA_ROOT=str(folder / "media"),
        CCIN_PAGE_CACHE_SECONDS="3600",
        # The lane speaks plain HTTP and says "https" in X-Forwarded-Proto, as a TLS proxy.
        TRUST_X_FORWARDED_PROTO="1",
        # Production's SMTP backend, to a server of the lane's own that keeps the messages.
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail.port),
    )
    processes = []
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo_content")
        manage(env, "collectstatic", "--noinput", "-v0")
        for _ in range(2):  # two app servers, two workers each
            processes.append(start_gunicorn(env, workers=2))
        yield Stack(env, redis, [url for _, url in processes], mail)
    finally:
        for process, _ in processes:
            stop(process)
        redis.stop()
        mail.shutdown()
        subprocess.run(  # noqa: S603
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database],  # noqa: S607
            check=False,
        )
