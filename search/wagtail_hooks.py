"""Search's own record source: Wagtail documents (members' and suppliers' are membership's)."""

from wagtail import hooks

from .documents import DocumentsSource
from .sources import HOOK


@hooks.register(HOOK)
def documents_source() -> DocumentsSource:
    return DocumentsSource()
