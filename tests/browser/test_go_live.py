"""An editor types an embargo time in a format other than the field's own: it is kept as
typed and saved as that time, never silently replaced with *now*."""

import re

from .conftest import EDITOR
from .test_editor_journey import shot

TYPED = "2027-03-04 09:30"  # ISO, where the field shows dd/mm/yyyy hh:mm


def sign_in(page) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(EDITOR["username"])
    page.get_by_label("Password").fill(EDITOR["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_schedule(page):
    """The schedule sits in the status side panel: open the panel, then its dialog."""
    page.locator("[data-side-panel-toggle='status']").first.click()
    page.locator("[data-a11y-dialog-show='schedule-publishing-dialog']").first.click()
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.wait_for(state="visible")
    return dialog


def test_a_go_live_time_typed_in_another_format_is_kept_and_saved(page):
    sign_in(page)
    page.goto("/admin/pages/search/?q=News")
    page.get_by_role("link", name="News", exact=True).first.click()
    page.wait_for_load_state()
    index_id = re.search(r"/admin/pages/(\d+)/", page.url).group(1)
    page.goto(f"/admin/pages/add/news/newspage/{index_id}/")
    page.get_by_role("textbox", name=re.compile("^Title", re.I)).fill("Embargoed statement")
    page.get_by_role("button", name="Choose news category").click()
    page.get_by_role("link", name="Governance", exact=True).click()
    page.get_by_role("textbox", name=re.compile("^Summary", re.I)).fill("Out at nine.")
    try:
        dialog = open_schedule(page)
        go_live = dialog.locator("input[name='go_live_at']")
        go_live.fill(TYPED)
        # Leaving the field is where the picker used to rewrite the text as the current time.
        dialog.get_by_role("heading").first.click()
        assert go_live.input_value() == TYPED
        # The picker's calendar is still open over the dialog's button: save with the
        # keyboard, as an editor with the calendar in the way would (Save schedule, Ctrl+S).
        page.keyboard.press("Control+s")
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
        shot(page, "go-live-saved")
        status = page.locator("[data-side-panel='status']")
        assert re.search(r"Go-live:\s*4 Mar 2027, 9:30", status.inner_text())
    except Exception:
        shot(page, "go-live-failure")
        raise
