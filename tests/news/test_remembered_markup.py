"""Rich text and JSON-LD are written once per content version, and never go stale.

``|remembered_richtext`` (home/templatetags/rich_text_tags.py) and ``{% structured_data %}``
(home/templatetags/seo_tags.py) keep what they wrote until content changes. Each test
looks at a page first, so the markup is remembered, then changes what it shows.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from wagtail.rich_text import RichText

from demo.shell import stream
from tests.news.test_article import json_ld

pytestmark = pytest.mark.django_db


def test_the_filter_writes_what_wagtails_richtext_writes(make_article):
    target = make_article("Linked article", slug="linked-article")
    source = f'<p>See <a linktype="page" id="{target.pk}">the article</a>.</p>'
    ours = Template("{% load rich_text_tags %}{{ value|remembered_richtext }}")
    wagtails = Template("{% load wagtailcore_tags %}{{ value|richtext }}")
    for value in (source, RichText(source)):
        context = Context({"value": value})
        assert ours.render(context) == wagtails.render(context)
        assert 'href="/news/linked-article/"' in ours.render(context)


def test_a_link_follows_its_page_when_the_page_moves_to_a_new_address(client, make_article):
    target = make_article("Linked article", slug="linked-article")
    link = f'<p>See <a linktype="page" id="{target.pk}">the article</a>.</p>'
    article = make_article("Linking article", slug="linking", body=stream(("paragraph", link)))
    assert 'href="/news/linked-article/"' in client.get(article.url).content.decode()
    target.slug = "renamed-article"
    target.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert 'href="/news/renamed-article/"' in html
    assert "/news/linked-article/" not in html


def test_an_edit_to_the_text_shows_at_once(client, make_article):
    article = make_article("Edited", slug="edited", body=stream(("paragraph", "<p>First.</p>")))
    assert "First." in client.get(article.url).content.decode()
    article.body = stream(("paragraph", "<p>Second.</p>"))
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Second." in html and "First." not in html


def test_json_ld_follows_a_publish_and_a_preview_shows_the_draft(
    client, admin_client, make_article
):
    article = make_article("Original headline", slug="headline")
    assert json_ld(client.get(article.url).content.decode())["headline"] == "Original headline"
    article.title = "Draft headline"
    article.save_revision()  # a draft: the live page keeps its JSON-LD
    assert json_ld(client.get(article.url).content.decode())["headline"] == "Original headline"
    preview = admin_client.get(f"/admin/pages/{article.pk}/view_draft/").content.decode()
    assert json_ld(preview)["headline"] == "Draft headline"
    article.get_latest_revision().publish()
    assert json_ld(client.get(article.url).content.decode())["headline"] == "Draft headline"
