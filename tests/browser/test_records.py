"""Issue 18's journeys to the network's records: search finds suppliers and members, and the
election tables download as files that hold what the page shows."""

import csv
import io
import json
import re

from playwright.sync_api import Page, expect

from .conftest import PHONE


def search(page: Page, words: str) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="Search the site").fill(words)
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_a_search_for_redquadrant_lands_on_the_supplier_on_the_dps_page(page):
    page.set_viewport_size(PHONE)
    search(page, "RedQuadrant")
    result = page.locator(".search-result").filter(
        has=page.get_by_role("link", name="RedQuadrant", exact=True)
    )
    expect(result.first).to_be_visible()
    kind = result.first.locator(".search-result__type")
    expect(kind).to_contain_text(re.compile("supplier", re.I))
    result.first.get_by_role("link", name="RedQuadrant", exact=True).click()
    page.wait_for_url(re.compile(r"/dynamic-purchasing-system/#"))
    fragment = page.url.split("#", 1)[1]
    supplier = page.locator(f"[id='{fragment}']")
    expect(supplier).to_contain_text("RedQuadrant")
    expect(supplier).to_be_in_viewport()


def test_a_search_for_kirklees_narrowed_to_member_councils_reaches_its_profile(page):
    page.set_viewport_size(PHONE)
    search(page, "Kirklees")
    types = page.get_by_role("navigation", name="Result types")
    types.get_by_role("link", name=re.compile(r"^Member councils \(\d+")).click()
    page.wait_for_url(re.compile(r"type="))
    expect(types.locator("[aria-current=page]")).to_contain_text("Member councils")
    expect(page.locator(".search-summary")).to_contain_text("in member councils")
    kinds = page.locator(".search-result__type").all_inner_texts()
    assert kinds and all("member" in kind.lower() for kind in kinds), kinds
    page.get_by_role("link", name="Kirklees Council", exact=True).first.click()
    page.wait_for_url("**/membership/members/kirklees-council/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirklees Council")


TABLES = {
    "results": "these results",
    "control": "these control changes",
    "councillor": "these councillor changes",
}


def test_each_election_table_downloads_as_csv_and_json_with_the_rows_on_the_page(page):
    page.goto("/membership/elections-2026/")
    for caption, what in TABLES.items():
        rows = page.locator(f"table:has(caption#{caption}-caption) tbody tr").count()
        assert rows, f"the {caption} table is empty"
        for fmt in ("CSV", "JSON"):
            link = page.get_by_role("link", name=f"{fmt} of {what}", exact=True)
            with page.expect_download() as started:
                link.click()
            download = started.value
            text = download.path().read_text(encoding="utf-8-sig")
            if fmt == "CSV":
                assert download.suggested_filename.endswith(".csv")
                assert len(list(csv.DictReader(io.StringIO(text)))) == rows, (caption, fmt)
            else:
                assert download.suggested_filename.endswith(".json")
                document = json.loads(text)
                assert len(document["rows"]) == document["count"] == rows, (caption, fmt)
