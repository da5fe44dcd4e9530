"""The demo newsroom built from the seed, and that loading it twice changes nothing."""

import io
import json

import pytest
from wagtail.models import Page

from demo import news as demo
from demo import shell as home_demo
from news.models import NewsCategory, NewsIndexPage, NewsKind, NewsPage
from tests.casestudies.wording import PLACEHOLDER, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    out = io.StringIO()
    home_demo.load(out)
    demo.load(out)
    return out.getvalue()


def test_demo_builds_the_news_section_at_news(loaded, client):
    index = NewsIndexPage.objects.get()
    assert index.url == "/news/"
    assert index.show_in_menus and index.live
    assert index.get_parent().specific_class.__name__ == "HomePage"
    assert sorted(NewsCategory.objects.values_list("name", flat=True)) == [
        "Community",
        "Events",
        "Governance",
        "News",
        "Policy",
    ]
    assert "5 live articles at /news/" in loaded
    response = client.get("/news/", HTTP_HOST="localhost")
    assert response.status_code == 200


def test_demo_articles_match_the_seed(loaded):
    statement = NewsPage.objects.get(slug="statement-2026-local-elections")
    assert statement.title == "Statement on 2026 Local Elections"
    assert statement.kind == NewsKind.PRESS_RELEASE
    assert statement.listing_meta == "Press release · 15 May 2026"
    assert statement.category.name == "Governance"
    text = str(statement.body)
    assert "Last week's Local Election results showed a fragmentation in Britain's politics" in text
    assert "share our common cooperative values." in text

    evidence = NewsPage.objects.get(title__startswith="Call for evidence on business support")
    assert evidence.category.name == "News"
    assert evidence.release_date.year == 2026 and evidence.release_date.month == 2

    mcmahon = NewsPage.objects.get(title__startswith="Cllr Jim McMahon")
    assert mcmahon.kind == NewsKind.OPINION
    assert mcmahon.category.name == "Community"
    assert mcmahon.listing_meta == "Opinion · 5 June 2014"
    assert [str(a) for a in mcmahon.authors.all()] == [
        "Cllr Jim McMahon, Leader of Oldham Council and Chair of the CCIN"
    ]

    taylor = NewsPage.objects.get(title__startswith="Cllr Sharon Taylor")
    assert taylor.category.name == "Governance"
    assert taylor.listing_meta == "Opinion · 7 July 2014"
    assert [a.role for a in taylor.authors.all()] == ["CCIN and Stevenage Borough Council"]

    projects = NewsPage.objects.get(slug="successful-policy-project-applications-2026")
    assert "Lead: Camden Council".lower() in str(projects.body).lower()


def test_demo_is_idempotent(loaded):
    before = (
        Page.objects.count(),
        NewsCategory.objects.count(),
        list(NewsPage.objects.values_list("pk", "latest_revision_id")),
    )
    demo.load(io.StringIO())
    after = (
        Page.objects.count(),
        NewsCategory.objects.count(),
        list(NewsPage.objects.values_list("pk", "latest_revision_id")),
    )
    assert after == before


def test_demo_never_overwrites_an_editors_change(loaded, django_user_model):
    editor = django_user_model.objects.create_user(username="comms", password="x")
    statement = NewsPage.objects.get(slug="statement-2026-local-elections")
    statement.title = "Edited by comms"
    statement.summary = "Comms' own summary."
    statement.save_revision(user=editor).publish()
    demo.load(io.StringIO())
    statement = NewsPage.objects.get(pk=statement.pk)
    assert (statement.title, statement.summary) == ("Edited by comms", "Comms' own summary.")


def test_demo_brings_an_untouched_article_up_to_date(loaded):
    """A database loaded by an earlier demo, whose article said its text was to follow."""
    evidence = NewsPage.objects.get(title__startswith="Call for evidence on business support")
    evidence.body = json.dumps(
        [{"type": "paragraph", "value": "<p>The full text of the response is to follow.</p>"}]
    )
    evidence.save_revision().publish()
    demo.load(io.StringIO())
    evidence = NewsPage.objects.get(pk=evidence.pk)
    assert "to follow" not in str(evidence.body)
    assert "info@councils.coop" in str(evidence.body)


def test_no_article_promises_text_to_come(loaded, client):
    """Every article is whole: on its page and in the feeds subscribers read."""
    for page in NewsPage.objects.live():
        text = client.get(page.url, HTTP_HOST="localhost").content.decode()
        assert page.title.replace("'", "&#x27;") in text
        assert not PLACEHOLDER.search(visible_text(text)), page.url
    for feed in ("/news/feed/", "/news/feed/atom/"):
        response = client.get(feed, HTTP_HOST="localhost")
        assert response.status_code == 200
        assert not PLACEHOLDER.search(response.content.decode()), feed
