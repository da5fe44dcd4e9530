"""An embargoed press release shows nowhere until Wagtail's publish_scheduled releases it."""

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone

from news.models import NewsKind, NewsPage
from tests.seo.test_sitemaps import sitemap_documents

pytestmark = pytest.mark.django_db

TITLE = "Embargoed statement on devolution"


def visible_everywhere(client) -> dict[str, bool]:
    """Where a member of the public can see the embargoed release."""
    feeds = {
        url: any(e.title == TITLE for e in feedparser.parse(client.get(url).content).entries)
        for url in (
            "/news/feed/",
            "/news/feed/atom/",
            "/news/category/governance/feed/",
            "/news/category/governance/feed/atom/",
        )
    }
    tag_feed = client.get("/news/tag/embargo-tag/feed/")
    return {
        "index": TITLE in client.get("/news/").content.decode(),
        "category page": TITLE in client.get("/news/category/governance/").content.decode(),
        "tag page": client.get("/news/tag/embargo-tag/").status_code == 200,
        "tag feed": tag_feed.status_code == 200 and TITLE in tag_feed.content.decode(),
        "article": client.get("/news/embargoed/").status_code == 200,
        "home page": TITLE in client.get("/").content.decode(),
        "search": TITLE in client.get("/search/?q=embargoed devolution").content.decode(),
        "sitemap": "/news/embargoed/" in sitemap_documents(client),
        **feeds,
    }


def test_embargoed_release_is_hidden_until_publish_scheduled_runs(
    client, make_article, monkeypatch
):
    make_article("Already public", category="governance")
    go_live = timezone.now() + timezone.timedelta(hours=2)
    page = make_article(
        TITLE,
        slug="embargoed",
        kind=NewsKind.PRESS_RELEASE,
        category="governance",
        tags=("embargo-tag",),
        release_date=None,
        publish=False,
        go_live_at=go_live,
    )
    page.save_revision().publish()  # what "Publish" does with a future go-live time
    page.refresh_from_db()
    assert not page.live
    assert page.revisions.filter(approved_go_live_at=go_live).exists()

    seen = visible_everywhere(client)
    assert not any(seen.values()), seen
    # Running the scheduler early releases nothing.
    call_command("publish_scheduled")
    assert not NewsPage.objects.get(pk=page.pk).live

    later = go_live + timezone.timedelta(minutes=1)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")

    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    # Dated at the embargo (revisions keep milliseconds), not when the scheduler noticed.
    assert abs(page.release_date - go_live) < timezone.timedelta(seconds=1)
    seen = visible_everywhere(client)
    assert all(seen.values()), seen


def test_sitemap_lists_articles_and_used_categories_only(client, make_article):
    make_article("Live", slug="live", category="governance")
    make_article("Draft", slug="draft", category="events", publish=False)
    xml = sitemap_documents(client)
    assert "<loc>http://testserver/news/</loc>" in xml
    assert "<loc>http://testserver/news/live/</loc>" in xml
    assert "<loc>http://testserver/news/category/governance/</loc>" in xml
    assert "/news/draft/" not in xml
    assert "/news/category/events/" not in xml  # only a draft uses it
