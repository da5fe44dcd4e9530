"""Hostile input: generated junk against every public URL of the demo site never breaks a page.

Hypothesis sends query strings (any unicode, control characters and NUL, invalid UTF-8, huge
numbers, regex-bomb and very long strings, repeated keys), made-up paths below every page
and form posts to the pages, filters, feeds, search, the API and the join form. The only
acceptable answers are 2xx, 3xx, 400, 404, 405 (and 429 from the join form's rate limit),
each within 2 seconds, and a GET writes nothing to the database.

The demo content is loaded once for the module, inside a transaction rolled back at the end.
FUZZ_EXAMPLES scales every test's example count (1 is the CI default; 10 for a long run).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from io import StringIO
from urllib.parse import quote, quote_from_bytes

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page

from casestudies.models import Theme
from membership.models import DPSSupplier, MemberCouncil
from news.models import NewsCategory, NewsPage

HOST = "127.0.0.1:8000"  # the demo site's hostname and port
ALLOWED = {400, 404, 405, 429}
# Hostile input must not make a request do unbounded work. Counted in queries, not seconds: a
# time limit measures the machine (it failed under CI's load), a query count measures the code.
QUERY_LIMIT = 30  # above every count in the query-bound tests (tests/performance)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
SCALE = max(1, int(os.environ.get("FUZZ_EXAMPLES", "1")))

settings.register_profile(
    "ccin-fuzz",
    deadline=None,  # no timing: each request is held to QUERY_LIMIT instead
    database=None,  # no .hypothesis/ folder in the work tree
    print_blob=True,  # a failure prints the @reproduce_failure line
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the client and db are meant to be shared
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FUZZ = settings.get_profile("ccin-fuzz")


def examples(count: int) -> settings:
    return settings(FUZZ, max_examples=count * SCALE)


# --- What to send -----------------------------------------------------------------------------

# Parameters the site's views and the API read, so junk reaches real code paths.
KNOWN_KEYS = [
    "q", "page", "kind", "category", "tag", "year", "theme", "council", "nation", "principle",
    "status", "tier", "outcome", "members_only", "sort", "csort", "ksort", "type", "fields",
    "limit", "offset", "order", "search", "search_operator", "child_of", "ancestor_of",
    "descendant_of", "html_path", "slug", "id", "locale", "format", "show_in_menus", "site", "p",
]  # fmt: skip

NASTY = [
    "\x00", "a\x00b", "%00", "\r\n", "\x1b[31m", "\u202e", "\ufeff", "\ud7ff", "\U0001f600",
    "(a+)+$", "(a|aa)+$", "^(\\w+\\s?)*$", "(.*a){30}", "((((((((((a))))))))))*", "[[:alpha:]]",
    "*", "**", "\\", "'", '"', "' OR '1'='1", "1; DROP TABLE wagtailcore_page", "%", "_", "%%",
    "<script>alert(1)</script>", "javascript:alert(1)", "../../etc/passwd", "..%2f..%2f",
    "-1", "0", "00", "1e309", "-1e309", "NaN", "inf", "-inf", "9" * 400, "-" + "9" * 40,
    "0x10", "1_000", "١٢٣", "²", "2026-13-45", "true", "null", "[]", "{}", "AND", "OR NOT",
    "\"unclosed", "a:b", "title:x", "-title", "~", "^", "&&", "||", "@@", "<->", "!",
]  # fmt: skip

text = st.text(max_size=40)  # any unicode (no surrogates: they cannot be sent as UTF-8)
control = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=12)
long_repeats = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "a ", "(a+)+", "*", "%", "\\", "\x00", "ab ", "🙂", "-"]),
    st.integers(min_value=50, max_value=4000),
)
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
nasty_value = st.one_of(text, control, long_repeats, numbers, st.sampled_from(NASTY))
encoded_value = nasty_value.map(lambda value: quote(value, safe=""))
raw_bytes = st.binary(max_size=24).map(lambda data: quote_from_bytes(data, safe=""))  # not UTF-8
key = st.one_of(st.sampled_from(KNOWN_KEYS), text).map(lambda name: quote(name, safe=""))
pair = st.tuples(key, st.one_of(encoded_value, raw_bytes)).map("=".join)
repeated = st.builds(
    lambda name, values: "&".join(f"{name}={value}" for value in values),
    st.sampled_from(KNOWN_KEYS),
    st.lists(encoded_value, min_size=2, max_size=40),
)
query_strings = st.lists(st.one_of(pair, repeated, raw_bytes), max_size=6).map("&".join)
path_segments = st.lists(
    st.one_of(nasty_value.map(lambda v: quote(v, safe="")), raw_bytes), min_size=1, max_size=3
).map("/".join)


# --- The site under test ------------------------------------------------------------------------


def page_urls() -> list[str]:
    """Up to three live public pages of each page type, with their routable sub-pages."""
    urls: list[str] = []
    seen: dict[int, int] = {}
    for page in Page.objects.live().public().filter(depth__gte=2).order_by("path"):
        seen[page.content_type_id] = seen.get(page.content_type_id, 0) + 1
        if seen[page.content_type_id] <= 3:
            urls.append(page.get_url())
    news = next(url for url in urls if url.rstrip("/").endswith("/news"))
    category = NewsCategory.objects.order_by("pk").first()
    tag = next(t for article in NewsPage.objects.live() for t in article.tags.all())
    urls += [
        f"{news}feed/",
        f"{news}feed/atom/",
        f"{news}category/{category.slug}/",
        f"{news}category/{category.slug}/feed/",
        f"{news}category/{category.slug}/feed/atom/",
        f"{news}tag/{tag.slug}/",
        f"{news}tag/{tag.slug}/feed/",
        "/case-studies/feed/",
        f"/case-studies/?theme={Theme.objects.order_by('pk').first().slug}",
        "/membership/thanks/",
    ]
    for member in MemberCouncil.objects.order_by("pk")[:3]:
        urls.append(f"/membership/members/{member.slug}/")
    return urls


def site_urls() -> list[str]:
    """The views outside the page tree, and the API endpoints that exist."""
    urls = ["/search/", "/sitemap.xml", "/robots.txt", "/healthz", "/readyz"]
    urls += ["/sitemap-pages.xml", "/sitemap-news.xml", "/sitemap-members.xml"]
    with contextlib.suppress(NoReverseMatch):  # added with the security headers work
        urls.append(reverse("security_txt"))
    document = get_document_model().objects.order_by("pk").first()
    if document is not None:
        urls.append(document.url)
    api = []
    for endpoint in ["pages", "images", "documents", "members", "suppliers"]:
        api.append(f"/api/v2/{endpoint}/")
    first_page = Page.objects.live().public().filter(depth__gte=2).order_by("path").first()
    api += [
        f"/api/v2/pages/{first_page.pk}/",
        "/api/v2/pages/find/?html_path=/news/",
        f"/api/v2/members/{MemberCouncil.objects.order_by('pk').first().pk}/",
        f"/api/v2/suppliers/{DPSSupplier.objects.order_by('pk').first().pk}/",
    ]
    for url in api:
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            continue  # the API is not there (yet)
        urls.append(url)
    return urls


@pytest.fixture(scope="module")
def targets(django_db_setup, django_db_blocker) -> Iterator[list[str]]:
    """Load the demo content once; every test in the module reads it; roll it all back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_content", stdout=StringIO())
            urls = page_urls() + site_urls()
            # The first visitor to a page with pictures makes their renditions (Wagtail writes
            # them on first use); that is not hostile input's doing, so it happens here.
            warm = Client(HTTP_HOST=HOST)
            for url in urls:
                warm.get(url)
            yield urls
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def visitor(targets, db) -> Client:
    return Client(HTTP_HOST=HOST)


