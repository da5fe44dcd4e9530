"""The news listing: order, pagination, filters, category and tag pages."""

import pytest
from wagtail.models import PageViewRestriction

from news.models import NewsKind
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


def test_index_lists_live_public_articles_newest_first(client, make_article, news_index):
    old = make_article("Old", release_date=when(2014, 6, 5))
    new = make_article("New", release_date=when(2026, 5, 15))
    make_article("Draft", publish=False)
    private = make_article("Private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get("/news/")

    assert response.status_code == 200
    assert titles(response) == [new.title, old.title]
    html = response.content.decode()
    assert "2 articles" in html
    assert "Draft" not in html and "Private" not in html
    assert "News · 15 May 2026" in html


def test_index_is_in_the_menu_and_advertises_its_feeds(client, news_index):
    html = client.get("/news/").content.decode()
    assert '<a href="/news/">News</a>' in html.replace(' aria-current="page"', "")
    head = html.split("</head>")[0]
    assert 'type="application/rss+xml" title="CCIN news (RSS)" href="/news/feed/"' in head
    assert 'type="application/atom+xml" title="CCIN news (Atom)" href="/news/feed/atom/"' in head
    main = html.split("<main")[1].split("</main>")[0]
    assert 'class="news-feeds__link" href="/news/feed/" type="application/rss+xml">' in main
    assert 'class="news-feeds__link" href="/news/feed/atom/" type="application/atom+xml">' in main


def test_pagination_is_twelve_a_page_and_forgiving(client, make_article):
    for n in range(14):
        make_article(f"Item {n:02d}", release_date=when(2026, 1, 1 + n))
    first = client.get("/news/")
    assert len(first.context["articles"]) == 12
    assert first.context["articles"][0].title == "Item 13"
    second = client.get("/news/?page=2")
    assert titles(second) == ["Item 01", "Item 00"]
    assert client.get("/news/?page=999").context["page_obj"].number == 2
    assert client.get("/news/?page=-3").context["page_obj"].number == 1
    assert client.get("/news/?page=abc").context["page_obj"].number == 1
    assert client.get("/news/?page=1e9999").status_code == 200
    assert 'rel="canonical" href="http://testserver/news/?page=2"' in second.content.decode()


def test_filters_combine_and_show_as_removable(client, make_article):
    make_article(
        "Governance release",
        kind=NewsKind.PRESS_RELEASE,
        category="governance",
        tags=("elections",),
        release_date=when(2026, 5, 15),
    )
    make_article(
        "Governance opinion",
        kind=NewsKind.OPINION,
        category="governance",
        release_date=when(2014, 7, 7),
    )
    make_article(
        "Community opinion",
        kind=NewsKind.OPINION,
        category="community",
        tags=("elections",),
        release_date=when(2014, 6, 5),
    )

    assert titles(client.get("/news/?kind=opinion")) == ["Governance opinion", "Community opinion"]
    assert titles(client.get("/news/?category=governance")) == [
        "Governance release",
        "Governance opinion",
    ]
    assert titles(client.get("/news/?tag=elections")) == ["Governance release", "Community opinion"]
    assert titles(client.get("/news/?year=2014")) == ["Governance opinion", "Community opinion"]
    response = client.get("/news/?kind=opinion&category=governance&year=2014")
    assert titles(response) == ["Governance opinion"]

    chips = {f["label"]: f["remove_url"] for f in response.context["active_filters"]}
    assert chips == {
        "Kind: Opinion": "/news/?category=governance&year=2014",
        "Category: Governance": "/news/?kind=opinion&year=2014",
        "Year: 2014": "/news/?kind=opinion&category=governance",
    }
    html = response.content.decode()
    assert "Clear all filters" in html
    assert (
        '<a href="/news/?kind=opinion&amp;category=governance" class="active-filters__chip">'
        '<span class="visually-hidden">Remove filter: </span>Year: 2014'
    ) in html


def test_empty_filter_values_mean_all(client, make_article):
    make_article("Only")
    assert titles(client.get("/news/?kind=&category=&tag=&year=&utm_source=x")) == ["Only"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=rumour", "We don't recognise the kind of article “rumour”, so all kinds are shown."),
        ("category=sport", "We don't recognise the news category “sport”, so all categories"),
        ("tag=nothing-here", "We don't recognise the tag “nothing-here”, so all tags are shown."),
        ("year=1999", "We don't recognise the year “1999”, so all years are shown."),
        ("year=abc", "We don't recognise the year “abc”, so all years are shown."),
        ("year=2026%00", "We don't recognise the year “2026”"),
        ("category=%3Cscript%3E", "We don't recognise the news category “&lt;script&gt;”"),
        ("kind=" + "x" * 500, "We don't recognise the kind of article “" + "x" * 40 + "…”"),
    ],
)
def test_unknown_filter_values_are_a_clear_404(client, make_article, query, message):
    make_article("Opinion", kind=NewsKind.OPINION, release_date=when(2026, 5, 15))
    make_article("News", kind=NewsKind.NEWS, release_date=when(2026, 5, 14))
    response = client.get(f"/news/?{query}")
    assert response.status_code == 404
    html = response.content.decode().replace("&#x27;", "'")
    assert "Filter not recognised" in html
    assert message in html
    assert '<meta name="robots" content="noindex">' in html
    assert "<script>" not in html.split("</head>")[1].split('<script type="module"')[0]
    # The listing is still there, unfiltered by the value it does not know.
    assert titles(response) == ["Opinion", "News"]


