"""A news feed for every combination of the listing's filters, in RSS, Atom and JSON Feed:
the same articles as the listing at the same address, 404s that name an unknown value,
conditional GETs that are right per combination, and the listing advertising its feed."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from demo.shell import paragraphs, stream
from news.models import NewsKind, NewsPage
from tests.home.test_json_feed import validate_json_feed
from tests.news.conftest import when

pytestmark = pytest.mark.django_db

FORMATS = ("", "atom/", "json/")


@pytest.fixture
def articles(make_article, image):
    """Articles across kinds, categories, tags and years; a draft and a private one."""
    made = {
        "A": make_article(
            "A statement on elections",
            kind=NewsKind.PRESS_RELEASE,
            category="governance",
            tags=("Elections",),
            release_date=when(2026, 5, 15),
            listing_image=image,
        ),
        "B": make_article(
            "Housing and elections",
            kind=NewsKind.PRESS_RELEASE,
            category="community",
            tags=("Elections", "Housing"),
            release_date=when(2025, 3, 1),
        ),
        "C": make_article(
            "Housing round-up",
            kind=NewsKind.NEWS,
            category="governance",
            tags=("Housing",),
            release_date=when(2026, 2, 1),
        ),
        "D": make_article(
            "Why co-operation",
            kind=NewsKind.OPINION,
            category="governance",
            release_date=when(2025, 7, 1),
        ),
        "E": make_article(
            "Elections in 2024",
            kind=NewsKind.NEWS,
            category="community",
            tags=("Elections",),
            release_date=when(2024, 1, 10),
        ),
    }
    make_article(
        "Draft statement",
        kind=NewsKind.PRESS_RELEASE,
        category="governance",
        tags=("Elections",),
        release_date=when(2026, 6, 1),
        publish=False,
    )
    private = make_article(
        "Private statement",
        kind=NewsKind.PRESS_RELEASE,
        category="governance",
        tags=("Elections",),
        release_date=when(2026, 6, 2),
    )
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return made


def feed_links_of(client, url: str) -> tuple[str, list[str]]:
    """The feed's title and its items' links, read as a reader would, checked for validity."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:200])
    if "/json/" in url:
        assert response["Content-Type"] == "application/feed+json; charset=utf-8"
        document = json.loads(response.content)
        validate_json_feed(document)
        return document["title"], [item["url"] for item in document["items"]]
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed.feed.title, [entry.link for entry in parsed.entries]


def listing_links(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [f"http://testserver{article.url}" for article in response.context["articles"]]


# Listing address and query → what its feed carries.
COMBINATIONS = [
    ("/news/", ""),
    ("/news/", "kind=press-release"),
    ("/news/", "year=2026"),
    ("/news/", "tag=elections"),
    ("/news/", "category=governance"),
    ("/news/", "kind=press-release&year=2026&tag=elections"),
    ("/news/", "kind=press-release&category=governance&tag=elections&year=2026"),
    ("/news/", "category=community&tag=housing"),
    ("/news/", "year=2024&kind=news"),
    ("/news/", "kind=opinion&year=2026"),  # nothing: an empty feed, not a 404
    ("/news/category/governance/", ""),
    ("/news/category/governance/", "kind=news&tag=housing"),
    ("/news/category/governance/", "year=2025"),
    ("/news/tag/elections/", ""),
    ("/news/tag/elections/", "kind=press-release&year=2025"),
    ("/news/tag/elections/", "category=community"),
]


@pytest.mark.parametrize(("listing", "query"), COMBINATIONS)
def test_every_combination_has_feeds_of_what_its_listing_shows(client, articles, listing, query):
    suffix = f"?{query}" if query else ""
    shown = listing_links(client, f"{listing}{suffix}")
    for fmt in FORMATS:
        _, links = feed_links_of(client, f"{listing}feed/{fmt}{suffix}")
        assert links == shown, (fmt, query)


def test_combinations_keep_exactly_the_matching_articles(client, articles):
    def titles(url):
        return [
            NewsPage.objects.get(url_path__endswith=urlsplit(link).path[5:]).title
            for link in feed_links_of(client, url)[1]
        ]

    assert titles("/news/feed/json/?kind=press-release&year=2026&tag=elections") == [
        "A statement on elections"
    ]
    assert titles("/news/feed/?tag=elections") == [
        "A statement on elections",
        "Housing and elections",
        "Elections in 2024",
    ]
    assert titles("/news/category/governance/feed/atom/?year=2025") == ["Why co-operation"]
    assert titles("/news/tag/housing/feed/?category=community") == ["Housing and elections"]
    # The draft and the private statement match these filters but are in no feed.
    assert titles("/news/feed/?kind=press-release&category=governance") == [
        "A statement on elections"
    ]


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/news/feed/", "CCIN news"),
        ("/news/feed/?kind=press-release", "CCIN news: press releases"),
        (
            "/news/feed/?kind=press-release&year=2026&tag=elections",
            "CCIN news: press releases, 2026, tagged “Elections”",
        ),
        (
            "/news/feed/json/?kind=news&category=governance",
            "CCIN news: news stories, Governance",
        ),
        ("/news/category/governance/feed/atom/", "CCIN news: Governance"),
        ("/news/category/governance/feed/json/?year=2025", "CCIN news: Governance, 2025"),
        ("/news/tag/elections/feed/json/", "CCIN news tagged “Elections”"),
        ("/news/tag/elections/feed/?year=2024", "CCIN news: 2024, tagged “Elections”"),
    ],
)
def test_titles_say_what_the_feed_carries(client, articles, url, title):
    assert feed_links_of(client, url)[0] == title


