"""The feed machinery every listing shares (home/feeds.py): JSON Feed 1.1 from any Django
feed, the enclosures of the XML feeds, the alternate links and their visible component,
and conditional GET."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import jsonschema
import pytest
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.test import RequestFactory

from home.feeds import (
    ConditionalFeedMixin,
    ExtendedAtomFeed,
    ExtendedRssFeed,
    JsonFeed,
    feed_links,
    feed_urls,
    revalidate,
)

SCHEMA = json.loads((Path(__file__).parent / "jsonfeed_1_1.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def validate_json_feed(document: dict) -> None:
    """Fail with every way the document breaks JSON Feed 1.1."""
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert not errors, errors


@dataclass
class Story:
    pk: int
    title: str
    summary: str
    published: datetime
    updated: datetime | None = None
    image: bool = False


STORIES = [
    Story(
        1,
        "Tom & Jerry's co-op",
        "Cats &amp; <em>mice</em>",
        datetime(2026, 5, 15, 9, tzinfo=UTC),
        datetime(2026, 5, 16, 10, 30, tzinfo=UTC),
        image=True,
    ),
    Story(2, "Plain", "Plain summary", datetime(2026, 1, 2, tzinfo=UTC)),
]


class StoryFeed(Feed):
    """A feed knowing nothing of JSON: only its feed_type changes."""

    title = "Stories"
    link = "/stories/"
    description = "Every story."
    author_name = "Co-operative Councils' Innovation Network"

    def items(self):
        return STORIES

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return f"/stories/{item.pk}/"

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return "Cllr Paul Cassidy"

    def item_categories(self, item):
        return ["Governance", "Local elections 2026"]

    def item_extra_kwargs(self, item):
        image = None
        if item.image:
            image = {
                "url": "http://testserver/m/a.png",
                "type": "image/png",
                "width": "1200",
                "height": "630",
            }
        return {"content_html": f"<p>Story {item.pk} in full.</p>", "image": image}


class JsonStoryFeed(StoryFeed):
    feed_type = JsonFeed


def get(feed_class, path="/stories/feed/json/"):
    request = RequestFactory().get(path)
    return feed_class()(request)


def test_any_django_feed_becomes_json_feed_1_1_by_its_feed_type():
    response = get(JsonStoryFeed)
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    document = json.loads(response.content)
    validate_json_feed(document)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Stories"
    assert document["home_page_url"] == "http://testserver/stories/"
    assert document["feed_url"] == "http://testserver/stories/feed/json/"
    assert document["description"] == "Every story."
    assert document["language"] == "en-gb"
    assert document["authors"] == [{"name": "Co-operative Councils' Innovation Network"}]
    first, second = document["items"]
    assert first["id"] == first["url"] == "http://testserver/stories/1/"
    assert first["title"] == "Tom & Jerry's co-op"
    assert first["content_html"] == "<p>Story 1 in full.</p>"
    assert first["summary"] == "Cats & mice"  # the RSS description's HTML, as plain text
    assert first["image"] == "http://testserver/m/a.png"
    assert first["date_published"] == "2026-05-15T09:00:00+00:00"
    assert first["date_modified"] == "2026-05-16T10:30:00+00:00"
    assert first["authors"] == [{"name": "Cllr Paul Cassidy"}]
    assert first["tags"] == ["Governance", "Local elections 2026"]
    assert "image" not in second and "date_modified" not in second


def test_the_schema_is_strict_about_what_json_feed_requires():
    """The schema the feeds are checked against rejects what the specification does."""
    good = json.loads(get(JsonStoryFeed).content)
    broken = [
        {k: v for k, v in good.items() if k != "version"},
        {**good, "version": "https://jsonfeed.org/version/1"},
        {k: v for k, v in good.items() if k != "items"},
        {**good, "items": [{k: v for k, v in good["items"][0].items() if k != "id"}]},
        {**good, "items": [{"id": "x"}]},  # neither content_html nor content_text
        {**good, "items": [{**good["items"][0], "date_published": "Fri, 15 May 2026 09:00:00"}]},
        {**good, "items": [{**good["items"][0], "date_modified": "2026-05-15 09:00"}]},
        {**good, "items": [{**good["items"][0], "tags": "Governance"}]},
        {**good, "items": [{**good["items"][0], "image": "/relative.png"}]},
        {**good, "authors": [{}]},
        {**good, "homepage": "http://testserver/"},  # a misspelt field is not an extension
    ]
    for document in broken:
        assert list(VALIDATOR.iter_errors(document)), document
    validate_json_feed({**good, "_ccin": {"filters": []}})  # extensions start with "_"


@pytest.mark.parametrize("feed_type", [ExtendedRssFeed, ExtendedAtomFeed])
def test_xml_feeds_carry_the_image_as_an_enclosure(feed_type):
    feed_class = type("Feed", (StoryFeed,), {"feed_type": feed_type})
    parsed = feedparser.parse(get(feed_class, "/stories/feed/").content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    first, second = parsed.entries
    assert [e.href for e in first.enclosures] == ["http://testserver/m/a.png"]
    assert first.enclosures[0].type == "image/png"
    assert first.media_content[0]["url"] == "http://testserver/m/a.png"
    assert second.enclosures == []
    assert first.content[0].value == "<p>Story 1 in full.</p>"


def test_a_listing_has_three_feeds_with_its_query_string():
    assert feed_urls("/news/feed/?kind=press-release&year=2026") == {
        "rss": "/news/feed/?kind=press-release&year=2026",
        "atom": "/news/feed/atom/?kind=press-release&year=2026",
        "json": "/news/feed/json/?kind=press-release&year=2026",
    }
    links = feed_links("/news/feed/?kind=press-release", "Press releases")
    assert [(link["title"], link["type"], link["url"]) for link in links] == [
        ("Press releases (RSS)", "application/rss+xml", "/news/feed/?kind=press-release"),
        ("Press releases (Atom)", "application/atom+xml", "/news/feed/atom/?kind=press-release"),
        (
            "Press releases (JSON Feed)",
            "application/feed+json",
            "/news/feed/json/?kind=press-release",
        ),
    ]
    assert feed_urls("/publications/feed")["atom"] == "/publications/feed/atom/"


def test_visible_feed_links_say_what_each_is():
    html = render_to_string(
        "components/feed_links.html",
        {
            "feeds": feed_links("/news/feed/?kind=press-release&year=2026", "Press releases"),
            "label": "Follow these articles",
        },
    )
    assert "Follow these articles:" in html
    # Visible "RSS", heard "Press releases, RSS feed": the visible text is in the name.
    assert (
        '<a class="news-feeds__link" href="/news/feed/?kind=press-release&amp;year=2026" '
        'type="application/rss+xml"><span class="visually-hidden">Press releases, </span>RSS'
        '<span class="visually-hidden"> feed</span></a>'
    ) in html
    assert '<span class="visually-hidden">Press releases, </span>Atom' in html
    assert '<span class="visually-hidden">Press releases, </span>JSON Feed</a>' in html
    assert "style=" not in html
    assert render_to_string("components/feed_links.html", {"feeds": []}).strip() == ""


class CountingFeed(ConditionalFeedMixin, JsonStoryFeed):
    """Says what it holds from a counter, as a real feed would from one aggregate query."""

    built = 0
    version = "1"

    def validators(self):
        return [self.version]

    def last_modified(self, request, *args, **kwargs):
        return datetime(2026, 5, 16, 10, 30, tzinfo=UTC)

    def items(self):
        type(self).built += 1
        return super().items()


def test_a_conditional_feed_answers_304_without_building(db):
    factory = RequestFactory()
    first = CountingFeed.view()(factory.get("/stories/feed/json/"))
    assert first.status_code == 200 and CountingFeed.built == 1
    assert first["Last-Modified"] == "Sat, 16 May 2026 10:30:00 GMT"
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    etag = first["ETag"]
    again = CountingFeed.view()(factory.get("/stories/feed/json/", HTTP_IF_NONE_MATCH=etag))
    assert again.status_code == 304 and CountingFeed.built == 1
    since = factory.get("/stories/feed/json/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert CountingFeed.view()(since).status_code == 304
    # Another address (another filter) has its own ETag.
    other = CountingFeed.view()(factory.get("/stories/feed/json/?year=2025"))
    assert other["ETag"] != etag
    CountingFeed.version = "2"
    changed = CountingFeed.view()(factory.get("/stories/feed/json/", HTTP_IF_NONE_MATCH=etag))
    assert changed.status_code == 200 and CountingFeed.built == 3


def test_revalidate_gives_a_built_feed_an_etag_and_304s():
    factory = RequestFactory()
    response = revalidate(factory.get("/stories/feed/"), get(StoryFeed, "/stories/feed/"))
    assert response.status_code == 200 and response["ETag"]
    assert "max-age=300" in response["Cache-Control"]
    repeat = factory.get("/stories/feed/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert revalidate(repeat, get(StoryFeed, "/stories/feed/")).status_code == 304
