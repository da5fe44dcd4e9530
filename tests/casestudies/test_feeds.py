"""RSS of case studies: valid, absolute links, and the same filters as the index."""

from __future__ import annotations

import html
import itertools
import json
import re
from datetime import timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import PageLogEntry

from casestudies.facets import CaseStudySearch


def test_feed_is_valid_rss_with_absolute_links(client, library):
    response = client.get("/case-studies/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.title == "CCIN case studies"
    assert feed.feed.link == "http://testserver/case-studies/"
    assert len(feed.entries) == 6
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/case-studies/")
        assert entry.published
    # Newest published first.
    assert feed.entries[0].title == "Young voices in Kirklees"


def test_filtered_feed_contains_only_matching_case_studies(client, library):
    response = client.get("/case-studies/feed/?theme=housing&nation=scotland")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.feed.title == "CCIN case studies: Housing, Scotland"
    assert feed.feed.link == "http://testserver/case-studies/?theme=housing&nation=scotland"
    assert [entry.title for entry in feed.entries] == ["Warm homes and heat networks"]
    assert {tag.term for tag in feed.entries[0].tags} == {"Housing", "Net zero and energy"}


def test_feed_excludes_drafts(client, library, make_case_study, councils):
    make_case_study("Secret draft", lead=councils["camden-council"], publish=False)
    feed = feedparser.parse(client.get("/case-studies/feed/").content)
    assert "Secret draft" not in [entry.title for entry in feed.entries]


def test_feed_with_unknown_filter_is_a_plain_not_found_that_says_why(client, library):
    response = client.get("/case-studies/feed/?theme=nope&nation=scotland")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "We don't recognise the theme “nope”.\n"
    assert client.get("/case-studies/feed/?year=abc").status_code == 404


def test_case_study_feed_is_advertised_once_on_every_page(client, library):
    home = client.get("/").content.decode()
    assert 'href="/case-studies/feed/"' in home
    index = client.get("/case-studies/").content.decode()
    assert index.count('rel="alternate" type="application/rss+xml" title="Case studies"') == 1
    # The head link, the "Follow" link and the footer list of feeds.
    assert index.count('href="/case-studies/feed/"') == 3


def test_feed_items_cost_no_query_each(client, library, make_case_study, councils):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # Without a summary an item says who and when, from the council and the year.
    for title, lead in (("Led by partners", None), ("Led by Camden", councils["camden-council"])):
        page = make_case_study(title, lead=lead, participants=[councils["kirklees-council"]])
        page.summary = ""
        page.save_revision().publish()
    queries("/case-studies/feed/")  # the first request also reads the site's settings
    assert queries("/case-studies/feed/") == queries(
        "/case-studies/feed/?theme=housing&nation=scotland"
    )
    feed = feedparser.parse(client.get("/case-studies/feed/").content)
    descriptions = {entry.title: entry.summary for entry in feed.entries}
    assert descriptions["Led by partners"] == "A community group · 2024"
    assert descriptions["Led by Camden"] == "Camden Council · 2024"
    kirklees = next(e for e in feed.entries if e.title == "Young voices in Kirklees")
    assert kirklees.author == "Kirklees Council"
    assert [tag.term for tag in kirklees.tags] == ["Young people"]


# The feed (SQL) and the listing (the remembered Library, in Python) apply the same filters.

SPREAD = [
    "",
    "theme=housing",
    "theme=young-people",
    "principle=innovation",
    "council=kirklees-council",  # leads one, takes part in another
    "council=camden-council",
    "nation=scotland",
    "year=2024",
    "year=2022&nation=england",
    "theme=housing&nation=england&principle=innovation",
    "theme=net-zero-and-energy&council=inverclyde-council&year=2026",
    "theme=young-people&year=2024",  # nothing
    "q=homes",
    "q=homes&nation=scotland",
    "q=community&theme=net-zero-and-energy",
]


@pytest.mark.parametrize("query", SPREAD)
def test_the_feed_and_the_listing_show_the_same_case_studies(client, library, query):
    listing = client.get(f"/case-studies/?{query}")
    feed = feedparser.parse(client.get(f"/case-studies/feed/?{query}").content)
    assert listing.status_code == 200
    listed = {
        html.unescape(t)
        for t in re.findall(r'class="card__title"><a [^>]+>([^<]+)<', listing.content.decode())
    }
    assert {entry.title for entry in feed.entries} == listed


def test_sql_and_library_filters_agree_on_every_combination(library, index, councils, themes):
    values = {
        "theme": ["", *themes],
        "principle": ["", "co-production", "innovation"],
        "council": ["", *councils],
        "nation": ["", "england", "scotland"],
        "year": ["", "2022", "2024", "2026"],
    }
    for combination in itertools.product(*values.values()):
        params = QueryDict(mutable=True)
        params.update(dict(zip(values, combination, strict=True)))
        search = CaseStudySearch(index, params)
        sql = set(search.matching().values_list("pk", flat=True))
        assert sql == search.matching_ids(), dict(params)


# Dates and content: an item is the whole case study, dated by its own year.


def entry(feed, title: str):
    return next(e for e in feed.entries if e.title == title)


def test_items_are_dated_by_the_case_study_year_not_the_day_it_was_added(
    client, library, make_case_study, councils
):
    # Added today, about work done in 2014.
    make_case_study("Early co-operative energy", lead=councils["camden-council"], year=2014)
    response = client.get("/case-studies/feed/")
    rss = response.content.decode()
    feed = feedparser.parse(response.content)
    old = entry(feed, "Early co-operative energy")
    assert old.published_parsed[:6] == (2014, 1, 1, 0, 0, 0)
    assert "<pubDate>Wed, 01 Jan 2014 00:00:00 +0000</pubDate>" in rss
    # Still the first item: the feed tells subscribers what was added most recently.
    assert feed.entries[0].title == "Early co-operative energy"
    solar = entry(feed, "Community solar roofs")
    assert solar.published_parsed[:3] == (2022, 1, 1)
    # When the write-up last changed, as dcterms:modified.
    page = library["solar"]
    page.refresh_from_db()
    assert solar.updated_parsed[:3] == page.last_published_at.utctimetuple()[:3]
    assert rss.count("<dcterms:modified>") == len(feed.entries)


def test_items_carry_the_whole_case_study_with_absolute_links(
    client, library, make_case_study, councils
):
    from demo.shell import paragraphs, stream

    index_link = '<a href="/case-studies/?theme=housing">more on housing</a>'
    make_case_study(
        "Tenant-run repairs",
        lead=councils["camden-council"],
        summary="Tenants run their own repairs service.",
        body=stream(*paragraphs("Repairs got faster.", f"See {index_link}.")),
        outcomes=stream(("figure", {"figure": "40%", "label": "faster repairs", "source": ""})),
    )
    feed = feedparser.parse(client.get("/case-studies/feed/").content)
    item = entry(feed, "Tenant-run repairs")
    assert item.summary == "Tenants run their own repairs service."
    [content] = item.content
    assert content.type == "text/html"
    html = content.value
    assert "<p>Tenants run their own repairs service.</p>" in html
    assert "Repairs got faster." in html
    assert "40%" in html and "faster repairs" in html
    assert 'href="http://testserver/case-studies/?theme=housing"' in html
    assert 'href="/' not in html
    # A case study without a body still has its summary as content.
    assert "A community energy co-operative on school roofs." in (
        entry(feed, "Community solar roofs").content[0].value
    )


def test_feed_answers_conditional_gets_and_changes_with_a_case_study(client, library):
    first = client.get("/case-studies/feed/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/case-studies/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/case-studies/feed/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    page = library["solar"]
    page.refresh_from_db()
    page.body = '[{"type": "paragraph", "value": "<p>Now on every school in the borough.</p>"}]'
    page.save_revision().publish()
    changed = client.get("/case-studies/feed/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Now on every school in the borough." in changed.content.decode()


# Atom and JSON Feed, beside the RSS ------------------------------------------------------------

SCHEMA = json.loads((Path(__file__).parents[1] / "home" / "jsonfeed_1_1.schema.json").read_text())


def test_the_atom_feed_is_valid_with_the_same_items_as_the_rss(client, library):
    response = client.get("/case-studies/feed/atom/?nation=england")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = feedparser.parse(response.content)
    assert not atom.bozo, atom.bozo_exception
    assert atom.version == "atom10"
    assert atom.feed.title == "CCIN case studies: England"
    rss = feedparser.parse(client.get("/case-studies/feed/?nation=england").content)
    assert [e.title for e in atom.entries] == [e.title for e in rss.entries]
    assert [e.id for e in atom.entries] == [e.id for e in rss.entries]
    solar = entry(atom, "Community solar roofs")
    assert solar.published_parsed[:3] == (2022, 1, 1)
    assert "A community energy co-operative on school roofs." in solar.content[0].value
    assert {tag.term for tag in solar.tags} == {"Net zero and energy"}


def test_the_json_feed_is_json_feed_1_1_with_the_same_items(client, library):
    response = client.get("/case-studies/feed/json/?theme=housing")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    document = json.loads(response.content)
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [error.message for error in validator.iter_errors(document)]
    assert not errors, errors
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "CCIN case studies: Housing"
    assert document["home_page_url"] == "http://testserver/case-studies/?theme=housing"
    assert document["feed_url"] == "http://testserver/case-studies/feed/json/?theme=housing"
    rss = feedparser.parse(client.get("/case-studies/feed/?theme=housing").content)
    assert [item["title"] for item in document["items"]] == [e.title for e in rss.entries]
    heat = next(i for i in document["items"] if i["title"] == "Warm homes and heat networks")
    assert (
        heat["id"] == heat["url"] == "http://testserver/case-studies/warm-homes-and-heat-networks/"
    )
    assert heat["date_published"] == "2026-01-01T00:00:00+00:00"
    assert heat["date_modified"]
    assert heat["tags"] == ["Housing", "Net zero and energy"]
    assert heat["authors"] == [{"name": "Inverclyde Council"}]
    assert heat["summary"] == "About Warm homes and heat networks."
    assert "About Warm homes and heat networks." in heat["content_html"]


@pytest.mark.parametrize("kind", ["", "atom/", "json/"])
def test_a_case_study_picture_is_each_feeds_enclosure(client, library, kind):
    from tests.api.conftest import make_image

    page = library["heat"]
    page.refresh_from_db()
    page.listing_image = make_image()
    page.save_revision().publish()
    body = client.get(f"/case-studies/feed/{kind}?nation=scotland").content
    if kind == "json/":
        heat = next(
            i for i in json.loads(body)["items"] if i["title"] == "Warm homes and heat networks"
        )
        assert heat["image"].startswith("http://testserver/")
        assert heat["image"].endswith(".fill-1200x630.png")
        assert "image" not in next(
            i for i in json.loads(body)["items"] if i["title"] == "Youth retention research"
        )
        return
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    [enclosure] = entry(feed, "Warm homes and heat networks").enclosures
    assert enclosure.href.startswith("http://testserver/")
    assert enclosure.href.endswith(".fill-1200x630.png")
    assert enclosure.type == "image/png"
    assert not entry(feed, "Youth retention research").enclosures


@pytest.mark.parametrize("kind", ["atom/", "json/"])
def test_atom_and_json_feeds_answer_conditional_gets_and_404_unknown_values(client, library, kind):
    first = client.get(f"/case-studies/feed/{kind}?theme=housing")
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(f"/case-studies/feed/{kind}?theme=housing", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other = client.get(f"/case-studies/feed/{kind}?theme=young-people")
    assert other["ETag"] != first["ETag"]
    missing = client.get(f"/case-studies/feed/{kind}?theme=nope")
    assert missing.status_code == 404
    assert missing.content.decode() == "We don't recognise the theme “nope”.\n"


def test_the_library_advertises_and_links_all_three_feeds_of_what_it_shows(client, library):
    page = client.get("/case-studies/?theme=housing").content.decode()
    query = "?theme=housing"
    for kind, mime in (
        ("", "application/rss+xml"),
        ("atom/", "application/atom+xml"),
        ("json/", "application/feed+json"),
    ):
        url = f"/case-studies/feed/{kind}{query}"
        kind_re, url_re = re.escape(mime), re.escape(url)
        head = f'<link rel="alternate" type="{kind_re}" title="[^"]+" href="{url_re}">'
        assert re.search(head, page), url
        assert f'href="{url}" type="{mime}"' in page  # the visible link beside the filters
    assert '<span class="visually-hidden">Case studies: Housing, </span>JSON Feed' in page
    # The e-mail alert follows the same feed.
    assert '<input type="hidden" name="feed" value="/case-studies/feed/?theme=housing">' in page


@pytest.mark.parametrize("kind", ["", "atom/", "json/"])
def test_a_case_study_leaving_the_feed_is_not_a_304_to_if_modified_since(client, library, kind):
    url = f"/case-studies/feed/{kind}?theme=housing"
    first = client.get(url)
    modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Log entries are timestamped to the second, as HTTP dates are.
    PageLogEntry.objects.update(timestamp=timezone.now() - timedelta(minutes=5))
    client.get(url)
    modified = client.get(url)["Last-Modified"]
    library["land"].unpublish()
    after = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)
    assert after.status_code == 200
    assert b"Community land trust" not in after.content
