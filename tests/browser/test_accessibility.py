"""Every page type of the demo content passes axe (WCAG 2.2 A/AA) on a phone and a desktop."""

import pytest

from .conftest import DESKTOP, PHONE, describe, run_axe

# One URL for each page type and state a visitor meets (see DESIGN.md's URL contract).
PAGES = {
    "home": "/",
    "standard page": "/about/",
    "accessibility statement": "/accessibility-statement/",
    "search results": "/search/?q=community+wealth",
    "search, no results": "/search/?q=zzzzqqq",
    "404": "/no-such-page/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations(page, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(path)
    violations = run_axe(page)
    assert violations == [], f"{path} at {viewport['width']}px:\n{describe(violations)}"


def test_the_checker_catches_a_real_violation(page):
    """Guards the harness: a page with an unlabelled image and input must fail."""
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="/static/images/favicon.svg"><input type="text"></main></body></html>'
    )
    found = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "label"} <= found
