"""Links to pages in rich text, resolved with one lean query.

Wagtail's ``PageLinkHandler`` loads every linked page as its specific type (two queries
and a full page object each) only to write its URL. A page's URL depends on nothing but
its ``url_path`` and the sites (no page type here overrides ``get_url_parts``), so the
plain page with a few fields gives the same href. ``tests/home/test_rich_text_links.py``
compares the two handlers' output and checks this one is the one in use.
"""

from __future__ import annotations

from django.db.models import Model
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

URL_FIELDS = ("id", "url_path", "path", "depth", "live", "locale_id")


class LeanPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Model | None]:
        ids = [str(attrs.get("id", "")) for attrs in attrs_list]
        wanted = [int(pk) for pk in ids if pk.isdigit()]
        found = {
            str(page.pk): page for page in Page.objects.filter(pk__in=wanted).only(*URL_FIELDS)
        }
        return [found.get(pk) for pk in ids]
