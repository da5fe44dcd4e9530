"""Page view restrictions read once per change instead of once per ``.public()`` call.

Wagtail reads every ``PageViewRestriction`` row each time a queryset calls ``.public()``
and again when it serves a page, so a page with a few listings spends four or five
queries asking the same question. The site has at most a handful of private sections,
so their paths are remembered (caching.versions.remember) until a restriction is saved
or deleted or a page moves or is deleted (a move changes the restricted paths).

``install()`` (from ``HomeConfig.ready``) points ``PageQuerySet.private_q`` at the cached
list; ``BasePage.get_view_restrictions`` answers "none" without a query for pages outside
every private section.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.signals import post_page_move

from .versions import remember

CACHE_KEY = "wagtail:view-restrictions"
# A safety net only: every change that matters clears the key at once.
CACHE_SECONDS = 60 * 60


def restricted_sections() -> list[tuple[str, int]]:
    """(path, depth) of every page that carries a view restriction.

    Remembered under the content version (in the process too, so no cache round trip on
    every page), which saving or deleting a restriction, and moving or deleting a page,
    moves on.
    """
    return remember(CACHE_KEY, read_sections, CACHE_SECONDS)


def read_sections() -> list[tuple[str, int]]:
    return sorted(
        set(PageViewRestriction.objects.values_list("page__path", "page__depth").order_by())
    )


def forget_restrictions(**kwargs) -> None:
    """Also forget the entry outright: a belt to the content version's braces."""
    cache.delete(f"remember:{CACHE_KEY}")


def private_q(self: PageQuerySet) -> Q:
    """Wagtail's ``private_q`` built from the cached sections: same Q, no query."""
    q = Q()
    for path, depth in restricted_sections():
        q |= Q(path__startswith=path) & Q(depth__gte=depth)
    return q if q else Q(pk__in=[])


def in_private_section(page: Page) -> bool:
    """Whether the page is, or is below, a page with a view restriction."""
    return any(page.path.startswith(path) for path, _depth in restricted_sections())


def install() -> None:
    PageQuerySet.private_q = private_q
    post_save.connect(
        forget_restrictions, sender=PageViewRestriction, dispatch_uid="restrictions-saved"
    )
    post_delete.connect(
        forget_restrictions, sender=PageViewRestriction, dispatch_uid="restrictions-deleted"
    )
    post_delete.connect(forget_restrictions, sender=Page, dispatch_uid="restrictions-page-deleted")
    post_page_move.connect(forget_restrictions, dispatch_uid="restrictions-page-moved")
