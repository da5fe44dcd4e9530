"""A moderator moves the old WordPress site across in the real admin, and an old link works.

Runs last in tests/browser (by name): it adds the export's pages to the shared demo site.
"""

import os
import re
import tempfile
import zipfile
from pathlib import Path

from tests.wordpress.exports import FIXTURES

from .conftest import EDITOR, MODERATOR, describe, run_axe

SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", tempfile.gettempdir()))


def shot(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"wordpress-import-{name}.png", full_page=True)


def sign_in(page, who: dict) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(who["username"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url


def uploads_zip(folder: Path) -> Path:
    target = folder / "uploads.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for file in (FIXTURES / "uploads").rglob("*"):
            if file.is_file():
                name = file.relative_to(FIXTURES / "uploads").as_posix()
                archive.write(file, f"wp-content/uploads/{name}")
    return target


def test_an_editor_is_not_offered_the_import(page):
    sign_in(page, EDITOR)
    assert page.get_by_role("link", name="WordPress import").count() == 0
    response = page.goto("/admin/wordpress-import/")
    assert response.status == 403 or "/admin/" in page.url and "wordpress-import" not in page.url


def test_a_moderator_previews_imports_and_checks_the_old_addresses(page, tmp_path):
    sign_in(page, MODERATOR)
    page.goto("/admin/wordpress-import/")
    shot(page, "1-form")
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not violations, describe(violations)

    page.get_by_label("WordPress export file").set_input_files(FIXTURES / "councils-coop.xml")
    page.get_by_label("Uploads (optional)").set_input_files(uploads_zip(tmp_path))
    page.get_by_label("Publish what was public on the old site").check()
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_load_state()
    # The upload answers at once; the worker previews, and the page shows it by itself.
    in_progress = page.get_by_role("heading", name="Preview in progress: nothing has been changed")
    preview = page.get_by_role("heading", name="Preview: nothing has been changed yet")
    in_progress.or_(preview).wait_for()
    if in_progress.is_visible():
        shot(page, "2-preview-in-progress")
        assert page.get_by_role("status").or_(page.get_by_role("alert")).count()
        violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
        assert not violations, describe(violations)
    preview.wait_for(timeout=60_000)
    shot(page, "2-preview")
    body = page.locator("main").inner_text()
    assert re.search(r"Created \d+, updated 0", body), body[:500]
    assert "Members’ survey 2025" in body  # the malformed item, named
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not violations, describe(violations)

    page.get_by_role("link", name="With problems").click()
    page.wait_for_load_state()
    assert "contact-form-7" in page.locator("main").inner_text()

    page.get_by_role("button", name="Import now").click()
    page.wait_for_load_state()
    page.get_by_role("heading", name=re.compile("^Imported ")).wait_for(timeout=60_000)
    shot(page, "3-imported")

    page.get_by_role("button", name="Check every old address").click()
    page.wait_for_load_state()
    results = page.get_by_role("heading", name=re.compile("^Old addresses: Resolved"))
    results.wait_for(timeout=60_000)
    shot(page, "4-parity")
    parity = results.inner_text()
    resolved, total = map(int, re.search(r"Resolved (\d+) of (\d+)", parity).groups())
    assert total - resolved == 1  # the one file the uploads lack, listed below
    assert "sunderland-community-hub.jpg" in page.locator("main").inner_text()

    visitor = page.context.browser.new_context(base_url=page.url.split("/admin/")[0])
    old_link = visitor.new_page()
    old_link.goto("/case-study/kirklees-community-energy/")
    assert old_link.url.endswith("/case-studies/kirklees-community-energy/")
    assert "community energy" in old_link.locator("h1").inner_text().lower()
    old_link.goto("/?p=501")
    assert "/news/" in old_link.url
    visitor.close()