def test_other_filters_still_apply_beside_an_unknown_one(client, make_article):
    make_article("Opinion", kind=NewsKind.OPINION, release_date=when(2026, 5, 15))
    make_article("News", kind=NewsKind.NEWS, release_date=when(2026, 5, 14))
    response = client.get("/news/?kind=opinion&year=1999&tag=nope")
    assert response.status_code == 404
    assert titles(response) == ["Opinion"]
    html = response.content.decode()
    assert "Filters not recognised" in html
    assert '<a href="/news/?kind=opinion">Remove the unrecognised filters</a>' in html
    assert '<option value="opinion" selected>Opinion</option>' in html


def test_category_page_lists_its_articles_and_advertises_its_feed(client, make_article):
    make_article("In governance", category="governance", kind=NewsKind.OPINION)
    make_article("In community", category="community")
    response = client.get("/news/category/governance/")
    assert response.status_code == 200
    assert titles(response) == ["In governance"]
    html = response.content.decode()
    assert "<h1>Governance</h1>" in html
    assert "Governance stories." in html
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Governance news (RSS)" '
        'href="/news/category/governance/feed/">'
    ) in html
    assert 'rel="canonical" href="http://testserver/news/category/governance/"' in html
    # Other filters still combine with the category page.
    assert titles(client.get("/news/category/governance/?kind=news")) == []
    assert titles(client.get("/news/category/governance/?kind=opinion")) == ["In governance"]


def test_tag_page_lists_its_articles_and_advertises_its_feed(client, make_article):
    make_article("Tagged", tags=("Local elections 2026",))
    make_article("Untagged")
    response = client.get("/news/tag/local-elections-2026/")
    assert response.status_code == 200
    assert titles(response) == ["Tagged"]
    html = response.content.decode()
    assert "Tagged “Local elections 2026”" in html
    assert 'href="/news/tag/local-elections-2026/feed/"' in html


def test_a_tag_with_an_accent_has_its_page_and_feed(client, make_article):
    """taggit keeps accents in slugs; the tag's own link must not be a 404."""
    make_article("Welsh members meet", tags=("Ynys Môn",))
    response = client.get("/news/tag/ynys-môn/")
    assert response.status_code == 200
    assert titles(response) == ["Welsh members meet"]
    assert client.get("/news/tag/ynys-môn/feed/").status_code == 200
    assert client.get("/news/tag/ynys-m%C3%B4n/feed/atom/").status_code == 200


def test_unknown_category_or_tag_page_is_404(client, make_article):
    make_article(tags=("real",), publish=True)
    make_article(tags=("draft-only",), publish=False)
    assert client.get("/news/category/nope/").status_code == 404
    assert client.get("/news/tag/nope/").status_code == 404
    # A tag used only by drafts has no public page.
    assert client.get("/news/tag/draft-only/").status_code == 404


def test_empty_index_says_so(client, news_index):
    response = client.get("/news/")
    assert response.status_code == 200
    assert "No articles match yet." in response.content.decode()
