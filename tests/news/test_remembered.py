"""What the newsroom remembers until content changes is never stale.

The listing's snapshot (which articles each filter keeps, the years and tags in use), the
categories, the feeds' items and state, and each article's related articles are read once
per content version (``caching.page_cache.remember``). Each test here looks at a page first,
so the value is remembered, then changes what it shows and checks the next request.
"""

from __future__ import annotations

import feedparser
import pytest
from django import forms
from django.utils.safestring import mark_safe
from wagtail.models import PageViewRestriction

from news.forms import QuickSelect
from news.models import NewsCategory, NewsKind, NewsPage
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


def options(response, field: str) -> list[str]:
    return [value for value, _label in response.context["form"].fields[field].choices]


def feed_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [entry.title for entry in feedparser.parse(response.content).entries]


def test_a_new_article_shows_in_the_listing_filters_and_counts_at_once(client, make_article):
    make_article("Old", kind=NewsKind.NEWS, tags=("housing",), release_date=when(2020, 3, 1))
    first = client.get("/news/")
    assert titles(first) == ["Old"]
    assert options(first, "year") == ["", "2020"]
    assert options(first, "tag") == ["", "housing"]

    make_article(
        "New",
        kind=NewsKind.OPINION,
        category="governance",
        tags=("devolution",),
        release_date=when(2026, 5, 15),
    )

    response = client.get("/news/")
    assert titles(response) == ["New", "Old"]
    assert "2 articles" in response.content.decode()
    assert options(response, "year") == ["", "2026", "2020"]
    assert options(response, "tag") == ["", "devolution", "housing"]
    assert titles(client.get("/news/?year=2026&tag=devolution&kind=opinion")) == ["New"]
    assert titles(client.get("/news/?category=governance")) == ["New"]
    tag_page = client.get("/news/tag/devolution/")
    assert tag_page.status_code == 200
    assert titles(tag_page) == ["New"]


def test_unpublishing_removes_an_article_and_the_choices_only_it_gave(client, make_article):
    make_article("Stays", tags=("housing",), release_date=when(2024, 1, 1))
    leaving = make_article("Leaves", tags=("devolution",), release_date=when(2025, 1, 1))
    first = client.get("/news/")
    assert titles(first) == ["Leaves", "Stays"]
    assert client.get("/news/tag/devolution/").status_code == 200

    leaving.unpublish()

    response = client.get("/news/")
    assert titles(response) == ["Stays"]
    assert options(response, "year") == ["", "2024"]
    assert options(response, "tag") == ["", "housing"]
    assert client.get("/news/tag/devolution/").status_code == 404
    assert client.get("/news/?tag=devolution").status_code == 404
    assert client.get("/news/?year=2025").status_code == 404


def test_a_private_article_leaves_the_listing_at_once(client, make_article):
    make_article("Public")
    private = make_article("Soon private")
    assert titles(client.get("/news/")) == ["Soon private", "Public"]

    PageViewRestriction.objects.create(page=private, restriction_type="login")

    assert titles(client.get("/news/")) == ["Public"]
    assert feed_titles(client, "/news/feed/") == ["Public"]


def test_retagging_an_article_moves_it_between_tag_listings(client, make_article):
    page = make_article("Article", tags=("housing",))
    assert titles(client.get("/news/?tag=housing")) == ["Article"]

    page.tags.set(["devolution"])
    page.save_revision().publish()

    assert client.get("/news/?tag=housing").status_code == 404  # no longer in use
    assert titles(client.get("/news/?tag=devolution")) == ["Article"]
    assert titles(client.get("/news/tag/devolution/")) == ["Article"]


