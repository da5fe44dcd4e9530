"""The Content-Security-Policy in a real browser: no page type trips it, and editors keep
their user bar (with its content checker) on public pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import EDITOR, PHONE
from .test_accessibility import PAGES

# Registered before any page script runs, so nothing that happens during load is missed.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ':' + event.lineNumber,
    sample: event.sample,
  });
}, true);
"""


@pytest.fixture
def watched(page: Page) -> Page:
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def violations(page: Page) -> list[dict]:
    return page.evaluate("window.__cspViolations") + [
        {"console": text} for text in page.console_errors
    ]


def sign_in(page: Page) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", EDITOR["username"])
    page.fill("#id_password", EDITOR["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_policy_violations_on_any_page_type(watched, path):
    response = watched.goto(path)
    assert response.status == (404 if path == "/no-such-page/" else 200), path
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "nonce-" not in policy  # anonymous pages are the same for everyone (cacheable)
    watched.wait_for_load_state("networkidle")
    assert violations(watched) == [], path


def test_scripts_still_work_under_the_policy(watched):
    """The phone menu (site.js) and the live case-study filter (casestudies.js, fetch)."""
    watched.set_viewport_size(PHONE)
    watched.goto("/")
    toggle = watched.locator("[aria-controls][aria-expanded]").first
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    watched.goto("/case-studies/")
    watched.locator(".filter-panel > summary").click()  # folded on a phone; one tap opens it
    box = watched.locator("input[type=checkbox], select").first
    if box.get_attribute("type") == "checkbox":
        box.check()
    else:
        box.select_option(index=1)
    watched.wait_for_load_state("networkidle")
    assert violations(watched) == []


def test_editor_user_bar_and_content_checker_work(watched):
    sign_in(watched)
    response = watched.goto("/about/")
    assert "'nonce-" in response.headers["content-security-policy"]
    trigger = watched.locator("#wagtail-userbar-trigger")
    expect(trigger).to_be_visible()
    trigger.click()
    expect(watched.locator("#wagtail-userbar-items")).to_be_visible()
    checker = watched.locator("#checker-trigger")
    expect(checker).to_be_visible()
    # The checker has run axe on the page and counted its findings.
    expect(watched.locator("#checker-trigger [data-content-checker-count]")).not_to_be_empty()
    checker.click()
    expect(watched.locator("#checker-results")).to_be_visible()
    assert violations(watched) == []


def test_admin_and_its_preview_work_under_the_admin_policy(watched):
    """The preview renders a public page inside the admin's frame: it gets the admin's policy
    (frame-ancestors 'self'), not the public one that would refuse to be framed."""
    sign_in(watched)
    watched.wait_for_load_state("networkidle")
    watched.goto("/about/")
    watched.locator("#wagtail-userbar-trigger").click()
    watched.goto(watched.locator("#wagtail-userbar-items a[href*='/edit/']").get_attribute("href"))
    watched.wait_for_load_state("networkidle")
    expect(watched.locator("form#page-edit-form")).to_be_visible()
    watched.locator("[data-side-panel-toggle=preview]").click()
    preview = watched.frame_locator("iframe[title*='preview' i]").first
    expect(preview.locator("h1").first).to_have_text(re.compile("About", re.I))
    assert violations(watched) == []


def test_the_recorder_catches_a_real_violation(watched):
    """Guards the harness: an inline script and a foreign image on a public page are reported."""
    watched.goto("/about/")
    watched.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.__ran = true';
            document.body.append(script);
            const img = document.createElement('img');
            img.src = 'https://tracker.invalid/pixel.gif';
            document.body.append(img);
        }"""
    )
    watched.wait_for_function("window.__cspViolations.length >= 2")
    directives = {v.get("directive") for v in violations(watched)}
    assert {"script-src-elem", "img-src"} <= directives
    assert watched.evaluate("window.__ran === undefined")
