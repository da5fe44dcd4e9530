"""Keyboard users: skip link, navigation (including the phone menu), visible focus."""

import re

from .conftest import PHONE


def focus_style(page) -> dict:
    return page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
                    shadow: s.boxShadow, background: s.backgroundColor};
        }"""
    )


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/about/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_always_visible(page):
    page.goto("/")
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        style = focus_style(page)
        visible = (style["outline"] != "none" and style["outlineWidth"] > 0) or (
            style["shadow"] not in ("none", "")
        )
        assert visible, page.evaluate("document.activeElement.outerHTML")
        seen += 1
    assert seen == 12


def test_phone_menu_opens_and_closes_with_the_keyboard(page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    toggle = page.locator(".nav-toggle")
    nav_link = page.locator("#primary-nav a").first
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav_link.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav_link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#primary-nav') !== null")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")


def test_desktop_menu_needs_no_toggle(page):
    page.goto("/")
    assert not page.locator(".nav-toggle").is_visible()
    assert page.locator("#primary-nav a").first.is_visible()


def test_case_study_filters_apply_and_clear_with_the_keyboard(page):
    page.goto("/case-studies/")
    theme = page.get_by_label("Theme", exact=True)
    theme.focus()
    # A native select changes with the arrow keys; pick the net zero theme by keyboard.
    for _ in range(30):
        if theme.input_value() == "net-zero-and-energy":
            break
        page.keyboard.press("ArrowDown")
    assert theme.input_value() == "net-zero-and-energy"
    apply = page.get_by_role("button", name=re.compile("Apply", re.I))
    for _ in range(40):  # Tab forward to the Apply button, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith("Apply"):
            break
    assert apply.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"theme=net-zero-and-energy"))

    clear = page.get_by_role("link", name="Clear all filters")
    clear.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/case-studies/$"))
    assert "theme=" not in page.url
