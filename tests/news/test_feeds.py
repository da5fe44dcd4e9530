"""RSS and Atom feeds, parsed as a feed reader would, and their conditional GETs."""

import calendar
import html
import json

import feedparser
import pytest
from wagtail.models import PageViewRestriction

from demo.shell import stream
from news.feeds import FEED_SIZE
from news.models import NewsKind, NewsPageChangeNote
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def parse(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


def utc(struct) -> int:
    return calendar.timegm(struct)


@pytest.fixture
def rich_article(make_article, image, home_page):
    body = stream(
        (
            "paragraph",
            f'<p>See <a linktype="page" id="{home_page.pk}">the home page</a> and '
            '<a href="/about/">about us</a> or <a href="#notes">the notes</a>.</p>',
        ),
        ("image", {"image": image.pk, "alt_text": "The council chamber", "caption": ""}),
    )
    page = make_article(
        "Councils & communities: a statement",
        slug="statement",
        kind=NewsKind.PRESS_RELEASE,
        category="governance",
        tags=("Local elections 2026",),
        authors=(("Cllr Paul Cassidy", "Interim Chair of CCIN"),),
        release_date=when(2026, 5, 15, 9),
        summary="Tom & Jerry's <summary>.",
        body=body,
        listing_image=image,
    )
    return page


def test_rss_feed_is_valid_and_complete(client, rich_article, make_article):
    make_article("Older", release_date=when(2014, 6, 5))
    response, feed = parse(client, "/news/feed/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feed.version == "rss20"
    assert feed.feed.title == "CCIN news"
    assert feed.feed.link == "http://testserver/news/"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == ["http://testserver/news/feed/"]
    assert [e.title for e in feed.entries] == ["Councils & communities: a statement", "Older"]

    entry = feed.entries[0]
    url = "http://testserver/news/statement/"
    assert entry.link == url
    assert entry.id == url and entry.guidislink is False  # an explicit guid that is the permalink
    assert utc(entry.published_parsed) == int(when(2026, 5, 15, 9).timestamp())
    assert utc(entry.updated_parsed) == int(when(2026, 5, 15, 9).timestamp())
    assert entry.author == "Cllr Paul Cassidy"
    assert [t.term for t in entry.tags] == ["Governance", "Local elections 2026"]
    assert html.unescape(entry.summary) == "Tom & Jerry's <summary>."
    content = entry.content[0].value
    assert 'href="http://testserver/"' in content  # internal page link, made absolute
    assert 'href="http://testserver/about/"' in content
    assert 'href="http://testserver/news/statement/#notes"' in content
    assert 'src="http://testserver/media-files/images/' in content
    assert 'alt="The council chamber"' in content
    assert "Notes to editors" in content  # press releases carry their notes
    media = entry.media_content[0]
    assert media["url"].startswith("http://testserver/media-files/images/")
    assert media["medium"] == "image"
    assert int(media["width"]) > 0 and int(media["height"]) > 0
    assert media["type"] == "image/png"


def test_atom_feed_is_valid_and_complete(client, rich_article):
    _, feed = parse(client, "/news/feed/atom/")
    assert feed.version == "atom10"
    assert feed.feed.id == "http://testserver/news/"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == ["http://testserver/news/feed/atom/"]
    assert feed.feed.author == "Co-operative Councils' Innovation Network"
    entry = feed.entries[0]
    assert entry.id == "http://testserver/news/statement/"
    assert entry.link == "http://testserver/news/statement/"
    assert utc(entry.published_parsed) == int(when(2026, 5, 15, 9).timestamp())
    assert utc(entry.updated_parsed) == int(when(2026, 5, 15, 9).timestamp())
    assert entry.content[0].type == "text/html"
    assert 'src="http://testserver/media-files/images/' in entry.content[0].value
    assert entry.title == "Councils & communities: a statement"
    assert entry.media_content[0]["url"].startswith("http://testserver/")


def test_change_notes_update_the_feed_date_and_ids_stay_stable(client, rich_article):
    _, before = parse(client, "/news/feed/atom/")
    NewsPageChangeNote.objects.create(
        page=rich_article, changed_at=when(2026, 5, 16, 10), note="Corrected the list of councils"
    )
    rich_article.title = "Councils and communities: a corrected statement"
    rich_article.save_revision().publish()
    _, after_atom = parse(client, "/news/feed/atom/")
    _, after_rss = parse(client, "/news/feed/")
    assert after_atom.entries[0].id == before.entries[0].id
    assert after_rss.entries[0].id == before.entries[0].id
    for feed in (after_atom, after_rss):
        entry = feed.entries[0]
        assert utc(entry.updated_parsed) == int(when(2026, 5, 16, 10).timestamp())
        assert utc(entry.published_parsed) == int(when(2026, 5, 15, 9).timestamp())
        assert "Corrected the list of councils" in entry.content[0].value


def test_feeds_leave_out_drafts_and_private_articles(client, make_article):
    make_article("Public")
    make_article("Draft", publish=False)
    private = make_article("Private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    for url in ("/news/feed/", "/news/feed/atom/", "/news/category/news/feed/"):
        _, feed = parse(client, url)
        assert [e.title for e in feed.entries] == ["Public"], url


def test_feed_holds_the_newest_articles_only(client, make_article):
    for n in range(FEED_SIZE + 2):
        make_article(f"Item {n:02d}", release_date=when(2026, 1, 1 + n))
    _, feed = parse(client, "/news/feed/")
    assert len(feed.entries) == FEED_SIZE
    assert feed.entries[0].title == f"Item {FEED_SIZE + 1:02d}"


def test_category_and_tag_feeds(client, make_article):
    make_article("Gov", category="governance", tags=("Devolution",))
    make_article("Com", category="community")
    _, feed = parse(client, "/news/category/governance/feed/")
    assert feed.feed.title == "CCIN news: Governance"
    assert feed.feed.link == "http://testserver/news/category/governance/"
    assert [e.title for e in feed.entries] == ["Gov"]
    _, atom = parse(client, "/news/category/governance/feed/atom/")
    assert atom.version == "atom10" and [e.title for e in atom.entries] == ["Gov"]
    _, feed = parse(client, "/news/tag/devolution/feed/")
    assert feed.feed.title == "CCIN news tagged “Devolution”"
    assert [e.title for e in feed.entries] == ["Gov"]
    _, atom = parse(client, "/news/tag/devolution/feed/atom/")
    assert [e.title for e in atom.entries] == ["Gov"]


def test_category_with_no_articles_has_an_empty_valid_feed(client, make_article):
    make_article(category="news")
    _, feed = parse(client, "/news/category/events/feed/")
    assert feed.entries == []
    _, atom = parse(client, "/news/category/events/feed/atom/")
    assert atom.entries == []


@pytest.mark.parametrize(
    "url",
    [
        "/news/category/nope/feed/",
        "/news/tag/nope/feed/",
        "/news/category/nope/feed/atom/",
        "/news/tag/nope/feed/atom/",
        "/news/feed/nope/",
    ],
)
def test_unknown_feed_is_404(client, make_article, url):
    make_article()
    assert client.get(url).status_code == 404


def test_feeds_answer_conditional_gets(client, make_article, site_settings):
    # The settings row exists, as on a running site (creating it is itself a change).
    make_article("First")
    first = client.get("/news/feed/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert "max-age=300" in first["Cache-Control"]

    assert client.get("/news/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/news/feed/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Atom has its own validators.
    atom = client.get("/news/feed/atom/")
    assert atom["ETag"] != etag
    assert client.get("/news/feed/atom/", HTTP_IF_NONE_MATCH=atom["ETag"]).status_code == 304

    second = make_article("Second")
    changed = client.get("/news/feed/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag

    # Unpublishing changes the feed too, even though nothing newer was published.
    etag = changed["ETag"]
    second.unpublish()
    after = client.get("/news/feed/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert "Second" not in after.content.decode()


def test_conditional_get_costs_few_queries(
    client, make_article, site_settings, django_assert_max_num_queries
):
    for _ in range(5):
        make_article()
    etag = client.get("/news/feed/")["ETag"]
    # Site + page routing and view-restriction checks are Wagtail's; one aggregate is ours.
    with django_assert_max_num_queries(8):
        assert client.get("/news/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_every_page_advertises_the_news_feeds(client, news_index):
    html = client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/rss+xml" title="CCIN news (RSS)" '
        'href="/news/feed/">'
    ) in head
    assert (
        '<link rel="alternate" type="application/atom+xml" title="CCIN news (Atom)" '
        'href="/news/feed/atom/">'
    ) in head


def test_json_is_not_needed_to_read_a_feed(client, rich_article):
    # Sanity: the feed is XML, not something a reader would choke on.
    body = client.get("/news/feed/").content
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


def test_an_item_follows_the_press_office_contacts(client, make_article, site_settings):
    """An item shows more than its article: changing the press office's e-mail in the site
    settings changes every press release's item, and readers holding the old ETag get it."""
    site_settings.press_office_email = "press@councils.coop"
    site_settings.save()
    make_article("Statement", kind=NewsKind.PRESS_RELEASE)
    first = client.get("/news/feed/")
    assert "press@councils.coop" in html.unescape(first.content.decode())

    site_settings.press_office_email = "media@councils.coop"
    site_settings.save()
    second = client.get("/news/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    text = html.unescape(second.content.decode())
    assert "media@councils.coop" in text
    assert "press@councils.coop" not in text


def test_a_feed_of_one_kind(client, make_article):
    make_article("Statement", kind=NewsKind.PRESS_RELEASE)
    make_article("Round-up", kind=NewsKind.NEWS, category="governance")
    make_article("Comment", kind=NewsKind.OPINION)
    for url in ("/news/feed/?kind=press-release", "/news/feed/atom/?kind=press-release"):
        _, feed = parse(client, url)
        assert [entry.title for entry in feed.entries] == ["Statement"]
        assert "press releases" in feed.feed.title
    _, governance = parse(client, "/news/category/governance/feed/?kind=news")
    assert [entry.title for entry in governance.entries] == ["Round-up"]
    _, opinion = parse(client, "/news/category/governance/feed/?kind=opinion")
    assert opinion.entries == []


def test_an_unknown_kind_is_a_404_not_every_kind(client, make_article):
    make_article("Statement", kind=NewsKind.PRESS_RELEASE)
    response = client.get("/news/feed/?kind=rumours")
    assert response.status_code == 404
    assert "rumours" in response.content.decode()


def test_a_listing_of_one_kind_advertises_the_feed_of_that_kind(client, make_article):
    make_article("Statement", kind=NewsKind.PRESS_RELEASE, category="governance")
    html_text = client.get("/news/?kind=press-release&category=governance").content.decode()
    # The listing's own address and filters, as every listing's feeds are (docs/feeds.md).
    assert 'href="/news/feed/?kind=press-release&amp;category=governance"' in html_text
    on_category_page = client.get("/news/category/governance/?kind=press-release")
    assert 'href="/news/category/governance/feed/?kind=press-release"' in (
        on_category_page.content.decode()
    )
    everything = client.get("/news/?kind=press-release").content.decode()
    assert 'title="Press releases (RSS)" href="/news/feed/?kind=press-release"' in everything
    _, feed = parse(client, "/news/category/governance/feed/?kind=press-release")
    assert [entry.title for entry in feed.entries] == ["Statement"]
