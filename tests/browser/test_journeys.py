"""Journeys as visitors and editors make them."""

import re

from .conftest import EDITOR


def test_search_for_community_wealth(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the site").fill("community wealth")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url(re.compile(r"/search/\?q=community\+wealth"))
    assert page.locator(".search-summary").is_visible()
    assert "community wealth" in page.locator(".search-summary").inner_text()


def test_editor_logs_in_and_sees_the_dashboard(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill(EDITOR["username"])
    page.get_by_label("Password").fill(EDITOR["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.get_by_role("heading", level=1).first.is_visible()
