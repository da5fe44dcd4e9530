"""The one live page of a type (the news index, the member directory), found by its type.

``Model.objects.live().first()`` reads in tree order, so SQLite walks the page tree from the
top until it meets a page of that type, past every page before it (every article, when the
news comes first): it cannot use an index for the path prefixes Wagtail filters by. Asking
for the exact type as well lets it read the type's pages from the content type index.
"""

from __future__ import annotations

from typing import TypeVar

from wagtail.models import Page

P = TypeVar("P", bound=Page)


def first_live(model: type[P], *, public: bool = True) -> P | None:
    """The first live page of exactly ``model`` in tree order (public only, unless not
    ``public``), or None."""
    pages = model.objects.live().exact_type(model)
    if public:
        pages = pages.public()
    return pages.first()
