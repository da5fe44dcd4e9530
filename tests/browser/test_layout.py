"""Layout on real screens: nothing scrolls sideways, filters fold on phones, nothing shifts."""

import pytest

from .conftest import DESKTOP, PHONE

WIDTHS = [320, 375, 768, 1280]

# One URL for each page type a visitor meets (demo content).
PAGES = {
    "home": "/",
    "news index": "/news/",
    "article": "/news/statement-2026-local-elections/",
    "case study index": "/case-studies/",
    "case study": "/case-studies/community-energy-as-part-of-the-route-to-net-zero/",
    "policy labs": "/policy-labs/",
    "publications": "/publications/",
    "publication": "/publications/understanding-the-digital-divide/",
    "principles": "/principles/",
    "membership": "/membership/",
    "member directory": "/membership/members/",
    "member profile": "/membership/members/birmingham-city-council/",
    "election outcomes": "/membership/elections-2026/",
    "dynamic purchasing system": "/dynamic-purchasing-system/",
    "search": "/search/?q=council",
    "about": "/about/",
}

WIDER_THAN_VIEWPORT = """() => {
    const width = innerWidth;
    return [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > width + 1
                      && !el.closest('.table-scroll, .block-table'))
        .slice(0, 5).map(el => el.tagName + '.' + el.className);
}"""

# Layout shifts as Lighthouse counts them (not those right after input), for a moment after load.
CLS = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 1000);
})"""


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_page_scrolls_sideways(page, path):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (
            f"{path} is {scroll_width}px wide at {width}px: {page.evaluate(WIDER_THAN_VIEWPORT)}"
        )


@pytest.mark.parametrize("path", ["/news/", "/case-studies/", "/membership/elections-2026/"])
def test_filters_fold_on_a_phone_and_open_on_a_wide_screen(page, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    summary = page.locator(".filter-panel > summary")
    submit = page.locator(".filter-panel .filter-form button[type=submit]")
    assert summary.is_visible()
    assert not submit.is_visible()
    # The results follow the folded panel closely, not 500-1000px further down.
    results = page.locator("main .card-grid, main table").first
    folded = summary.bounding_box()
    assert results.bounding_box()["y"] - (folded["y"] + folded["height"]) < 250
    summary.click()
    assert submit.is_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(path)
    assert submit.is_visible()
    assert not summary.is_visible()


def test_active_filters_show_while_the_panel_is_folded(page):
    page.set_viewport_size(PHONE)
    page.goto("/case-studies/?theme=net-zero-and-energy")
    assert "(1 active)" in page.locator(".filter-panel > summary").inner_text()
    assert page.locator(".active-filters__chip").first.is_visible()


@pytest.mark.parametrize(
    "path",
    ["/", "/news/statement-2026-local-elections/", "/case-studies/", "/membership/members/"],
)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_nothing_shifts_after_load(page, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(path, wait_until="load")
    assert page.evaluate(CLS) <= 0.05


def test_phone_menu_without_javascript_is_simply_shown(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        assert not page.locator(".nav-toggle").is_visible()
        assert page.locator("#primary-nav a").first.is_visible()
        # Filters stay one tap away, with no script.
        page.goto("/news/")
        page.locator(".filter-panel > summary").click()
        assert page.locator(".filter-panel .filter-form button[type=submit]").is_visible()
    finally:
        context.close()


def test_network_figures_fit_their_tiles(page):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.figure-stat__value')]
                .filter(el => el.scrollWidth > el.clientWidth + 1
                              || el.getBoundingClientRect().right
                                 > el.parentElement.getBoundingClientRect().right)
                .map(el => el.textContent)"""
        )
        assert overflowing == [], f"at {width}px"


def test_a_row_of_three_cards_fills_the_width(page):
    page.goto("/")
    boxes = page.locator("#latest-news + .card-grid > .card").evaluate_all(
        "cards => cards.map(c => c.getBoundingClientRect()).map(r => [r.left, r.right])"
    )
    grid = page.locator("#latest-news + .card-grid").bounding_box()
    assert len(boxes) == 3
    assert abs(boxes[-1][1] - (grid["x"] + grid["width"])) < 2
