"""Generated content at the network's real size, for benchmarks and the query-bound tests.

``load_demo_content --volume`` calls these through each app's ``demo.load``: 1,000 news
items over 12 years and 100 more member records here, 600 case studies in
``demo.casestudies``; ``--volume-scale N`` multiplies every count by N (``scaled``).
Everything generated says so in its title or name, is deterministic (so a second run adds
nothing) and is written without revisions and with its many-to-many rows in bulk, so the
lot takes about a minute rather than half an hour.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from caching.versions import bump_version
from demo.casestudies import generated_images as make
from demo.casestudies import scaled  # noqa: F401 - the apps' loaders scale with it
from demo.shell import paragraphs, stream
from membership.models import MemberCouncil, MemberKind, Nation, Tier
from news.models import NewsKind, NewsPage, NewsPageTag

NEWS_COUNT = 1000
NEWS_YEARS = 12
MEMBER_COUNT = 100
NEWS_PREFIX = "Generated article"
MEMBER_PREFIX = "Generated member"
GENERATED_SUMMARY = "Generated for performance testing; not real news."


def generated_images() -> list:
    """The plain-colour images shared by all generated content (case studies make them)."""
    return make()


def generate_news(index, categories: dict, count: int = NEWS_COUNT) -> int:
    """Add generated articles up to ``count`` below ``index``; return how many were new.

    Kinds, categories and tags rotate; release dates spread evenly over the last
    ``NEWS_YEARS`` years; a third have a listing image.
    """
    existing = set(
        index.get_children()
        .filter(slug__startswith="generated-article-")
        .values_list("slug", flat=True)
    )
    wanted = [n for n in range(1, count + 1) if f"generated-article-{n:03d}" not in existing]
    if not wanted:
        return 0
    kinds = list(NewsKind)
    category_list = [categories[slug] for slug in sorted(categories)]
    tags = [Tag.objects.get_or_create(name=f"Generated tag {n}")[0] for n in range(12)]
    images = generated_images()
    end = timezone.make_aware(datetime.combine(datetime(2026, 6, 30).date(), time(12)))
    step = timedelta(days=NEWS_YEARS * 365) / count
    tag_rows = []
    with transaction.atomic():
        for n in wanted:
            released = end - step * n
            page = NewsPage(
                title=f"{NEWS_PREFIX} {n:03d} (placeholder for load testing)",
                slug=f"generated-article-{n:03d}",
                kind=kinds[n % len(kinds)],
                release_date=released,
                category=category_list[n % len(category_list)],
                summary=GENERATED_SUMMARY,
                body=_body("Placeholder text for load testing."),
                listing_image=images[n % len(images)] if n % 3 == 0 else None,
                live=True,
                first_published_at=released,
                last_published_at=released,
            )
            index.add_child(instance=page)
            tag_rows += [
                NewsPageTag(content_object_id=page.pk, tag_id=tag.pk)
                for tag in random.Random(n).sample(tags, k=1 + n % 3)  # noqa: S311
            ]
        NewsPageTag.objects.bulk_create(tag_rows)
    return len(wanted)


def generate_members(count: int = MEMBER_COUNT) -> int:
    """Add generated member records up to ``count``; return how many were new."""
    existing = set(
        MemberCouncil.objects.filter(slug__startswith="generated-member-").values_list(
            "slug", flat=True
        )
    )
    tiers = [Tier.FULL, Tier.ASSOCIATE, Tier.AFFILIATE, Tier.SUPPORTER]
    nations = list(Nation)
    images = generated_images()
    members = [
        MemberCouncil(
            name=f"{MEMBER_PREFIX} {n:03d} (not a real council)",
            slug=f"generated-member-{n:03d}",
            tier=tiers[n % len(tiers)],
            kind=MemberKind.COUNCIL if n % 5 else MemberKind.ORGANISATION,
            nation=nations[n % len(nations)],
            region="Generated region",
            joined_year=2012 + n % 15,
            logo=images[n % len(images)] if n % 3 == 0 else None,
        )
        for n in range(1, count + 1)
        if f"generated-member-{n:03d}" not in existing
    ]
    MemberCouncil.objects.bulk_create(members)  # in bulk, so no save signals: tell the cache
    if members:
        bump_version("generated members")
    return len(members)


def _body(text: str):
    return stream(*paragraphs(text))
