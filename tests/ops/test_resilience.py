"""Faults: Redis stopped, PostgreSQL unreachable, and the readiness probe that tells them apart."""

import errno
import logging
import shutil
import socket
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError, connections
from django.test import RequestFactory, override_settings

from caching import resilient_redis as resilient_cache
from caching.resilient_redis import ResilientRedisCache
from operations.resilience import server_error


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_redis_settings() -> dict:
    return {
        "default": {
            "BACKEND": "caching.resilient_redis.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def dead_redis():
    with override_settings(CACHES=dead_redis_settings()):
        yield caches["default"]


class TestRedisStopped:
    def test_reads_miss_and_writes_do_nothing(self, dead_redis):
        assert isinstance(dead_redis, ResilientRedisCache)
        dead_redis.RETRY_AFTER = 0  # try Redis on every call: each one must still not raise
        dead_redis.set("key", "value")
        assert dead_redis.get("key") is None
        assert dead_redis.get("key", "fallback") == "fallback"
        assert dead_redis.get_many(["a", "b"]) == {}
        assert dead_redis.add("key", 1) is False
        assert dead_redis.incr("counter") == 1
        assert dead_redis.get_or_set("key", lambda: "computed") == "computed"
        dead_redis.delete("key")
        dead_redis.set_many({"a": 1})
        dead_redis.delete_many(["a"])
        assert dead_redis.has_key("key") is False
        dead_redis.clear()

    def test_an_outage_is_logged_once(self, dead_redis, caplog):
        dead_redis.RETRY_AFTER = 0
        with caplog.at_level(logging.WARNING, logger="caching.resilient_redis"):
            for _ in range(5):
                dead_redis.get("key")
        assert len(caplog.records) == 1
        assert "serving without a cache" in caplog.records[0].getMessage()

    def test_skips_redis_for_a_while_after_a_failure(self, dead_redis):
        dead_redis.get("key")
        assert dead_redis.is_down
        with mock.patch.object(RedisCache, "get") as redis_get:
            assert dead_redis.get("key", "default") == "default"
        redis_get.assert_not_called()

    def test_recovers_by_itself_when_redis_answers_again(self, dead_redis, monkeypatch, caplog):
        dead_redis.get("key")
        assert dead_redis.is_down
        clock = resilient_cache.time.monotonic() + dead_redis.RETRY_AFTER + 1
        monkeypatch.setattr(resilient_cache.time, "monotonic", lambda: clock)
        with (
            caplog.at_level(logging.WARNING, logger="caching.resilient_redis"),
            mock.patch.object(RedisCache, "get", return_value="fresh"),
        ):
            assert dead_redis.get("key") == "fresh"
        assert not dead_redis.is_down
        assert "answering again" in caplog.records[-1].getMessage()

    def test_pages_still_serve(self, dead_redis, client, home_page):
        for url in ["/", "/search/?q=council", "/healthz", "/robots.txt"]:
            assert client.get(url).status_code == 200, url
        assert dead_redis.is_down  # the pages really did try Redis and carried on without it

    def test_readiness_reports_the_cache_as_degraded_not_down(self, dead_redis, client, db):
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {
            "status": "degraded",
            "checks": {"database": "ok", "cache": "unavailable", "storage": "ok"},
        }


def fail_database(error: Exception):
    """Every new cursor raises, as when PostgreSQL is down or the connection was cut."""
    return mock.patch.object(connections["default"], "cursor", side_effect=error)


LOST = OperationalError("could not connect to server: Connection refused")


class TestDatabaseUnreachable:
    def test_pages_answer_a_friendly_503(self, client, home_page):
        with fail_database(LOST):
            response = client.get("/")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "no-store" in response["Cache-Control"]
        body = response.content.decode()
        assert "Sorry, the service is unavailable" in body
        assert "try again shortly" in body
        assert 'href="/static/css/site.css"' in body

    def test_a_closed_connection_is_a_503_too(self, client, home_page):
        with fail_database(InterfaceError("connection already closed")):
            assert client.get("/search/?q=housing").status_code == 503

    def test_health_and_readiness_say_so(self, client, home_page):
        with fail_database(LOST):
            health = client.get("/healthz")
            ready = client.get("/readyz")
        assert health.status_code == 503
        assert health.json() == {"status": "error", "database": "unavailable"}
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "unavailable"
        assert ready.json()["checks"]["storage"] == "ok"

    def test_recovers_without_a_restart(self, client, home_page):
        with fail_database(LOST):
            assert client.get("/").status_code == 503
        assert client.get("/").status_code == 200
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
        assert client.get("/readyz").json()["status"] == "ok"

    def test_outside_a_view_the_500_handler_gives_the_503(self):
        request = RequestFactory().get("/")
        try:
            raise LOST
        except OperationalError:
            response = server_error(request)
        assert response.status_code == 503
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(request)
        assert response.status_code == 500
        assert "problem with the service" in response.content.decode()

    def test_other_errors_are_not_hidden_as_outages(self, client, home_page):
        with (
            mock.patch("search.views.Page.objects.live", side_effect=ValueError("a bug")),
            pytest.raises(ValueError),
        ):
            client.get("/search/?q=housing")


class TestReadiness:
    def test_all_ok(self, client, db):
        response = client.get("/readyz", HTTP_HOST="10.0.0.7")  # load balancers call by IP
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "storage": "ok"},
        }
        assert "no-cache" in response["Cache-Control"]

    def test_a_full_media_disk_is_not_ready(self, client, db, tmp_path, settings):
        settings.MEDIA_ROOT = str(tmp_path)
        usage = shutil.disk_usage(tmp_path)._replace(free=1024)
        with mock.patch("operations.health.shutil.disk_usage", return_value=usage):
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["storage"] == "unavailable"

    def test_a_read_only_media_disk_is_not_ready(self, client, db, tmp_path, settings):
        """os.access says writable to root even on a read-only mount; a real write does not."""
        settings.MEDIA_ROOT = str(tmp_path)
        refused = OSError(errno.EROFS, "Read-only file system")
        with mock.patch("operations.health.tempfile.NamedTemporaryFile", side_effect=refused):
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["storage"] == "unavailable"
        assert client.get("/readyz").json()["checks"]["storage"] == "ok"
        assert not list(tmp_path.glob(".readyz-*"))  # the probe leaves nothing behind

    def test_missing_media_storage_is_not_ready(self, client, db, tmp_path, settings):
        settings.MEDIA_ROOT = str(tmp_path / "gone")
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["storage"] == "unavailable"
