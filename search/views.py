"""Site search at /search/: live public pages and public records, promoted results first.

Pages are Wagtail's page index, ranked as before (search/ranking.py on SQLite). Records
(member councils, DPS suppliers, election rows, documents) come from the sources apps
register (search/sources.py). ``?type=`` shows one type, paginated; without it, "All"
shows the first few records of each type above the pages, which are paginated as before.
Every type's count is shown beside the type filter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

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
from .sources import GROUP_SIZE, Hit, SearchSource, SourceResults, count_together, search_sources

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 10
PAGES = "pages"
PAGES_LABEL = "Pages"


@dataclass
class TypeChoice:
    """One entry of the type filter: "Member councils (3)"."""

    value: str  # "" for All
    label: str
    count: int
    url: str
    current: bool


@dataclass
class Group:
    """The first few records of one type, on the first page of All results."""

    source: SearchSource
    hits: list[Hit]
    count: int
    url: str


def _page_results(terms: str, number: int):
    """(paginator, page of results) of live public pages, Wagtail's order."""
    pages = Page.objects.live().public()
    results = pages.specific().search(terms, operator="and")
    # SQLite: the same results in the same order, a window at a time (search/ranking.py).
    first = (number - 1) * SEARCH_PAGE_SIZE
    ranked = ranked_page_ids(pages, results, slice(first, first + SEARCH_PAGE_SIZE))
    paginator = Paginator(results if ranked is None else ranked, SEARCH_PAGE_SIZE)
    page_obj = _page(paginator, number)
    if ranked is not None:
        found = Page.objects.filter(pk__in=page_obj.object_list).specific().in_bulk()
        page_obj.object_list = [found[pk] for pk in page_obj.object_list if pk in found]
    return paginator, page_obj


def _page(paginator: Paginator, number: int):
    try:
        return paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        return paginator.page(paginator.num_pages)


def _promotions(terms: str) -> list[SearchPromotion]:
    # Read-only: a GET writes nothing (crawlers and junk queries would otherwise fill
    # wagtailsearchpromotions_query), so hits are not recorded; promotions are looked up.
    return list(
        SearchPromotion.objects.filter(
            query__query_string=normalise_query_string(terms),
            page__live=True,
            page__view_restrictions=None,
        )
        .select_related("page")
        .order_by("sort_order")
    )


@require_GET
def search(request: HttpRequest) -> TemplateResponse:
    """Pages and records matching every word, one type or all of them, promoted first."""
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    terms = search_terms(query)
    sources = search_sources()
    by_name = {source.name: source for source in sources}
    chosen = request.GET.get("type", "").strip()
    unknown_type = chosen not in ("", PAGES, *by_name)
    number = page_number(request.GET.get("page"))
    empty = Paginator([], SEARCH_PAGE_SIZE)
    paginator, page_obj = empty, empty.page(1)
    results: list = []
    groups: list[Group] = []
    counts: dict[str, int] = {}
    promotions: list[SearchPromotion] = []
    search_failed = False
    # An unknown type names the real ones and searches nothing: nobody asked for all
    # results. It answers 200, not a listing's 404: search results are never indexed
    # (noindex, robots.txt), and a junk parameter on a search is the visitor's typo
    # (tests/security/test_fuzz.py holds every junk search to a 200).
    if terms and not unknown_type:
        promotions = _promotions(terms) if chosen in ("", PAGES) else []
        try:
            if chosen in ("", PAGES):
                paginator, page_obj = _page_results(terms, number)
                results = page_obj.object_list
                counts[PAGES] = paginator.count
            searched = [(source, source.search(terms)) for source in sources]
            if not chosen and page_obj.number == 1:
                # All, first page: a few of each type (each read counts its model).
                for source, found in searched:
                    hits = source.hits(found.first(GROUP_SIZE))
                    if hits:
                        groups.append(Group(source, hits, 0, _url(query, source.name)))
            # Pages beside one type of record: counted only.
            pages_found = None
            if PAGES not in counts:
                pages = Page.objects.live().public()
                pages_found = SourceResults([pages.search(terms, operator="and")])
            # Every model not counted yet, in one query (search/sources.py).
            everything = [found for _source, found in searched]
            count_together(everything if pages_found is None else [*everything, pages_found])
            for source, found in searched:
                if source.name == chosen:
                    paginator = Paginator(found, SEARCH_PAGE_SIZE)
                    page_obj = _page(paginator, number)
                    results = source.hits(list(page_obj.object_list))
                    page_obj.object_list = results
                counts[source.name] = found.count()
            for group in groups:
                group.count = counts[group.source.name]
            if pages_found is not None:
                counts[PAGES] = pages_found.count()
        except DatabaseError:
            # A query the search engine cannot parse is the visitor's typo, not an outage.
            logger.warning("Search backend rejected query %r", terms, exc_info=True)
            search_failed = True
            paginator, page_obj, results, groups, counts = empty, empty.page(1), [], [], {}
    total = sum(counts.values())
    labels = [(source.name, source.label) for source in sources] + [(PAGES, PAGES_LABEL)]
    types = [TypeChoice("", "All", total, _url(query, ""), chosen == "")] + [
        TypeChoice(name, label, counts.get(name, 0), _url(query, name), chosen == name)
        for name, label in labels
    ]
    return TemplateResponse(
        request,
        "home/search_results.html",
        {
            "search_query": query,
            "has_terms": bool(terms),
            "search_failed": search_failed,
            "query_was_trimmed": len(raw.strip()) > MAX_QUERY_LENGTH,
            "page_obj": page_obj,
            "results": results,
            "result_type": "" if unknown_type else chosen,
            "result_type_label": dict(labels).get(chosen, "All"),
            "record_results": chosen not in ("", PAGES) and not unknown_type,
            "groups": groups,
            "types": types,
            "total": total,
            "unknown_type": chosen[:40] if unknown_type else "",
            "promotions": promotions,
            "paginator": paginator,
            "query_string": urlencode({"q": query, **({"type": chosen} if chosen else {})}),
        },
    )


def _url(query: str, type_name: str) -> str:
    params = {"q": query}
    if type_name:
        params["type"] = type_name
    return f"?{urlencode(params)}"
