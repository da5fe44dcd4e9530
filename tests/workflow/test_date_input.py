"""The admin's date pickers keep a typed value (editorial/date_input.py); the browser lane's
tests/browser/test_go_live.py shows the effect, this shows the setting reaches every picker
Wagtail builds, including the go-live and expiry fields it makes itself."""

import pytest
from wagtail.admin.panels import get_edit_handler
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

from news.models import NewsPage


@pytest.mark.parametrize("name", ["go_live_at", "expire_at"])
def test_go_live_and_expiry_pickers_never_rewrite_typed_text(name):
    widget = get_edit_handler(NewsPage).get_form_class().base_fields[name].widget
    assert '"validateOnBlur": false' in widget.render(name, None)


def test_every_other_admin_date_picker_keeps_typed_text_too():
    for widget in (AdminDateInput(), AdminDateTimeInput(), AdminTimeInput()):
        assert widget.get_config()["validateOnBlur"] is False


def test_a_go_live_time_in_iso_or_the_field_format_is_the_same_time():
    field = get_edit_handler(NewsPage).get_form_class().base_fields["go_live_at"]
    assert field.clean("2027-03-04 09:30") == field.clean("04/03/2027 09:30")
    with pytest.raises(Exception, match="valid date/time"):
        field.clean("next Tuesday at nine")
