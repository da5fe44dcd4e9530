"""Site-wide views: search, health check, robots.txt."""

import logging
import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """Collapse whitespace, drop control characters and cap the length of a search query."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> str:
    """Words only: punctuation means nothing to the search and breaks SQLite's FTS5 syntax."""
    return " ".join(re.sub(r"[\W_]+", " ", query).split())


def page_number(raw: str | None) -> int:
    """A 1-based page number from the query string; junk means the first page."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@require_GET
def search(request: HttpRequest) -> TemplateResponse:
    """Wagtail search over live public pages, with editors' promoted results first."""
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    terms = search_terms(query)
    results = Page.objects.none()
    promotions = []
    if terms:
        results = Page.objects.live().public().specific().search(terms, operator="and")
        query_record = Query.get(terms)
        query_record.add_hit()
        promotions = list(
            query_record.editors_picks.filter(
                page__live=True, page__view_restrictions=None
            ).select_related("page")
        )
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    number = page_number(request.GET.get("page"))
    search_failed = False
    try:
        try:
            page_obj = paginator.page(number)
        except (EmptyPage, PageNotAnInteger):
            page_obj = paginator.page(paginator.num_pages)
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers and Docker)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Point crawlers at the sitemap; keep them out of the admin and search results."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
