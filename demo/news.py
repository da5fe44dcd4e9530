"""Demo newsroom from the seed (``data/news.toml``): the index, categories and articles."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from wagtail.models import Page

from demo.records import Record, read
from demo.refresh import refresh
from demo.shell import ensure_child, home_page, page_fields
from demo.volume import NEWS_COUNT, generate_news, scaled
from news.models import NewsCategory, NewsIndexPage, NewsPage, NewsPageAuthor


def released(day: date) -> datetime:
    """A release date at midday UK time: the seed gives dates without times."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def ensure_article(index: Page, record: Record, categories: dict[str, NewsCategory]) -> NewsPage:
    """The article with this record's slug, created and published if missing; if only the
    loader has saved it, its summary and body are brought up to date with the record."""
    if record["category"] not in categories:
        raise record.error(f"category: no category with slug {record['category']!r}")
    fields = page_fields(record)
    existing = index.get_children().filter(slug=record["slug"]).first()
    if existing is not None:
        page = existing.specific
        refresh(page, summary=fields["summary"], body=fields["body"])
        return page
    tags, authors = fields.pop("tags"), fields.pop("authors", [])
    fields["release_date"] = released(record["release_date"])
    fields["category"] = categories[record["category"]]
    page = NewsPage(slug=record["slug"], **fields)
    page.authors = [NewsPageAuthor(name=author["name"], role=author["role"]) for author in authors]
    page.tags.set(tags)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(stdout, *, volume: float = 0) -> None:
    """``volume``: generated articles at that multiple of the benchmark volume (0: none)."""
    newsroom = read("news.toml")
    categories = {}
    for category in newsroom["category"]:
        categories[category["slug"]], _ = NewsCategory.objects.get_or_create(
            slug=category["slug"],
            defaults={"name": category["name"], "description": category["description"]},
        )
    index = ensure_child(home_page(), NewsIndexPage, "news", **page_fields(newsroom["index"]))
    for article in newsroom["article"]:
        ensure_article(index, article, categories)
    if volume:
        load_volume(index, categories, volume)
    count = NewsPage.objects.child_of(index).live().count()
    stdout.write(f"News ready: {count} live articles at {index.url}.")


def load_volume(
    index: NewsIndexPage, categories: dict[str, NewsCategory], scale: float = 1
) -> None:
    """1,000 generated articles over 12 years (demo.volume) times ``scale``, for benchmarks."""
    generate_news(index, categories, scaled(NEWS_COUNT, scale))
