"""Fixtures for the newsroom: an index at /news/, categories and an article factory."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from demo.shell import paragraphs, stream
from news.models import NewsCategory, NewsIndexPage, NewsKind, NewsPage, NewsPageAuthor


@pytest.fixture(autouse=True)
def _clear_cache():
    # Feed content is cached per published version; tests must not see each other's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def news_index(home_page) -> NewsIndexPage:
    index = NewsIndexPage(
        title="News", slug="news", intro="Press releases, news and opinion.", show_in_menus=True
    )
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def categories(db) -> dict[str, NewsCategory]:
    names = ["Governance", "Community", "News", "Policy", "Events"]
    return {
        name.lower(): NewsCategory.objects.create(
            name=name, slug=name.lower(), description=f"{name} stories."
        )
        for name in names
    }


def when(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def make_article(news_index, categories):
    """Create (and by default publish) an article under /news/."""
    counter = iter(range(1, 10_000))

    def make(
        title: str | None = None,
        *,
        kind: str = NewsKind.NEWS,
        category: str = "news",
        release_date: datetime | None | str = "auto",
        tags: tuple[str, ...] = (),
        authors: tuple[tuple[str, str], ...] = (),
        publish: bool = True,
        parent=None,
        **fields,
    ) -> NewsPage:
        n = next(counter)
        page = NewsPage(
            title=title or f"Article {n}",
            slug=fields.pop("slug", f"article-{n}"),
            kind=kind,
            category=categories[category],
            release_date=(
                when(2026, 1, 1) + timezone.timedelta(days=n)
                if release_date == "auto"
                else release_date
            ),
            live=False,
            summary=fields.pop("summary", f"Summary of article {n}."),
            body=fields.pop("body", stream(*paragraphs(f"Body of article {n}."))),
            **fields,
        )
        page.authors = [NewsPageAuthor(name=name, role=role) for name, role in authors]
        page.tags.set(list(tags))
        (parent or news_index).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def image(db):
    return get_image_model().objects.create(
        title="Council chamber", file=get_test_image_file(filename="chamber.png")
    )
