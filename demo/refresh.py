"""Bringing demo pages an editor has never saved up to date with their records.

A page the loader made, and that no user has saved since, still holds exactly what an
earlier version of the data files said; when the record changes (the placeholder text the
first demo shipped, say), the loader may update it. A page with a revision by a user is an
editor's, and is never touched.
"""

from __future__ import annotations

from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page


def loader_only(page: Page) -> bool:
    """True if every revision of the page was saved by the loader (none by a user)."""
    return not page.revisions.exclude(user=None).exists()


def refresh(page: Page, **fields) -> bool:
    """Set ``fields`` on a page only the loader has saved, and publish it, if any differ.

    Comparing before saving keeps a second run from adding revisions. Returns whether the
    page changed.
    """
    if not loader_only(page):
        return False
    changed = False
    for name, value in fields.items():
        if _comparable(page, name, getattr(page, name)) == _comparable(page, name, value):
            continue
        setattr(page, name, value)
        changed = True
    if changed:
        page.save_revision().publish()
    return changed


def _comparable(page: Page, name: str, value):
    field = page._meta.get_field(name)
    if isinstance(field, StreamField):
        stream = field.to_python(value)
        return [(child.block_type, child.block.get_prep_value(child.value)) for child in stream]
    if field.many_to_many:
        items = value.all() if hasattr(value, "all") else value
        return sorted(item.pk for item in items)
    if isinstance(field, models.ForeignKey):
        return getattr(value, "pk", value)
    return value
