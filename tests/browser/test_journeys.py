"""Journeys as visitors and editors make them."""

import re

from .conftest import PHONE


def test_journalist_on_a_phone_finds_the_election_statement_and_copies_its_link(page):
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    page.get_by_role("link", name="Statement on 2026 Local Elections").first.click()
    page.wait_for_url("**/news/statement-2026-local-elections/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statement on 2026 Local Elections"
    assert "FOR IMMEDIATE RELEASE" in page.locator("main").inner_text().upper()
    assert "15 May 2026" in page.locator("main").inner_text()
    page.get_by_role("button", name=re.compile("Copy link", re.I)).click()
    page.get_by_text(re.compile("Link copied", re.I)).wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/news/statement-2026-local-elections/")


def test_officer_filters_case_studies_and_follows_the_filtered_feed(page):
    page.goto("/case-studies/")
    page.get_by_label("Theme", exact=True).select_option("net-zero-and-energy")
    page.get_by_label("Nation", exact=True).select_option("england")
    page.get_by_role("button", name=re.compile("Apply", re.I)).click()
    page.wait_for_url(re.compile(r"theme=net-zero-and-energy"))
    assert "nation=england" in page.url
    results = page.locator("main article")
    assert results.count() >= 1
    assert "net zero" in page.locator("main").inner_text().lower()
    feed = page.locator('link[rel="alternate"][type="application/rss+xml"]').filter(
        has_not=page.locator("[href='/news/feed/']")
    )
    hrefs = [feed.nth(i).get_attribute("href") for i in range(feed.count())]
    filtered = [href for href in hrefs if "theme=net-zero-and-energy" in href]
    assert filtered, hrefs
    response = page.request.get(filtered[0])
    assert response.ok
    assert "<rss" in response.text()
    assert "net-zero" in response.text().lower() or "Net zero" in response.text()


def test_visitor_finds_kirklees_in_the_member_directory(page):
    page.goto("/membership/members/")
    page.get_by_role("link", name="Kirklees Council").first.click()
    page.wait_for_url("**/membership/members/kirklees-council/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kirklees Council"
    main = page.locator("main").inner_text()
    assert "Full member" in main
    assert "No Party Maj" in main  # its 2026 election result, as the seed gives it


def test_search_for_community_wealth(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the site").fill("community wealth")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url(re.compile(r"/search/\?q=community\+wealth"))
    summary = page.locator(".search-summary").inner_text()
    count = int(summary.split()[0])
    assert count >= 1, summary
    assert page.locator(".search-result").count() >= 1