def test_a_feed_links_to_its_listing_and_to_itself(client, articles):
    query = "kind=press-release&tag=elections&year=2026"
    response = client.get(f"/news/feed/json/?{query}")
    document = json.loads(response.content)
    assert (
        document["home_page_url"]
        == "http://testserver/news/?kind=press-release&tag=elections&year=2026"
    )
    assert document["feed_url"] == f"http://testserver/news/feed/json/?{query}"
    parsed = feedparser.parse(client.get("/news/category/governance/feed/atom/?year=2025").content)
    assert parsed.feed.link == "http://testserver/news/category/governance/?year=2025"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["http://testserver/news/category/governance/feed/atom/?year=2025"]


def test_json_items_carry_content_image_dates_and_categories(client, articles):
    document = json.loads(client.get("/news/feed/json/?kind=press-release&year=2026").content)
    (item,) = document["items"]
    assert item["id"] == item["url"] == "http://testserver/news/article-1/"
    assert item["title"] == "A statement on elections"
    assert "Notes to editors" in item["content_html"]  # the whole press release
    assert item["summary"] == "Summary of article 1."
    assert item["image"].startswith("http://testserver/media-files/images/")
    assert item["date_published"].startswith("2026-05-15T")
    assert item["tags"] == ["Governance", "Elections"]
    assert document["authors"] == [{"name": "Co-operative Councils' Innovation Network"}]


def test_rss_and_atom_items_carry_the_image_as_an_enclosure(client, articles):
    for url in ("/news/feed/?year=2026", "/news/feed/atom/?year=2026"):
        parsed = feedparser.parse(client.get(url).content)
        with_image, without = parsed.entries  # A (with its image), C
        assert with_image.enclosures[0].href.startswith("http://testserver/media-files/images/")
        assert with_image.enclosures[0].type == "image/png"
        assert without.enclosures == []


