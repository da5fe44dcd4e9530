"""Feeds of /publications/ and /policy-labs/: RSS, Atom and JSON Feed, filtered as the lists."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from casestudies.models import (
    PolicyLabsIndexPage,
    PolicyProjectPage,
    ProjectStatus,
    ProjectType,
    PublicationIndexPage,
    PublicationPage,
)
from demo.casestudies import summary_sheet
from demo.shell import paragraphs, stream
from tests.home.test_json_feed import validate_json_feed

pytestmark = pytest.mark.django_db

FORMATS = ("", "atom/", "json/")


@pytest.fixture
def publications(home_page, councils, themes, site_settings):
    index = PublicationIndexPage(
        title="Publications", slug="publications", summary="The network's reports."
    )
    home_page.add_child(instance=index)
    index.save_revision().publish()
    cover = get_image_model().objects.create(
        title="Net zero cover", file=get_test_image_file(size=(600, 850))
    )
    for title, year, month, theme, live in [
        ("Co-operative Approaches to Reaching Net Zero", 2022, 2, "net-zero-and-energy", True),
        ("Beyond Asset Transfer", 2021, 3, "housing", True),
        ("Members' Pack 2025", 2025, None, None, True),
        ("An unpublished report", 2026, 1, "housing", False),
    ]:
        page = PublicationPage(
            title=title,
            year=year,
            month=month,
            summary=f"What {title} found.",
            themes=[themes[theme]] if theme else [],
            partner_councils=[councils["kirklees-council"]] if year == 2022 else [],
            partner_organisations="Co-operative Futures" if year == 2022 else "",
            cover_image=cover if year == 2022 else None,
            document=summary_sheet({"title": title, "year": year, "summary": title}),
            body=stream(*paragraphs(f"The findings of {title}.")),
            live=False,
        )
        index.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
    return index


@pytest.fixture
def labs(home_page, councils, site_settings):
    index = PolicyLabsIndexPage(title="Policy Labs and Prototypes", slug="policy-labs")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    for title, kind, round_label, status, lead in [
        ("Development corporations", ProjectType.LAB, "2026", ProjectStatus.ACTIVE, "camden"),
        ("Youth retention", ProjectType.PROTOTYPE, "2026", ProjectStatus.ACTIVE, "inverclyde"),
        ("Health inequalities", ProjectType.LAB, "2024/5", ProjectStatus.COMPLETED, "kirklees"),
    ]:
        page = PolicyProjectPage(
            title=title,
            project_type=kind,
            round=round_label,
            status=status,
            summary=f"About {title}.",
            lead_councils=[councils[f"{lead}-council"]],
            body=stream(*paragraphs(f"What {title} is doing.")),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    return index


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


def json_feed(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/feed+json")
    document = json.loads(response.content)
    validate_json_feed(document)
    return document


# Publications --------------------------------------------------------------------------------


def test_publication_feeds_carry_every_live_report_newest_first(client, publications):
    expected = [
        "Members' Pack 2025",
        "Co-operative Approaches to Reaching Net Zero",
        "Beyond Asset Transfer",
    ]
    for url in ("/publications/feed/", "/publications/feed/atom/"):
        parsed = parse(client, url)
        assert [entry.title for entry in parsed.entries] == expected
        net_zero = parsed.entries[1]
        link = "http://testserver/publications/co-operative-approaches-to-reaching-net-zero/"
        assert net_zero.link == link and net_zero.id == link
        content = net_zero.content[0].value
        assert "The findings of Co-operative Approaches to Reaching Net Zero." in content
        assert "Written with Kirklees Council, Co-operative Futures." in content
        assert re.search(r'href="http://testserver/[^"]+\.pdf"', content)
        # Dated by the report's own month, not the day it was put online.
        assert net_zero.published_parsed[:2] == (2022, 2)
        assert {tag.term for tag in net_zero.tags} == {"Publication", "Net zero and energy"}
        assert net_zero.author == "Kirklees Council, Co-operative Futures"
    rss = parse(client, "/publications/feed/")
    enclosure = rss.entries[1].enclosures[0]
    assert enclosure.type.startswith("image/")
    assert enclosure.href.startswith("http://testserver/media-files/images/")
    assert rss.entries[0].get("enclosures") == []


def test_publication_json_feed_has_the_required_fields(client, publications):
    feed = json_feed(client, "/publications/feed/json/")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"].endswith("publications")
    assert feed["home_page_url"] == "http://testserver/publications/"
    assert feed["feed_url"] == "http://testserver/publications/feed/json/"
    assert feed["description"] == "The network's reports."
    assert [item["title"] for item in feed["items"]][:1] == ["Members' Pack 2025"]
    for item in feed["items"]:
        assert item["id"] == item["url"]
        assert item["content_html"] and item["date_published"]
    assert feed["items"][1]["image"].startswith("http://testserver/media-files/images/")
    assert "Net zero and energy" in feed["items"][1]["tags"]


def test_publication_feeds_follow_the_lists_filters(client, publications):
    parsed = parse(client, "/publications/feed/?theme=housing")
    assert [entry.title for entry in parsed.entries] == ["Beyond Asset Transfer"]
    assert parsed.feed.title.endswith("publications: Housing")
    assert parsed.feed.link == "http://testserver/publications/?theme=housing"
    feed = json_feed(client, "/publications/feed/json/?year=2022&theme=net-zero-and-energy")
    assert [item["title"] for item in feed["items"]] == [
        "Co-operative Approaches to Reaching Net Zero"
    ]
    # Junk the list ignores, the feed ignores too.
    assert len(parse(client, "/publications/feed/?page=abc&utm_source=x").entries) == 3


@pytest.mark.parametrize(
    "query", ["theme=nope", "year=1800", "year=abc", "year=2022&theme=%3Cscript%3E"]
)
@pytest.mark.parametrize("kind", FORMATS)
def test_publication_feed_with_an_unknown_filter_is_a_404_that_says_so(
    client, publications, kind, query
):
    response = client.get(f"/publications/feed/{kind}?{query}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert "We don't recognise the " in response.content.decode()


def test_publications_list_advertises_and_links_its_feeds(client, publications):
    text = client.get("/publications/?theme=housing").content.decode()
    for kind, path in [
        ("application/rss+xml", "feed/"),
        ("application/atom+xml", "feed/atom/"),
        ("application/feed+json", "feed/json/"),
    ]:
        url = f"/publications/{path}?theme=housing"
        assert re.search(
            rf'<link rel="alternate" type="{re.escape(kind)}" title="Publications: Housing '
            rf'[^"]*" href="{re.escape(url)}"',
            text,
        )
        assert f'<a class="news-feeds__link" href="{url}"' in text
    assert '<input type="hidden" name="feed" value="/publications/feed/?theme=housing">' in text


# Policy projects -----------------------------------------------------------------------------


def test_policy_project_feeds_carry_every_project(client, labs):
    for url in ("/policy-labs/feed/", "/policy-labs/feed/atom/"):
        parsed = parse(client, url)
        titles = [entry.title for entry in parsed.entries]
        assert sorted(titles) == [
            "Development corporations",
            "Health inequalities",
            "Youth retention",
        ]
        entry = next(e for e in parsed.entries if e.title == "Youth retention")
        assert entry.link == entry.id == "http://testserver/policy-labs/youth-retention/"
        content = entry.content[0].value
        assert "What Youth retention is doing." in content
        assert "Policy Prototype (funding up to £2,000)" in content
        assert "Inverclyde Council" in content
        assert {tag.term for tag in entry.tags} == {"Policy Prototype", "Round 2026", "Active"}
        assert entry.author == "Inverclyde Council"
    feed = json_feed(client, "/policy-labs/feed/json/")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == "http://testserver/policy-labs/"
    assert len(feed["items"]) == 3
    assert all(item["id"] == item["url"] and item["content_html"] for item in feed["items"])


def test_policy_project_feeds_follow_the_status_filter(client, labs):
    parsed = parse(client, "/policy-labs/feed/?status=completed")
    assert [entry.title for entry in parsed.entries] == ["Health inequalities"]
    assert parsed.feed.link == "http://testserver/policy-labs/?status=completed"
    for kind in FORMATS:
        response = client.get(f"/policy-labs/feed/{kind}?status=finished")
        assert response.status_code == 404
        assert "We don't recognise the status “finished”." in response.content.decode()


def test_policy_labs_page_advertises_the_feeds_of_its_filter(client, labs):
    text = client.get("/policy-labs/?status=active").content.decode()
    assert re.search(
        r'<link rel="alternate" type="application/feed\+json" title="[^"]*Active[^"]*" '
        r'href="/policy-labs/feed/json/\?status=active"',
        text,
    )
    assert '<a class="news-feeds__link" href="/policy-labs/feed/?status=active"' in text
    assert '<input type="hidden" name="feed" value="/policy-labs/feed/?status=active">' in text


def test_unpublished_project_leaves_the_feed(client, labs):
    PolicyProjectPage.objects.get(title="Youth retention").unpublish()
    titles = [e.title for e in parse(client, "/policy-labs/feed/").entries]
    assert "Youth retention" not in titles


# Conditional GET -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [f"/publications/feed/{kind}?theme=housing" for kind in FORMATS]
    + [f"/policy-labs/feed/{kind}" for kind in FORMATS],
)
def test_feeds_answer_conditional_gets(client, publications, labs, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "max-age=300" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_new_publication_changes_the_feed(client, publications):
    etag = client.get("/publications/feed/")["ETag"]
    page = PublicationPage(title="A new report", year=2026, month=6)
    publications.add_child(instance=page)
    page.save_revision().publish()
    cache.clear()
    fresh = client.get("/publications/feed/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert feedparser.parse(fresh.content).entries[0].title == "A new report"


def test_a_repeat_poll_costs_few_queries(client, publications, django_assert_max_num_queries):
    etag = client.get("/publications/feed/")["ETag"]
    with django_assert_max_num_queries(8):
        assert client.get("/publications/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_no_report_or_project_can_take_the_feed_address(publications, labs):
    with pytest.raises(Exception, match="address of the list's feeds"):
        publications.add_child(instance=PublicationPage(title="Feed", slug="feed"))
    project = PolicyProjectPage(title="Feed", slug="feed", round="2026")
    with pytest.raises(Exception, match="address of the list's feeds"):
        labs.add_child(instance=project)


def test_a_report_leaving_the_feed_is_never_a_stale_304(client, publications, monkeypatch):
    """Unpublished: nothing the feed still holds is newer, but a reader that sends only
    If-Modified-Since still gets the feed without it."""
    url = "/publications/feed/"
    before = client.get(url)
    later = timezone.now() + timedelta(minutes=1)  # HTTP dates count whole seconds
    monkeypatch.setattr(timezone, "now", lambda: later)
    PublicationPage.objects.get(title="Beyond Asset Transfer").unpublish()
    for headers in (
        {"HTTP_IF_NONE_MATCH": before["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": before["Last-Modified"]},
    ):
        after = client.get(url, **headers)
        assert after.status_code == 200, headers
        assert "Beyond Asset Transfer" not in after.content.decode()
