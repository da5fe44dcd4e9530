"""The admin's date and time fields keep what the editor typed.

Wagtail's picker (jQuery datetimepicker) reads a typed value on blur in the one format of
WAGTAIL_DATETIME_FORMAT; anything else (``2026-12-02 09:00`` typed into a ``dd/mm/yyyy``
field) it silently replaced with the current time, and autosave stored that: an approval
would then publish an embargoed release at once. With ``validateOnBlur`` off the text stays
as typed; the server reads it in any of Django's input formats (ISO included) or answers
"Enter a valid date/time", so nothing becomes *now* without the editor seeing it.

Wagtail builds these widgets itself (``PublishingPanel`` makes its own ``AdminDateTimeInput``
for go-live and expiry, on pages and on snippets with drafts), so a form-field override would
miss them: the option is added to the widgets' own configuration instead.
"""

from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

WIDGETS = (AdminDateInput, AdminDateTimeInput, AdminTimeInput)


def keep_typed_text() -> None:
    for widget in WIDGETS:
        original = widget.get_config
        if getattr(original, "keeps_typed_text", False):
            continue

        def get_config(self, original=original) -> dict:
            return {**original(self), "validateOnBlur": False}

        get_config.keeps_typed_text = True
        widget.get_config = get_config
