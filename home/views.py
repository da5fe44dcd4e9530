"""Site-wide views: search, health and readiness checks, robots.txt."""

import logging
import os
import re
import uuid
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from .search import ranked_page_ids

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
        # SQLite: the same results in the same order, ranked in one scan (home/search.py).
        ranked = ranked_page_ids(pages, results) if terms else None
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


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    probe = getattr(cache, "check", None)
    if probe is not None:  # home.cache.ResilientRedisCache hides outages; ask Redis directly
        probe()
        return
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        root = Path(default_storage.location)
        if not root.is_dir() or not os.access(root, os.W_OK):
            raise OSError(f"media folder {root} is missing or not writable")
    else:
        default_storage.listdir("")  # one request to the bucket: reachable and authorised


READINESS_CHECKS = {"database": _check_database, "cache": _check_cache, "storage": _check_storage}
# Without these the instance cannot serve; without the cache it serves slower, so it stays in.
READINESS_REQUIRED = {"database", "storage"}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and storage each "ok" or "unavailable"; 503 if one we need fails.

    A Redis outage is reported ("degraded") but keeps the 200: pages still serve without a
    cache, and taking every instance out of the load balancer for it would be a full outage.
    """
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure is "unavailable"; the reason goes to the log
            logger.warning("Readiness check %s failed: %s", name, error)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    failed = {name for name, state in checks.items() if state != "ok"}
    if failed & READINESS_REQUIRED:
        status, code = "unavailable", 503
    elif failed:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


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


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): where to report a vulnerability.

    Expires is always six months ahead (the RFC asks for less than a year), so the file never
    goes stale while the site is up.
    """
    from datetime import UTC, timedelta

    from django.conf import settings
    from django.utils import timezone
    from wagtail.models import Site

    from .models import SiteSettings

    contact = settings.SECURITY_TXT_CONTACT
    if not contact:
        site = Site.find_for_request(request)
        email = SiteSettings.for_site(site).contact_email if site else settings.DEFAULT_FROM_EMAIL
        contact = f"mailto:{email}"
    expires = (timezone.now() + timedelta(days=182)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {request.build_absolute_uri(reverse('security_txt'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response