def test_guids_do_not_depend_on_the_filters(client, articles):
    everything = feed_links_of(client, "/news/feed/")[1]
    for url in ("/news/feed/?tag=elections", "/news/category/governance/feed/?year=2026"):
        assert set(feed_links_of(client, url)[1]) <= set(everything)
    rss = feedparser.parse(client.get("/news/feed/?tag=elections").content)
    atom = feedparser.parse(client.get("/news/tag/elections/feed/atom/").content)
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/news/feed/?kind=rumours", "We don't recognise the kind of article “rumours”."),
        ("/news/feed/atom/?category=nope", "We don't recognise the news category “nope”."),
        ("/news/feed/json/?tag=nope", "We don't recognise the tag “nope”."),
        ("/news/feed/?year=1999", "We don't recognise the year “1999”."),
        ("/news/feed/json/?year=twenty", "We don't recognise the year “twenty”."),
        ("/news/feed/?tag=" + "x" * 500, "We don't recognise the tag “" + "x" * 40 + "…”."),
        ("/news/category/nope/feed/json/", "We don't recognise the news category “nope”."),
        ("/news/tag/nope/feed/json/", "We don't recognise the tag “nope”."),
        ("/news/category/governance/feed/?tag=nope", "We don't recognise the tag “nope”."),
        ("/news/tag/elections/feed/atom/?kind=gossip", "“gossip”"),
        # A tag nobody uses has no listing, so no feed either.
        ("/news/feed/?tag=devolution", "We don't recognise the tag “devolution”."),
    ],
)
def test_an_unknown_value_is_a_404_that_names_it(client, articles, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_every_unknown_value_is_named(client, articles):
    response = client.get("/news/feed/?kind=gossip&year=1999&tag=elections")
    assert response.status_code == 404
    text = response.content.decode()
    assert "“gossip”" in text and "“1999”" in text and "elections" not in text


def test_empty_values_and_other_parameters_are_not_filters(client, articles):
    everything = feed_links_of(client, "/news/feed/")[1]
    assert feed_links_of(client, "/news/feed/?kind=&year=&tag=&category=")[1] == everything
    assert feed_links_of(client, "/news/feed/json/?page=999999999999&utm_source=x")[1] == (
        everything
    )
    # A repeated parameter counts by its last value, as on the listing.
    assert feed_links_of(client, "/news/feed/?year=1999&year=2024")[1] == [
        "http://testserver/news/article-5/"
    ]


COMBINATION_FEEDS = [
    "/news/feed/?kind=press-release&year=2026&tag=elections",
    "/news/feed/atom/?category=governance",
    "/news/feed/json/?category=governance&kind=news",
    "/news/category/governance/feed/json/?year=2026",
    "/news/tag/elections/feed/atom/?kind=press-release",
]


@pytest.mark.parametrize("url", COMBINATION_FEEDS)
def test_each_combination_answers_conditional_gets(client, articles, site_settings, url):
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_etags_differ_per_combination_and_format(client, articles, site_settings):
    etags = {
        client.get(f"/news/feed/{fmt}{query}")["ETag"]
        for fmt in FORMATS
        for query in ("", "?kind=press-release", "?year=2026", "?kind=press-release&year=2026")
    }
    assert len(etags) == 12


@pytest.fixture
def a_minute_later(monkeypatch):
    """Changes made inside happen a minute (or ``minutes``) on: HTTP dates count whole
    seconds, and a change in the same second as the reader's last fetch cannot be told
    apart by date."""
    real_now = timezone.now

    @contextmanager
    def later(minutes: int = 1):
        with monkeypatch.context() as patched:
            patched.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=minutes))
            yield

    return later


