"""What the newsroom remembers until content changes is never stale.

The listing's snapshot (which articles each filter keeps, the years and tags in use), the
categories, the feeds' items and state, and each article's related articles are read once
per content version (``caching.versions.remember``). Each test here looks at a page first,
so the value is remembered, then changes what it shows and checks the next request.
"""

from __future__ import annotations

import re

import feedparser
import pytest
from django import forms
from wagtail.models import PageViewRestriction

from news.models import NewsCategory, NewsKind, NewsPage
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


def options(response, field: str) -> list[str]:
    """The filter's values as its select lists them, "" (all) first."""
    return ["", *(option.value for option in response.context["filters"][field].options)]


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


# The filter form writes its <option>s itself; they must say what Django's select would.


def test_the_filter_form_lists_what_djangos_select_would(client, make_article):
    make_article("One", tags=("housing",), release_date=when(2024, 1, 1))
    for url in ("/news/?kind=news&year=2024", "/news/?year=1999", "/news/tag/housing/"):
        html = client.get(url).content.decode()
        for bound in client.get(url).context["filters"]:
            choices = [("", bound.everything), *((o.value, o.label) for o in bound.options)]
            django = forms.Select(choices=choices).render(bound.name, bound.value, {"id": bound.id})
            ours = re.search(rf'<select name="{bound.name}".*?</select>', html, re.S).group(0)
            # The same options, values, labels, escaping and selection; whitespace aside
            # (Django also marks "All …" selected when nothing is chosen).
            assert re.sub(r">\s+<", "><", ours) == re.sub(
                r">\s+<", "><", django.replace('<option value="" selected>', '<option value="">')
            ), (url, bound.name)


def test_filter_options_are_escaped(client, make_article):
    make_article("One", tags=("Tom & Jerry's <b>",), release_date=when(2024, 1, 1))
    html = client.get("/news/").content.decode()
    assert '<option value="tom-jerrys-b">Tom &amp; Jerry&#x27;s &lt;b&gt;</option>' in html
