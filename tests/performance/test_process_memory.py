"""Remembered values are also kept in the process (caching/versions.py), and the routes,
root page and menu that every page needs come from there: never stale, never unbounded."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from caching import routing, versions
from caching.models import ContentVersion
from caching.versions import remember
from home.models import SiteSettings, StandardPage

from .conftest import section

pytestmark = pytest.mark.django_db


def another_process_publishes():
    """What a publish in another process looks like from here: the version row moves on
    and this process reads it afresh, without forgetting anything itself."""
    ContentVersion.objects.filter(pk=1).update(version=F("version") + 1)
    versions._memo = None
    versions._request.version = None


def test_a_remembered_value_is_read_without_asking_the_cache(home_page):
    compute = mock.Mock(return_value=["2026"])
    remember("years", compute)
    with mock.patch.object(cache, "get", side_effect=AssertionError("asked the cache")):
        assert remember("years", compute) == ["2026"]
    assert compute.call_count == 1


def test_the_process_copy_obeys_the_content_version(home_page):
    compute = mock.Mock(side_effect=[["old"], ["new"]])
    assert remember("years", compute) == ["old"]
    another_process_publishes()
    assert remember("years", compute) == ["new"]


def test_each_use_gets_its_own_copy_unless_shared(home_page):
    first = remember("years", lambda: ["2026"])
    first.append("changed by its user")
    assert remember("years", lambda: ["recomputed"]) == ["2026"]

    snapshot = remember("snapshot", lambda: ("a", "b"), shared=True)
    assert remember("snapshot", lambda: ("c",), shared=True) is snapshot


def test_the_process_keeps_nothing_over_its_limits(home_page, settings):
    settings.CCIN_REMEMBER_LOCAL_BYTES = 8 * 1024
    remember("big", lambda: "x" * 4096)  # over an eighth of the limit: the cache only
    assert "remember:big" not in versions._local
    for n in range(40):
        remember(f"small-{n}", lambda n=n: "y" * 400)
    assert versions._local_size <= 8 * 1024
    assert "remember:small-0" not in versions._local  # the least recently used went first
    assert "remember:small-39" in versions._local

    settings.CCIN_REMEMBER_LOCAL_SECONDS = 0
    remember("off", lambda: "z")
    assert "remember:off" not in versions._local


def test_a_page_after_the_first_costs_no_routing_query(client, home_page):
    section(home_page, "About")
    client.get("/about/")  # makes the site's settings row, which moves the version on
    client.get("/about/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/about/").status_code == 200
    sql = [query["sql"] for query in queries]
    assert not [q for q in sql if '"url_path" IN' in q], "the chain of pages was read again"
    assert not [q for q in sql if 'FROM "home_homepage"' in q], "the root page was read again"


def test_a_moved_page_is_found_at_its_new_address_at_once(client, home_page):
    about = section(home_page, "About")
    assert client.get("/about/").status_code == 200
    about.slug = "about-us"
    about.save_revision().publish()
    assert client.get("/about-us/").status_code == 200
    assert client.get("/about/").status_code != 200  # gone, or redirected by Wagtail


def test_addresses_that_match_no_page_are_not_remembered(client, home_page, monkeypatch):
    reads = []
    read_chain = routing.read_chain
    monkeypatch.setattr(
        routing, "read_chain", lambda *args: reads.append(args) or read_chain(*args)
    )
    for _ in range(3):
        assert client.get("/no-such-page/deeper/").status_code == 404
    assert len(reads) == 3
    assert not [key for key in versions._local if key.startswith("remember:route:")]


def test_header_and_footer_are_rendered_once_until_content_changes(client, home_page):
    section(home_page, "About")
    section(home_page, "Contact")
    client.get("/about/")  # makes the site's settings row, which moves the version on
    cache.clear()
    versions.forget_local()
    first = client.get("/about/")
    assert "components/site_footer.html" in [t.name for t in first.templates]
    second = client.get("/contact/")
    assert "components/site_footer.html" not in [t.name for t in second.templates]
    assert "site-footer" in second.content.decode()

    settings = SiteSettings.for_site(home_page.get_site())
    settings.organisation_name = "Co-operative Councils Network"
    settings.save()
    assert "© 2026 Co-operative Councils Network" in client.get("/contact/").content.decode()


def test_each_section_marks_itself_current_in_the_menu(client, home_page):
    about = section(home_page, "About")
    section(home_page, "Contact")
    team = StandardPage(title="Team", slug="team")
    about.add_child(instance=team)
    team.save_revision().publish()
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    for _ in range(2):  # rendered, then remembered
        assert current.findall(client.get("/about/").content.decode()) == ["/about/"]
        assert current.findall(client.get("/about/team/").content.decode()) == ["/about/"]
        assert current.findall(client.get("/contact/").content.decode()) == ["/contact/"]
        assert current.findall(client.get("/").content.decode()) == []