def test_publishing_a_matching_article_changes_that_feed(
    client, articles, make_article, site_settings, a_minute_later
):
    url = "/news/feed/json/?kind=press-release&year=2026&tag=elections"
    first = client.get(url)
    with a_minute_later():
        new = make_article(
            "A second statement",
            kind=NewsKind.PRESS_RELEASE,
            category="community",
            tags=("Elections",),
            release_date=when(2026, 7, 1),
        )
    for headers in (
        {"HTTP_IF_NONE_MATCH": first["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
    ):
        changed = client.get(url, **headers)
        assert changed.status_code == 200, headers
        assert changed["ETag"] != first["ETag"]
        assert f"http://testserver{new.url}" in changed.content.decode()


def test_an_article_leaving_a_feed_is_never_a_stale_304(
    client, articles, site_settings, a_minute_later
):
    """Moved to another category, or unpublished: nothing the feed still holds is newer, but
    a reader that sends only If-Modified-Since still gets the feed without it."""
    url = "/news/feed/atom/?category=governance"
    round_up = articles["C"]
    before = client.get(url)
    round_up.category_id = articles["B"].category_id  # community
    with a_minute_later():
        round_up.save_revision().publish()
    after = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert "Housing round-up" not in after.content.decode()

    statement = articles["A"]
    before = client.get(url)
    with a_minute_later(2):
        statement.unpublish()
    for headers in (
        {"HTTP_IF_NONE_MATCH": before["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": before["Last-Modified"]},
    ):
        after = client.get(url, **headers)
        assert after.status_code == 200, headers
        assert "A statement on elections" not in after.content.decode()


# The listing advertises its feed -------------------------------------------------------------


def head_and_main(client, url: str) -> tuple[str, str]:
    html = client.get(url).content.decode()
    return html.split("</head>")[0], html.split("<main")[1].split("</main>")[0]


def test_a_filtered_listing_advertises_and_links_the_feeds_of_what_it_shows(client, articles):
    head, main = head_and_main(client, "/news/?kind=press-release&year=2026&page=1")
    query = "?kind=press-release&amp;year=2026"
    for fmt, mime, label in (
        ("", "application/rss+xml", "RSS"),
        ("atom/", "application/atom+xml", "Atom"),
        ("json/", "application/feed+json", "JSON Feed"),
    ):
        assert (
            f'<link rel="alternate" type="{mime}" title="Press releases from 2026 ({label})" '
            f'href="/news/feed/{fmt}{query}">'
        ) in head
        assert f'href="/news/feed/{fmt}{query}" type="{mime}">' in main
    assert "Follow these articles in a feed reader:" in main
    assert '<span class="visually-hidden">Press releases from 2026, </span>RSS' in main
    assert "page=" not in head.split('rel="alternate"', 1)[1].split(">", 1)[0]


def test_the_unfiltered_listing_adds_json_feed_to_the_site_wide_feeds(client, articles):
    head, main = head_and_main(client, "/news/")
    assert head.count('href="/news/feed/"') == 1  # the site-wide link, not a second one
    assert head.count('href="/news/feed/atom/"') == 1
    assert (
        '<link rel="alternate" type="application/feed+json" title="All news (JSON Feed)" '
        'href="/news/feed/json/">'
    ) in head
    assert "Follow the news in a feed reader:" in main
    assert 'href="/news/feed/json/" type="application/feed+json">' in main


def test_category_and_tag_pages_advertise_their_own_feeds(client, articles):
    head, main = head_and_main(client, "/news/category/governance/?year=2025")
    assert (
        'type="application/feed+json" title="Governance news from 2025 (JSON Feed)" '
        'href="/news/category/governance/feed/json/?year=2025"'
    ) in head
    head, main = head_and_main(client, "/news/tag/elections/")
    assert (
        'type="application/atom+xml" title="News tagged “Elections” (Atom)" '
        'href="/news/tag/elections/feed/atom/"'
    ) in head
    assert "Follow this tag in a feed reader:" in main
    assert 'href="/news/tag/elections/feed/json/" type="application/feed+json">' in main


def test_every_advertised_feed_answers(client, articles):
    for listing, query in COMBINATIONS:
        suffix = f"?{query}" if query else ""
        response = client.get(f"{listing}{suffix}")
        for feed in response.context["page_feeds"]:
            assert client.get(feed["url"]).status_code == 200, feed


# Query budgets -------------------------------------------------------------------------------


@pytest.fixture
def fill(news_index, categories, image):
    """Live articles made quickly (no revisions), each with an image and tags."""
    kinds = list(NewsKind)
    names = list(categories)
    made = 0

    def fill_to(total: int) -> None:
        nonlocal made
        now = timezone.now()
        while made < total:
            made += 1
            page = NewsPage(
                title=f"Bulk {made}",
                slug=f"bulk-{made}",
                kind=kinds[made % 3],
                category=categories[names[made % len(names)]],
                release_date=when(2024 + made % 3, 1 + made % 12, 1 + made % 28),
                summary="Bulk article.",
                body=stream(*paragraphs("Bulk body.")),
                listing_image=image,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            page.tags.set([f"topic-{made % 4}", "common"])
            news_index.add_child(instance=page)

    return fill_to


def count_queries(client, url: str, **headers) -> int:
    client.get(url)  # warm: renditions, remembered values, the settings row
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code in (200, 304), url
    return len(context)


# The same budget as the existing all-news, category and tag feeds (tests/news/test_queries.py).
FEED_BOUNDS = {
    "/news/feed/json/": 16,
    "/news/feed/?kind=news&year=2025": 16,
    "/news/feed/atom/?kind=opinion&tag=common&year=2026": 16,
    "/news/feed/json/?category=governance&tag=topic-1": 16,
    "/news/category/governance/feed/json/?kind=news&year=2024": 16,
    "/news/tag/common/feed/json/?kind=press-release": 17,
}


def test_combination_feeds_stay_within_the_feed_query_budget(client, fill):
    fill(5)
    at_five = {url: count_queries(client, url) for url in FEED_BOUNDS}
    fill(60)
    at_sixty = {url: count_queries(client, url) for url in FEED_BOUNDS}
    assert at_sixty == at_five
    over = {url: n for url, n in at_sixty.items() if n > FEED_BOUNDS[url]}
    assert not over, over


def test_a_304_for_a_combination_costs_few_queries(client, fill, site_settings):
    fill(20)
    url = "/news/feed/json/?kind=news&tag=common&year=2025"
    etag = client.get(url)["ETag"]
    # As for the all-news feed: Wagtail's routing and restriction checks, at most one of ours.
    assert count_queries(client, url, HTTP_IF_NONE_MATCH=etag) <= 8
