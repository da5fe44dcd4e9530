"""The news index's filters: kind, category, tag and year, combined.

Each says what it keeps twice, side by side: in SQL (the feeds) and among the entries of
the listing's remembered snapshot (``ListingSnapshot.index``: the articles with each kind,
category id, tag id and year).
"""

from __future__ import annotations

from django.db.models import Q

from home.listing import Choice, Filter

from .models.snippets import NewsKind

KIND = Filter(
    "kind",
    "Kind",
    "kinds",
    noun="kind of article",
    where=lambda kind: Q(kind=kind),
    picks=lambda snapshot, kind: snapshot.index["kind"].get(kind, frozenset()),
)
CATEGORY = Filter(
    "category",
    "Category",
    "categories",
    noun="news category",
    where=lambda category_id: Q(category_id=category_id),
    picks=lambda snapshot, category_id: snapshot.index["category"].get(category_id, frozenset()),
)
TAG = Filter(
    "tag",
    "Tag",
    "tags",
    where=lambda tag_id: Q(tagged_items__tag_id=tag_id),
    picks=lambda snapshot, tag_id: snapshot.index["tag"].get(tag_id, frozenset()),
)
YEAR = Filter(
    "year",
    "Year",
    "years",
    # In the site's time zone, as the snapshot's years are.
    where=lambda year: Q(release_date__year=year),
    picks=lambda snapshot, year: snapshot.index["year"].get(year, frozenset()),
)
NEWS_FILTERS = (KIND, CATEGORY, TAG, YEAR)


def news_choices(*, years, tags, categories) -> dict[str, list[Choice]]:
    """Every value each filter accepts: the kinds, every category, the tags and years in use."""
    return {
        "kind": [Choice(value, label) for value, label in NewsKind.choices],
        "category": [Choice(c.slug, str(c), target=c.pk) for c in categories],
        "tag": [Choice(t.slug, t.name, target=t.pk) for t in tags],
        "year": [Choice(str(year), str(year), target=year) for year in years],
    }


def news_filters(*, fixed_category=None, fixed_tag=None) -> tuple[Filter, ...]:
    """The filters the form shows: on /news/category|tag/<slug>/ that one is the page itself."""
    fixed = {"category"} if fixed_category is not None else set()
    if fixed_tag is not None:
        fixed.add("tag")
    return tuple(f for f in NEWS_FILTERS if f.name not in fixed)
