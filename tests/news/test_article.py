"""An article as a reader, a journalist and a search engine see it."""

import json
import re

import pytest
from django.utils import timezone

from demo.shell import stream
from news.models import NewsKind
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    """The NewsArticle node of the page's JSON-LD graph."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    nodes = [node for block in blocks for node in json.loads(block).get("@graph", [])]
    articles = [node for node in nodes if node.get("@type") == "NewsArticle"]
    assert len(articles) == 1, nodes
    return articles[0]


@pytest.fixture
def press_release(make_article, site_settings):
    site_settings.about_boilerplate = "<p>About the network: a cross-party network.</p>"
    site_settings.press_office_phone = "020 7946 0000"
    site_settings.save()
    return make_article(
        "Statement on 2026 Local Elections",
        slug="statement-2026-local-elections",
        kind=NewsKind.PRESS_RELEASE,
        category="governance",
        tags=("Local elections 2026", "No overall control"),
        release_date=when(2026, 5, 15),
        summary="The network's statement on the May 2026 local election results.",
        body=stream(
            (
                "paragraph",
                "<p>Last week's Local Election results showed a "
                "fragmentation in Britain's politics.</p>",
            ),
            ("quote", {"quote": "Co-operation works.", "attribution": "A member"}),
        ),
        notes_to_editors="<p>Results are published by each council.</p>",
    )


def test_press_release_reads_like_one(client, press_release):
    response = client.get("/news/statement-2026-local-elections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Press release — For immediate release" in html
    assert '<h1 id="article-title">Statement on 2026 Local Elections</h1>' in html
    assert '<time datetime="2026-05-15T12:00:00+01:00">15 May 2026</time>' in html
    assert '<a href="/news/category/governance/">Governance</a>' in html
    assert '<a href="/news/tag/local-elections-2026/">Local elections 2026</a>' in html
    assert "fragmentation in Britain's politics" in html
    assert "Co-operation works." in html
    # Notes to editors: the article's own, then the About boilerplate from site settings.
    notes = html.split('id="notes-to-editors"')[1]
    assert notes.index("Results are published by each council.") < notes.index("About the network")
    # Media contact defaults to the press office.
    assert "CCIN Press Office" in html
    assert 'href="mailto:press@councils.coop"' in html
    assert 'href="tel:02079460000"' in html


def test_media_contact_can_be_overridden(client, make_article, site_settings):
    make_article(
        kind=NewsKind.PRESS_RELEASE,
        slug="pr",
        media_contact_name="Pete Vallance",
        media_contact_email="pete@example.org",
    )
    html = client.get("/news/pr/").content.decode()
    assert "Pete Vallance" in html
    assert 'href="mailto:pete@example.org"' in html
    assert "CCIN Press Office" not in html.split("</main>")[0]


def test_news_and_opinion_have_no_press_notes(client, make_article):
    make_article(
        kind=NewsKind.OPINION,
        slug="op",
        authors=(("Cllr Jim McMahon", "Leader of Oldham Council and Chair of the CCIN"),),
    )
    html = client.get("/news/op/").content.decode()
    assert '<p class="news-article__kind">Opinion</p>' in html
    assert "Notes to editors" not in html
    assert "For immediate release" not in html
    assert "By Cllr Jim McMahon" in html
    assert "Leader of Oldham Council and Chair of the CCIN" in html


def test_embargoed_press_release_preview_shows_the_embargo(admin_client, make_article):
    go_live = timezone.now() + timezone.timedelta(days=2)
    page = make_article(kind=NewsKind.PRESS_RELEASE, publish=False, go_live_at=go_live)
    page.save_revision().publish()
    response = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200
    html = response.content.decode()
    local = timezone.localtime(go_live)
    assert f"Embargoed until {local:%H:%M} on {local.day} {local:%B %Y}" in html


def test_json_ld_describes_the_news_article(client, press_release, image):
    press_release.listing_image = image
    press_release.authors.create(name="Cllr Paul Cassidy", role="Interim Chair of CCIN")
    press_release.change_notes.create(changed_at=when(2026, 5, 16), note="Corrected a council")
    press_release.save_revision().publish()
    data = json_ld(client.get("/news/statement-2026-local-elections/").content.decode())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Statement on 2026 Local Elections"
    assert data["datePublished"] == "2026-05-15T12:00:00+01:00"
    assert data["dateModified"] == "2026-05-16T12:00:00+01:00"
    assert data["author"] == [
        {"@type": "Person", "name": "Cllr Paul Cassidy", "jobTitle": "Interim Chair of CCIN"}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Co-operative Councils' Innovation Network"
    assert data["publisher"]["logo"].startswith("http://testserver/")
    assert data["image"][0].startswith("http://testserver/")
    assert data["url"] == "http://testserver/news/statement-2026-local-elections/"
    assert data["articleSection"] == "Governance"


def test_json_ld_cannot_be_broken_out_of(client, make_article):
    make_article("</script><script>alert(1)</script>", slug="xss")
    html = client.get("/news/xss/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"].startswith("</script>")


def test_social_metadata_and_canonical(client, press_release, image):
    press_release.listing_image = image
    press_release.save_revision().publish()
    html = client.get("/news/statement-2026-local-elections/").content.decode()
    url = "http://testserver/news/statement-2026-local-elections/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="article:published_time" content="2026-05-15T12:00:00+01:00">' in html
    assert '<meta property="article:section" content="Governance">' in html


def test_share_links_are_plain_links(client, press_release):
    html = client.get("/news/statement-2026-local-elections/").content.decode()
    share = html.split('class="share-links"')[1].split("</section>")[0]
    encoded = "http%3A%2F%2Ftestserver%2Fnews%2Fstatement-2026-local-elections%2F"
    title = "Statement%20on%202026%20Local%20Elections"
    assert f'href="mailto:?subject={title}&amp;body={encoded}"' in share
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={encoded}" in share
    assert "https://bsky.app/intent/compose?text=" in share
    assert f"https://x.com/intent/post?text={title}&amp;url={encoded}" in share
    assert f"https://www.facebook.com/sharer/sharer.php?u={encoded}" in share
    assert 'data-copy-url="http://testserver/news/statement-2026-local-elections/"' in share
    # No third-party scripts anywhere on the page.
    assert not re.search(r'<script[^>]+src="https?://', html)


def test_change_history_is_shown_with_the_update_date(client, press_release):
    press_release.change_notes.create(
        changed_at=when(2026, 5, 16), note="Corrected the list of councils"
    )
    press_release.save_revision().publish()
    html = client.get("/news/statement-2026-local-elections/").content.decode()
    assert "Updated 16 May 2026</time>: Corrected the list of councils" in html
    assert "Published 15 May 2026" in html
    assert "Last updated" in html


def test_more_news_shows_related_live_articles(client, press_release, make_article):
    make_article("Same category", category="governance", release_date=when(2026, 1, 1))
    make_article(
        "Same tag",
        category="community",
        tags=("No overall control",),
        release_date=when(2026, 3, 1),
    )
    make_article("Unrelated", category="events")
    make_article("Related draft", category="governance", publish=False)
    html = client.get("/news/statement-2026-local-elections/").content.decode()
    more = html.split('id="more-news"')[1]
    assert more.index("Same tag") < more.index("Same category")
    assert "Unrelated" not in more and "Related draft" not in more


def test_preview_of_a_new_article_renders(admin_client, news_index, categories):
    response = admin_client.post(
        f"/admin/pages/add/news/newspage/{news_index.pk}/preview/",
        {
            "title": "Preview me",
            "slug": "preview-me",
            "kind": "press-release",
            "category": categories["governance"].pk,
            "summary": "A summary.",
            "body-count": "0",
            "tags": "Preview tag",
            "authors-TOTAL_FORMS": "1",
            "authors-INITIAL_FORMS": "0",
            "authors-MIN_NUM_FORMS": "0",
            "authors-MAX_NUM_FORMS": "1000",
            "authors-0-name": "Cllr Preview",
            "authors-0-role": "",
            "authors-0-ORDER": "1",
            "change_notes-TOTAL_FORMS": "0",
            "change_notes-INITIAL_FORMS": "0",
            "change_notes-MIN_NUM_FORMS": "0",
            "change_notes-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.json()["is_valid"], response.json()
    preview = admin_client.get(f"/admin/pages/add/news/newspage/{news_index.pk}/preview/")
    html = preview.content.decode()
    assert "Preview me" in html
    assert "By Cllr Preview" in html
    assert "For immediate release" in html


@pytest.fixture
def full_disk(press_release, image, monkeypatch):
    """The press release has a picture, and the media disk is full when a visitor needs its
    renditions (operations/storage.py writes with os.write)."""
    import errno

    from operations import storage

    press_release.listing_image = image
    press_release.save_revision().publish()

    def full(descriptor, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "write", full)


def test_an_image_the_full_disk_cannot_resize_leaves_the_article_readable(client, full_disk):
    """The article and the feed still render, without that image, instead of an error page."""
    response = client.get("/news/statement-2026-local-elections/")
    assert response.status_code == 200
    html = response.content.decode()
    # The drawn social card needs no disk: it stands in for the image that could not be made.
    assert '<meta property="og:image" content="http://testserver/social-cards/page/' in html
    assert "image" not in json_ld(html)
    assert client.get("/news/feed/").status_code == 200


def test_a_card_image_the_full_disk_cannot_resize_leaves_the_listing_readable(client, full_disk):
    """The same full disk on the news index: the card shows its drawn pattern instead."""
    response = client.get("/news/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statement on 2026 Local Elections" in html
    assert 'class="card__image card__fallback"' in html
    assert "<picture>" not in html
