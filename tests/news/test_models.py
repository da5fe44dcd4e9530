"""Page-type rules, release dates and the small model helpers editors rely on."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from home.models import HomePage, StandardPage
from news.models import NewsIndexPage, NewsKind, NewsPage, NewsPageChangeNote
from tests.news.conftest import when

pytestmark = pytest.mark.django_db


def test_news_index_lives_under_home_and_only_once(home_page, news_index):
    assert NewsIndexPage.allowed_parent_page_models() == [HomePage]
    assert NewsIndexPage.max_count == 1
    assert not NewsIndexPage.can_create_at(home_page)  # one already exists
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]


def test_articles_live_only_under_the_news_index(home_page, news_index):
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsPage.can_create_at(news_index)
    assert not NewsPage.can_create_at(home_page)
    assert NewsPage.allowed_subpage_models() == []
    assert NewsPage not in StandardPage.allowed_subpage_models()
    assert not Page.objects.type(NewsPage).exists()


def test_listing_meta_reads_like_a_dateline(make_article):
    page = make_article(kind=NewsKind.PRESS_RELEASE, release_date=when(2026, 5, 15))
    assert page.listing_meta == "Press release · 15 May 2026"


def test_release_date_defaults_to_first_publication(make_article):
    page = make_article(release_date=None, publish=False)
    page.release_date = None
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.release_date == page.first_published_at

    # A later edit from a revision that never had a date keeps the date it was given.
    first = page.release_date
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert page.release_date == first


def test_embargoed_article_is_released_at_its_go_live_time(make_article):
    go_live = when(2030, 1, 1, 9)
    page = make_article(release_date=None, publish=False, go_live_at=go_live)
    page.release_date = None
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, not live
    page.go_live_at = when(2020, 1, 1)  # as if the time had come
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
    assert page.release_date == when(2020, 1, 1)


def test_slugs_used_by_the_news_routes_are_refused(make_article, categories):
    page = make_article()
    for slug in ("feed", "category", "tag"):
        page.slug = slug
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert "slug" in error.value.message_dict


def test_change_history_is_newest_first_and_sets_updated_date(make_article):
    page = make_article(release_date=when(2026, 5, 15))
    assert page.updated_date == when(2026, 5, 15)
    NewsPageChangeNote.objects.create(
        page=page, changed_at=when(2026, 5, 16), note="Corrected the list of councils"
    )
    NewsPageChangeNote.objects.create(
        page=page, changed_at=when(2026, 5, 20), note="Added a link to the results"
    )
    page = NewsPage.objects.get(pk=page.pk)
    assert [n.note for n in page.change_history] == [
        "Added a link to the results",
        "Corrected the list of councils",
    ]
    assert page.updated_date == when(2026, 5, 20)


def test_related_articles_share_a_category_or_tag_newest_first(make_article):
    page = make_article(category="governance", tags=("devolution",))
    same_category_old = make_article(category="governance", release_date=when(2020, 1, 1))
    same_tag_new = make_article(
        category="community", tags=("devolution",), release_date=when(2027, 1, 1)
    )
    make_article(category="events")  # unrelated
    draft = make_article(category="governance", publish=False)
    related = list(page.related_articles())
    assert related == [same_tag_new, same_category_old]
    assert draft not in related
