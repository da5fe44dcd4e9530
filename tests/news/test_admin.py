"""What comms editors see in the Wagtail admin."""

import pytest

from news.models import NewsPage

pytestmark = pytest.mark.django_db


def test_editor_can_open_the_new_article_form_with_tabs(admin_client, news_index, categories):
    response = admin_client.get(f"/admin/pages/add/news/newspage/{news_index.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ("Article", "Press release", "Corrections", "Promote", "Embargo and settings"):
        assert tab in html
    assert (
        "Leave empty to use the press office from site settings." in html
        or "Empty fields use the press office." in html
    )
    assert "go_live_at" in html  # the embargo field


def test_editor_can_edit_an_existing_article(admin_client, make_article):
    page = make_article("Edit me", tags=("a tag",), authors=(("Cllr A", "Role"),))
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Edit me" in response.content.decode()


def test_editor_can_publish_an_article_from_the_admin(admin_client, news_index, categories):
    data = {
        "title": "From the admin",
        "slug": "from-the-admin",
        "kind": "news",
        "category": categories["policy"].pk,
        "summary": "Made in a test.",
        "body-count": "0",
        "tags": "Admin tag, Second tag",
        "authors-TOTAL_FORMS": "0",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "1000",
        "change_notes-TOTAL_FORMS": "0",
        "change_notes-INITIAL_FORMS": "0",
        "change_notes-MIN_NUM_FORMS": "0",
        "change_notes-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    response = admin_client.post(f"/admin/pages/add/news/newspage/{news_index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="from-the-admin")
    assert page.live
    assert page.release_date is not None  # defaulted to first publication
    assert sorted(page.tags.names()) == ["Admin tag", "Second tag"]


def test_article_listing_and_categories_in_the_admin_menu(admin_client, make_article):
    make_article("Findable statement", category="governance")
    listing = admin_client.get("/admin/news_articles/")
    assert listing.status_code == 200
    assert "Findable statement" in listing.content.decode()
    search = admin_client.get("/admin/news_articles/?q=Findable")
    assert "Findable statement" in search.content.decode()
    filtered = admin_client.get("/admin/news_articles/?kind=opinion")
    assert "Findable statement" not in filtered.content.decode()
    categories = admin_client.get("/admin/snippets/news/newscategory/")
    assert categories.status_code == 200
    assert "Governance" in categories.content.decode()


def test_page_search_in_the_admin_finds_articles(admin_client, make_article):
    make_article("Devolution matters", category="governance")
    response = admin_client.get("/admin/pages/search/?q=Devolution")
    assert response.status_code == 200
    assert "Devolution matters" in response.content.decode()