def with_query(url: str, query: str) -> str:
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def check(client: Client, method: str, url: str, data: dict | None = None, **extra):
    """One request, held to the rules: an acceptable status, bounded work, GETs write nothing."""
    writes: list[str] = []
    queries: list[str] = []

    def spy(execute, sql, params, many, context):
        queries.append(sql)
        if sql.lstrip().upper().startswith(WRITES):
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        if method == "POST":
            response = client.post(url, data or {}, **extra)
        else:
            response = getattr(client, method.lower())(url, **extra)
    status = response.status_code
    assert 200 <= status < 400 or status in ALLOWED, f"{method} {url!r} answered {status}"
    assert len(queries) <= QUERY_LIMIT, f"{method} {url!r} ran {len(queries)} queries"
    if method in ("GET", "HEAD"):
        assert not writes, f"{method} {url!r} wrote to the database: {writes[:3]}"
    return response


# --- The tests ------------------------------------------------------------------------------------


class TestHostileInput:
    def test_the_site_answers_every_target_plainly(self, visitor, targets):
        """A baseline: every target is there and answers a clean GET (the API's find redirects)."""
        assert len(targets) > 30
        for url in targets:
            response = check(visitor, "GET", url)
            assert 200 <= response.status_code < 400, url

    def test_search_shows_promotions_without_recording_the_query(self, visitor, targets):
        about = Page.objects.get(url_path="/home/about/")
        query = Query.objects.create(query_string="housing")
        SearchPromotion.objects.create(query=query, page=about, description="Who we are")
        response = check(visitor, "GET", "/search/?q=Housing")
        body = response.content.decode()
        assert "Recommended" in body
        assert "Who we are" in body
        assert list(Query.objects.values_list("query_string", flat=True)) == ["housing"]
        assert not QueryDailyHits.objects.exists()

    def test_every_nasty_value_in_every_known_parameter(self, visitor, targets):
        """A fixed sweep: each nasty value in all known parameters at once, across the targets."""
        for index, value in enumerate(NASTY):
            url = targets[index % len(targets)]
            query = "&".join(f"{name}={quote(value, safe='')}" for name in KNOWN_KEYS)
            check(visitor, "GET", with_query(url, query))
        for index, url in enumerate(targets):
            value = quote(NASTY[(index * 7) % len(NASTY)], safe="")
            check(visitor, "GET", with_query(url, f"page={value}&q={value}&{value}={value}"))

    @examples(700)
    @given(data=st.data(), query=query_strings)
    def test_junk_query_strings(self, visitor, targets, data, query):
        url = data.draw(st.sampled_from(targets), label="url")
        method = data.draw(st.sampled_from(["GET", "GET", "GET", "HEAD"]), label="method")
        check(visitor, method, with_query(url, query))

    @examples(400)
    @given(data=st.data(), segments=path_segments, slash=st.booleans())
    def test_made_up_paths(self, visitor, targets, data, segments, slash):
        base = data.draw(st.sampled_from(["/", *targets]), label="base").split("?")[0]
        url = base.rstrip("/") + "/" + segments + ("/" if slash else "")
        check(visitor, "GET", url)

    @examples(200)
    @given(data=st.data(), query=query_strings)
    def test_search_with_junk_never_records_anything(self, visitor, data, query):
        q = data.draw(nasty_value, label="q")
        url = with_query("/search/?q=" + quote(q, safe=""), query)
        response = check(visitor, "GET", url)
        assert response.status_code == 200

    @examples(250)
    @given(
        fields=st.fixed_dictionaries(
            {},
            optional=dict.fromkeys(
                ["name", "organisation", "role", "email", "tier", "message", "website"],
                nasty_value,
            ),
        ),
        ip=st.ip_addresses(v=4).map(str),
    )
    def test_join_form_posts(self, visitor, fields, ip):
        """The only public form: a 200 with errors, a redirect to thanks, or 429 when limited."""
        check(visitor, "POST", "/membership/", fields, REMOTE_ADDR=ip)

    @examples(250)
    @given(data=st.data(), fields=st.dictionaries(text, nasty_value, max_size=5))
    def test_posts_to_everything_else(self, visitor, targets, data, fields):
        url = data.draw(st.sampled_from(targets), label="url")
        check(visitor, "POST", url, fields)
