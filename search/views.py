"""Site search at /search/: Wagtail search over live public pages, promoted results first."""

import logging

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from home.listing import page_number

from .query import MAX_QUERY_LENGTH, clean_query, search_terms
from .ranking import ranked_page_ids

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 10


@require_GET
def search(request: HttpRequest) -> TemplateResponse:
    """Wagtail search over live public pages, with editors' promoted results first."""
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    terms = search_terms(query)
    results = Page.objects.none()
    promotions = []
    if terms:
        pages = Page.objects.live().public()
        results = pages.specific().search(terms, operator="and")
        # Read-only: a GET writes nothing (crawlers and junk queries would otherwise fill
        # wagtailsearchpromotions_query), so hits are not recorded; promotions are looked up.
        promotions = list(
            SearchPromotion.objects.filter(
                query__query_string=normalise_query_string(terms),
                page__live=True,
                page__view_restrictions=None,
            )
            .select_related("page")
            .order_by("sort_order")
        )
    number = page_number(request.GET.get("page"))
    search_failed = False
    try:
        # SQLite: the same results in the same order, a window at a time (search/ranking.py).
        first = (number - 1) * SEARCH_PAGE_SIZE
        expected = slice(first, first + SEARCH_PAGE_SIZE)
        ranked = ranked_page_ids(pages, results, expected) if terms else None
        paginator = Paginator(results if ranked is None else ranked, SEARCH_PAGE_SIZE)
        try:
            page_obj = paginator.page(number)
        except (EmptyPage, PageNotAnInteger):
            page_obj = paginator.page(paginator.num_pages)
        if ranked is not None:
            found = Page.objects.filter(pk__in=page_obj.object_list).specific().in_bulk()
            page_obj.object_list = [found[pk] for pk in page_obj.object_list if pk in found]
    except DatabaseError:
        # A query the search engine cannot parse is the visitor's typo, not an outage.
        logger.warning("Search backend rejected query %r", terms, exc_info=True)
        search_failed = True
        paginator = Paginator(Page.objects.none(), SEARCH_PAGE_SIZE)
        page_obj = paginator.page(1)
    return TemplateResponse(
        request,
        "home/search_results.html",
        {
            "search_query": query,
            "has_terms": bool(terms),
            "search_failed": search_failed,
            "query_was_trimmed": len(raw.strip()) > MAX_QUERY_LENGTH,
            "page_obj": page_obj,
            "results": page_obj.object_list,
            "promotions": promotions,
            "paginator": paginator,
            "query_string": urlencode({"q": query}),
        },
    )
