"""Rate limits hold whatever the cache does: counts are in the database."""

from unittest import mock

import pytest
from django.core.cache import cache

from security.rate_limit import RateLimit

pytestmark = pytest.mark.django_db

LIMIT = RateLimit("test", limit=3, window=600)


def test_the_fourth_hit_in_the_window_is_over_the_limit():
    assert [LIMIT.hit("203.0.113.9") for _ in range(4)] == [True, True, True, False]
    assert LIMIT.exceeded("203.0.113.9")
    assert not LIMIT.exceeded("198.51.100.4")  # another visitor


def test_a_cache_restart_does_not_reset_the_count():
    for _ in range(3):
        LIMIT.hit("203.0.113.9")
    cache.clear()  # what a Redis restart or flush does
    assert LIMIT.exceeded("203.0.113.9")


def test_the_limit_holds_while_the_cache_is_down():
    down = mock.Mock(side_effect=ConnectionError("Redis is down"))
    with (
        mock.patch.object(cache, "get", down),
        mock.patch.object(cache, "add", down),
        mock.patch.object(cache, "incr", down),
        mock.patch.object(cache, "set", down),
    ):
        assert [LIMIT.hit("203.0.113.9") for _ in range(4)] == [True, True, True, False]


def test_a_long_key_fits():
    email = "x" * 290 + "@example.org"
    assert LIMIT.hit(email) and LIMIT.count(email) == 1