def test_category_changes_show_in_the_choices_and_pages_at_once(client, make_article, categories):
    make_article("Governance story", category="governance")
    first = client.get("/news/")
    assert '<option value="governance">Governance</option>' in first.content.decode()
    assert client.get("/news/category/housing/").status_code == 404

    governance = categories["governance"]
    governance.name = "Governance and democracy"
    governance.save()
    NewsCategory.objects.create(name="Housing", slug="housing")

    html = client.get("/news/").content.decode()
    assert '<option value="governance">Governance and democracy</option>' in html
    assert '<option value="housing">Housing</option>' in html
    assert client.get("/news/category/housing/").status_code == 200
    assert titles(client.get("/news/?category=governance")) == ["Governance story"]
    assert (
        "Governance and democracy</h1>" in client.get("/news/category/governance/").content.decode()
    )


def test_feeds_follow_publishing_and_edits(client, make_article):
    make_article("First", category="governance", tags=("housing",))
    for url in ("/news/feed/", "/news/feed/atom/", "/news/tag/housing/feed/"):
        assert feed_titles(client, url) == ["First"]

    second = make_article("Second", category="governance", tags=("housing",))
    for url in ("/news/feed/", "/news/feed/atom/", "/news/tag/housing/feed/"):
        assert feed_titles(client, url) == ["Second", "First"]
    assert feed_titles(client, "/news/category/governance/feed/") == ["Second", "First"]

    second.title = "Second, corrected"
    second.save_revision().publish()
    assert feed_titles(client, "/news/feed/") == ["Second, corrected", "First"]

    second.unpublish()
    assert feed_titles(client, "/news/feed/") == ["First"]
    assert feed_titles(client, "/news/category/governance/feed/") == ["First"]


def test_related_articles_follow_publishing(client, make_article):
    page = make_article("Main", category="governance")
    html = client.get(page.url).content.decode()
    assert "More news" not in html

    make_article("Newly related", category="governance")

    html = client.get(page.url).content.decode()
    assert "More news" in html
    assert "Newly related" in html


def test_a_preview_with_other_tags_neither_sees_nor_stores_the_published_related(make_article):
    page = make_article("Main", category="governance", tags=("housing",))
    make_article("Housing", category="community", tags=("housing",))
    make_article("Devolution", category="community", tags=("devolution",))
    assert [a.title for a in page.related_articles()] == ["Housing"]

    draft = NewsPage.objects.get(pk=page.pk)
    draft.tags.set(["devolution"])  # in memory, as in a preview
    assert [a.title for a in draft.related_articles()] == ["Devolution"]

    assert [a.title for a in NewsPage.objects.get(pk=page.pk).related_articles()] == ["Housing"]


# The filter form writes its <select>s itself; the HTML must be Django's, byte for byte.


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {"id": "id_kind"}),
        ("", {"id": "id_kind"}),
        ("news", {"id": "id_kind"}),
        ("nope", {"id": "id_kind", "aria-invalid": "true"}),
        ("a&b", {"id": "id_x", "required": True, "disabled": False, "data-x": '"quoted"'}),
        ("2026", {"id": "id_y", "data-safe": mark_safe("<i>"), "data-none": None}),
    ],
)
def test_quick_select_writes_what_djangos_select_does(value, attrs):
    flat = [
        ("", "All kinds"),
        ("news", "News"),
        ("a&b", "Tom & Jerry's <b>"),
        ("2026", "2026"),
        ("safe", mark_safe("<em>Safe</em>")),
    ]
    grouped = [*flat, ("Group <1>", [("g1", "In a group"), ("g2", "Also")])]
    for choices in (flat, grouped):
        quick = QuickSelect(attrs={"class": "x"}, choices=choices)
        django = forms.Select(attrs={"class": "x"}, choices=choices)
        assert quick.render("kind", value, attrs) == django.render("kind", value, attrs)


def test_the_filter_form_renders_as_it_would_with_djangos_widgets(client, make_article):
    make_article("One", tags=("housing",), release_date=when(2024, 1, 1))
    for url in ("/news/?kind=news&year=2024", "/news/?year=1999", "/news/tag/housing/"):
        form = client.get(url).context["form"]
        for field in form:
            assert isinstance(field.field.widget, QuickSelect)
            quick = str(field)
            field.field.widget = forms.Select(choices=field.field.choices)
            assert quick == str(field), (url, field.name)
