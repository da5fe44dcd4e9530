"""What pages share (site, settings, menu, breadcrumbs) is remembered, and never stale.

``caching.versions.remember`` keeps a value until content next changes. These tests change
the content a visitor would see through each remembered value and check the next request
shows it, with the page cache off, as after any edit.
"""

from __future__ import annotations

import contextlib
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Site

from caching import versions
from caching.page_cache import PageCacheMiddleware
from caching.versions import bump_version, remember
from home.models import StandardPage

from .conftest import section

pytestmark = pytest.mark.django_db


def test_a_value_is_computed_once_until_content_changes(home_page):
    compute = mock.Mock(return_value=["2026", "2025"])
    assert remember("years", compute) == ["2026", "2025"]
    assert remember("years", compute) == ["2026", "2025"]
    assert compute.call_count == 1
    bump_version("an edit")
    remember("years", compute)
    assert compute.call_count == 2


def test_a_value_computed_while_content_changed_is_not_kept(home_page):
    def publish_meanwhile():
        bump_version("an editor published while this was being read")
        return ["stale"]

    calls = []

    def read():
        calls.append(1)
        if len(calls) == 1:
            return publish_meanwhile()
        return ["fresh"]

    assert remember("years", read) == ["stale"]  # this request saw the old content
    assert remember("years", read) == ["fresh"]  # the next one does not keep it
    assert len(calls) == 2


def test_a_deploy_that_migrates_forgets_everything(home_page):
    compute = mock.Mock(return_value=["2026"])
    remember("years", compute)
    call_command("migrate", verbosity=0)
    remember("years", compute)
    assert compute.call_count == 2


def test_a_rolled_back_change_leaves_the_version_alone(home_page):
    """The version moves in the change's transaction, so it rolls back with it."""
    compute = mock.Mock(return_value=["2025"])
    remember("years", compute)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        bump_version("an edit that fails")
        raise RuntimeError("the save failed")
    remember("years", compute)
    assert compute.call_count == 1


def test_a_version_read_inside_a_transaction_is_not_reused(home_page, settings):
    """It may be this transaction's own, uncommitted change: another request reusing it
    would store the old content under the new version."""
    settings.CCIN_CONTENT_VERSION_SECONDS = 3600
    with transaction.atomic():
        bump_version("published, not yet committed")
        versions.content_version()
    assert versions._memo is None


def test_nothing_is_remembered_where_the_cache_is_not_shared(home_page, settings):
    settings.CCIN_REMEMBER = False
    compute = mock.Mock(return_value=["2026"])
    remember("years", compute)
    remember("years", compute)
    assert compute.call_count == 2


def test_an_empty_result_is_remembered_but_none_is_not(home_page):
    empty = mock.Mock(return_value=[])
    nothing = mock.Mock(return_value=None)
    for _ in range(2):
        assert remember("empty", empty) == []
        assert remember("nothing", nothing) is None
    assert (empty.call_count, nothing.call_count) == (1, 2)


def test_renaming_a_section_shows_in_menus_and_breadcrumbs_at_once(client, home_page):
    about = section(home_page, "About")
    team = StandardPage(title="Team", slug="team")
    about.add_child(instance=team)
    team.save_revision().publish()
    html = client.get("/about/team/").content.decode()
    assert ">About</a>" in html

    about.title = "About the network"
    about.save_revision().publish()

    html = client.get("/about/team/").content.decode()
    assert ">About the network</a>" in html
    assert ">About</a>" not in html


def test_a_new_site_for_a_host_takes_over_at_once(client, home_page):
    elsewhere = section(home_page, "Elsewhere")
    assert "Elsewhere" in client.get("/", HTTP_HOST="localhost").content.decode()  # default site

    Site.objects.create(hostname="localhost", port=80, root_page=elsewhere)

    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
    assert response.context["page"].pk == elsewhere.pk


def test_a_cached_page_costs_one_cache_read(client, home_page, site_settings):
    with override_settings(CCIN_PAGE_CACHE_SECONDS=3600):
        client.get("/")
        with (
            mock.patch.object(cache, "get", wraps=cache.get) as get,
            mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        ):
            response = client.get("/")
    assert response[PageCacheMiddleware.HEADER] == "hit"
    # The page only: the version comes from the database (caching/versions.py).
    assert get_many.call_count == 0
    assert get.call_count == 1
