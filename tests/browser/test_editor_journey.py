"""An editor writes a news page with a heading, a paragraph and an image, previews it and
submits it for moderation, in the real Wagtail admin."""

import os
import re
import tempfile
from pathlib import Path

from .conftest import EDITOR

LOGO = Path(__file__).resolve().parents[2] / "static" / "images" / "ccin-logo.png"


SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", tempfile.gettempdir()))


def shot(page, name: str) -> None:
    """Keep a picture of each step, to see what went wrong when the journey breaks."""
    page.screenshot(path=SCREENSHOTS / f"editor-journey-{name}.png", full_page=True)


def test_editor_writes_previews_and_submits_a_news_page(page, tmp_path):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(EDITOR["username"])
    page.get_by_label("Password").fill(EDITOR["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url

    page.goto("/admin/pages/search/?q=News")
    shot(page, "2-search")
    page.get_by_role("link", name="News", exact=True).first.click()
    page.wait_for_load_state()
    index_id = re.search(r"/admin/pages/(\d+)/", page.url).group(1)
    page.goto(f"/admin/pages/add/news/newspage/{index_id}/")
    shot(page, "4-add")
    page.get_by_role("textbox", name=re.compile("^Title", re.I)).fill("Browser-written statement")
    try:
        write_and_submit(page, tmp_path)
    except Exception:
        shot(page, "failure")
        raise


def choose_block(page, kind: str) -> None:
    page.get_by_role("button", name=re.compile("Insert a block", re.I)).last.click()
    page.get_by_role("option", name=kind, exact=True).click()


def write_and_submit(page, tmp_path):
    page.get_by_role("button", name="Choose news category").click()
    page.get_by_role("link", name="Governance", exact=True).click()
    page.get_by_role("textbox", name=re.compile("^Summary", re.I)).fill(
        "A statement written in the browser test."
    )

    choose_block(page, "Heading")
    page.locator("input[name$='-value-text']").last.fill("What we said")
    choose_block(page, "Paragraph")
    paragraph = page.locator("[data-contentpath='body'] [role='textbox'][contenteditable='true']")
    paragraph.last.click()
    page.keyboard.type("Co-operation is the only sensible way to make progress.")
    choose_block(page, "Image")
    page.get_by_role("button", name=re.compile("Choose an image", re.I)).last.click()
    page.get_by_role("tab", name=re.compile("Upload", re.I)).click()
    image = tmp_path / "chamber.png"
    image.write_bytes(LOGO.read_bytes())
    chooser = page.get_by_role("dialog")
    chooser.locator("input[type='file']").set_input_files(str(image))
    chooser.get_by_role("textbox", name=re.compile("^Title", re.I)).fill("Council chamber")
    chooser.get_by_role("button", name=re.compile("^Upload", re.I)).click()
    chooser.wait_for(state="hidden")
    page.locator("input[name$='-value-alt_text']").last.fill("The network's logo")
    shot(page, "6-written")

    # The preview panel renders the article as visitors will see it.
    page.get_by_role("button", name=re.compile("Toggle preview", re.I)).click()
    preview = page.frame_locator("iframe[title*='preview' i]").first
    preview.get_by_role("heading", name="What we said").wait_for(timeout=20000)
    shot(page, "7-preview")

    page.get_by_role("button", name=re.compile("More actions", re.I)).click()
    page.get_by_role("button", name=re.compile("Submit to", re.I)).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    shot(page, "8-submitted")
    assert "submitted" in page.locator(".messages").inner_text().lower()
    row = page.get_by_role("row").filter(has_text="Browser-written statement")
    assert "in moderation" in row.inner_text().lower()
