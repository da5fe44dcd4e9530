"""Members' Update: the archive at /members-update/, its issues, feeds and demo content."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from io import StringIO

import feedparser
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision
from wagtail.test.utils import WagtailTestUtils

from demo.shell import paragraphs, stream
from news.models import MembersUpdateIndexPage, MembersUpdatePage
from news.models.newsletter import ISSUES_PER_PAGE
from tests.home.test_json_feed import validate_json_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(home_page) -> MembersUpdateIndexPage:
    page = MembersUpdateIndexPage(
        title="Members' Update",
        slug="members-update",
        intro="<p>The network's newsletter to its member councils.</p>",
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def make_issue(archive):
    counter = iter(range(1, 10_000))

    def make(issue_date: date, *, publish: bool = True, **fields) -> MembersUpdatePage:
        n = next(counter)
        issue = MembersUpdatePage(
            title=fields.pop("title", f"Members' Update — {issue_date:%B %Y}"),
            slug=fields.pop("slug", f"issue-{n}"),
            issue_date=issue_date,
            summary=fields.pop("summary", f"What happened in {issue_date:%B %Y}."),
            body=fields.pop("body", stream(*paragraphs(f"The news of issue {n}."))),
            live=False,
            **fields,
        )
        archive.add_child(instance=issue)
        revision = issue.save_revision()
        if publish:
            revision.publish()
        return issue

    return make


@pytest.fixture
def issues(make_issue) -> dict[str, MembersUpdatePage]:
    return {
        "may": make_issue(
            date(2026, 5, 19),
            title="Members' Update — May 2026",
            issue_number=12,
            political=True,
        ),
        "february": make_issue(date(2026, 2, 10), title="Members' Update — February 2026"),
        "old": make_issue(date(2025, 7, 31), title="Members' Update — July 2025"),
        "draft": make_issue(date(2026, 6, 30), title="A draft issue", publish=False),
    }


def titles(text: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]*)</a>', text)


def json_ld(text: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', text, re.S)
    return [node for block in blocks for node in json.loads(block)["@graph"]]


# Tree rules ----------------------------------------------------------------------------------


class TestTree(WagtailTestUtils):
    def test_one_archive_under_the_home_page_holding_only_issues(self):
        assert MembersUpdateIndexPage.max_count == 1
        assert MembersUpdateIndexPage.parent_page_types == ["home.HomePage"]
        assert MembersUpdateIndexPage.subpage_types == ["news.MembersUpdatePage"]
        assert MembersUpdatePage.parent_page_types == ["news.MembersUpdateIndexPage"]
        assert MembersUpdatePage.subpage_types == []

    def test_an_issue_cannot_take_the_feed_address(self, archive):
        issue = MembersUpdatePage(title="Feed", slug="feed", issue_date=date(2026, 1, 1))
        with pytest.raises(Exception, match="used by the archive"):
            archive.add_child(instance=issue)


# The archive ---------------------------------------------------------------------------------


def test_archive_lists_live_issues_newest_first_grouped_by_year(client, archive, issues):
    response = client.get("/members-update/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Members&#x27; Update</h1>" in text
    assert "newsletter to its member councils" in text
    assert titles(text) == [
        "Members&#x27; Update — May 2026",
        "Members&#x27; Update — February 2026",
        "Members&#x27; Update — July 2025",
    ]
    assert "A draft issue" not in text
    assert "3 issues" in text
    assert text.index('<h3 id="year-2026">2026</h3>') < text.index('<h3 id="year-2025">2025</h3>')
    # Each card says when the issue went out, and its number when it has one.
    assert "Issue 12 · May 2026" in text and "February 2026" in text


def test_archive_filters_by_year(client, archive, issues):
    response = client.get("/members-update/?year=2025")
    assert response.status_code == 200
    text = response.content.decode()
    assert titles(text) == ["Members&#x27; Update — July 2025"]
    assert "1 issue from 2025" in text
    # The year's choices are the years that have an issue, newest first.
    assert re.findall(r'<option value="(\d{4})"', text) == ["2026", "2025"]
    # The feeds it offers are that year's.
    assert 'href="/members-update/feed/?year=2025"' in text


@pytest.mark.parametrize(
    "query", ["year=1999", "year=abc", "year=%3Cscript%3E", "year=" + "9" * 500]
)
def test_archive_unknown_year_is_a_404_that_says_so(client, archive, issues, query):
    response = client.get(f"/members-update/?{query}")
    assert response.status_code == 404
    text = response.content.decode()
    assert "We don&#x27;t recognise the year" in text
    assert "<script>" not in text
    assert len(titles(text)) == 3  # still the whole archive below the notice


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "2"])
def test_archive_junk_page_numbers_show_a_page(client, archive, issues, page):
    response = client.get(f"/members-update/?page={page}")
    assert response.status_code == 200
    assert len(titles(response.content.decode())) == 3


def test_archive_paginates(client, archive, make_issue):
    for month in range(1, 13):
        make_issue(date(2024, month, 1))
    make_issue(date(2024, 1, 1), title="Another January issue")
    make_issue(date(2023, 12, 1), title="The oldest issue")
    first = client.get("/members-update/").content.decode()
    assert len(titles(first)) == ISSUES_PER_PAGE
    assert "The oldest issue" not in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get("/members-update/?page=2").content.decode()
    assert titles(second)[-1] == "The oldest issue"
    assert '<link rel="canonical" href="http://testserver/members-update/?page=2">' in second
    # Past the end: the last page.
    last = client.get("/members-update/?page=40").content.decode()
    assert titles(last)[-1] == "The oldest issue"
    # The year filter stays in the page links.
    text = client.get("/members-update/?year=2024").content.decode()
    assert 'href="?year=2024&amp;page=2"' in text


def test_archive_advertises_and_links_its_feeds(client, archive, issues):
    text = client.get("/members-update/").content.decode()
    for kind, url in [
        ("application/rss+xml", "/members-update/feed/"),
        ("application/atom+xml", "/members-update/feed/atom/"),
        ("application/feed+json", "/members-update/feed/json/"),
    ]:
        assert re.search(rf'<link rel="alternate" type="{re.escape(kind)}"[^>]*href="{url}"', text)
        assert f'<a class="news-feeds__link" href="{url}"' in text
    # And an e-mail alert for the same feed.
    assert '<input type="hidden" name="feed" value="/members-update/feed/">' in text
    assert "Subscribe to issues of Members' Update" in text


def test_archive_with_no_issues_says_so(client, archive):
    text = client.get("/members-update/").content.decode()
    assert "No issues have been published yet." in text


def test_footer_links_the_archive(client, archive, issues):
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert '<a href="/members-update/">Members&#x27; Update</a>' in footer


def test_footer_has_no_archive_link_without_one(client, home_page):
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert "members-update" not in footer


# An issue ------------------------------------------------------------------------------------


def test_issue_page_shows_its_date_body_breadcrumbs_and_json_ld(client, archive, issues):
    issue = issues["may"]
    response = client.get(issue.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 id="issue-title">Members&#x27; Update — May 2026</h1>' in text
    assert '<time datetime="2026-05-19">19 May 2026</time>' in text
    assert "Issue 12" in text
    assert "The news of issue 1." in text
    crumbs = re.search(r'<nav class="breadcrumbs[^>]*>(.*?)</nav>', text, re.S).group(1)
    assert '<a href="/members-update/">Members&#x27; Update</a>' in crumbs
    assert 'aria-current="page">Members&#x27; Update — May 2026<' in crumbs
    nodes = {node["@type"]: node for node in json_ld(text)}
    article = nodes["Article"]
    assert article["headline"] == "Members' Update — May 2026"
    assert article["datePublished"] == "2026-05-19"
    assert article["isPartOf"] == {
        "@type": "Periodical",
        "name": "Members' Update",
        "url": "http://testserver/members-update/",
    }
    names = [item["name"] for item in nodes["BreadcrumbList"]["itemListElement"]]
    assert names == ["Home", "Members' Update", "Members' Update — May 2026"]


def test_issue_page_offers_its_pdf(client, archive, make_issue):
    document = get_document_model().objects.create(title="Members' Update March 2026")
    document.file.save("members-update-march-2026.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    issue = make_issue(date(2026, 3, 12), document=document)
    text = client.get(issue.url).content.decode()
    assert "Download this issue" in text
    assert "(PDF" in text
    node = next(n for n in json_ld(text) if n["@type"] == "Article")
    assert node["associatedMedia"]["contentUrl"].endswith(".pdf")


def test_draft_issue_is_not_served(client, archive, issues):
    assert client.get("/members-update/issue-4/").status_code == 404


def test_issue_is_found_by_site_search_backend(archive, issues):
    found = MembersUpdatePage.objects.live().search("February 2026")
    assert issues["february"] in list(found)


# Feeds ---------------------------------------------------------------------------------------


def test_rss_and_atom_feeds_parse_with_every_issue(client, archive, issues):
    for url in ("/members-update/feed/", "/members-update/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert [entry.title for entry in parsed.entries] == [
            "Members' Update — May 2026",
            "Members' Update — February 2026",
            "Members' Update — July 2025",
        ]
        entry = parsed.entries[0]
        assert entry.link == "http://testserver/members-update/issue-1/"
        assert entry.id == "http://testserver/members-update/issue-1/"
        assert "The news of issue 1." in entry.content[0].value
        assert entry.published_parsed[:3] == (2026, 5, 19)
        assert {tag.term for tag in entry.tags} == {"Members' Update", "2026"}


def test_json_feed_has_the_required_fields(client, archive, issues):
    response = client.get("/members-update/feed/json/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    validate_json_feed(feed)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"] == "http://testserver/members-update/"
    assert feed["feed_url"] == "http://testserver/members-update/feed/json/"
    assert len(feed["items"]) == 3
    item = feed["items"][0]
    assert item["id"] == item["url"] == "http://testserver/members-update/issue-1/"
    assert "The news of issue 1." in item["content_html"]
    assert item["date_published"].startswith("2026-05-19")


def test_feed_of_one_year_and_an_unknown_year(client, archive, issues):
    parsed = feedparser.parse(client.get("/members-update/feed/?year=2025").content)
    assert [entry.title for entry in parsed.entries] == ["Members' Update — July 2025"]
    for url in ("/members-update/feed/?year=1999", "/members-update/feed/json/?year=abc"):
        response = client.get(url)
        assert response.status_code == 404
        assert "We don't recognise the year" in response.content.decode()


def test_feeds_answer_conditional_gets_until_an_issue_is_published(
    client, archive, make_issue, site_settings
):
    # The settings row exists, as on a running site (creating it is itself a change).
    make_issue(date(2026, 2, 10))
    for url in (
        "/members-update/feed/",
        "/members-update/feed/atom/",
        "/members-update/feed/json/",
    ):
        first = client.get(url)
        assert first.has_header("ETag") and first.has_header("Last-Modified")
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
    etag = client.get("/members-update/feed/")["ETag"]
    make_issue(date(2026, 3, 10), title="A new issue")
    cache.clear()
    fresh = client.get("/members-update/feed/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert "A new issue" in fresh.content.decode()


def test_unpublished_issue_leaves_the_feed(client, archive, issues):
    MembersUpdatePage.objects.get(pk=issues["february"].pk).unpublish()
    parsed = feedparser.parse(client.get("/members-update/feed/").content)
    assert "Members' Update — February 2026" not in [e.title for e in parsed.entries]


# Demo ----------------------------------------------------------------------------------------


def test_demo_builds_the_archive_once(client):
    call_command("load_demo_content", stdout=StringIO())
    revisions = Revision.objects.count()
    call_command("load_demo_content", stdout=StringIO())
    assert Revision.objects.count() == revisions  # the second run changes nothing
    archive = MembersUpdateIndexPage.objects.get()
    assert archive.url == "/members-update/"
    issues = MembersUpdatePage.objects.child_of(archive).live()
    assert issues.count() >= 2
    assert Page.objects.filter(slug="members-update").count() == 1
    text = client.get("/members-update/").content.decode()
    assert "Co-op Congress" in text
    for issue in issues:
        response = client.get(issue.url)
        assert response.status_code == 200
        body = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0].lower()
        for placeholder in ("lorem", "coming soon", "todo", "placeholder", "example"):
            assert placeholder not in body
    parsed = feedparser.parse(client.get("/members-update/feed/").content)
    assert parsed.bozo == 0 and len(parsed.entries) == issues.count()


def test_an_issue_leaving_the_feed_is_never_a_stale_304(
    client, archive, issues, site_settings, monkeypatch
):
    url = "/members-update/feed/json/"
    before = client.get(url)
    later = timezone.now() + timedelta(minutes=1)  # HTTP dates count whole seconds
    monkeypatch.setattr(timezone, "now", lambda: later)
    MembersUpdatePage.objects.get(pk=issues["old"].pk).unpublish()
    after = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert "July 2025" not in after.content.decode()


def test_editors_can_add_an_issue_in_the_admin(admin_client, archive):
    response = admin_client.get(f"/admin/pages/add/news/membersupdatepage/{archive.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    for field in ("issue_date", "issue_number", "summary", "document"):
        assert f'name="{field}' in text, field
    home = archive.get_parent()
    # One archive only: Wagtail turns a second one away.
    response = admin_client.get(f"/admin/pages/add/news/membersupdateindexpage/{home.pk}/")
    assert response.status_code in (302, 403)
    assert not MembersUpdateIndexPage.can_create_at(home)
