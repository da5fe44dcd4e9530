"""Every public page type, feed and API list costs a bounded number of queries, at any size.

Counts are taken warm (a first request fills the caches, as on a running site) with the
page cache off, so they are what a cache miss costs. Each URL is measured on the seed demo
content and again with generated content on top (several pages of every listing, images,
many councils and tags); both must be within the bound and the count must not grow.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from .conftest import TEST_VOLUME, add_volume, count_queries

DETAIL = 12
LISTING = 15

# (label, URL, bound). A listing has filters, facets or pagination; a detail page does not.
URLS = [
    ("home", "/", LISTING),
    ("standard page", "/about/", DETAIL),
    ("principles", "/principles/", DETAIL),
    ("membership", "/membership/", DETAIL),
    ("DPS page", "/dynamic-purchasing-system/", LISTING),
    ("elections", "/membership/elections-2026/", LISTING),
    ("member directory", "/membership/members/", LISTING),
    ("member directory, filtered", "/membership/members/?tier=full&nation=england", LISTING),
    ("member profile", "/membership/members/kirklees-council/", DETAIL),
    ("news index", "/news/", LISTING),
    ("news, filtered", "/news/?kind=news&category=governance&year=2024&page=2", LISTING),
    ("news category", "/news/category/governance/", LISTING),
    ("news tag", "/news/tag/generated-tag-1/", LISTING),
    ("article", "/news/statement-2026-local-elections/", DETAIL),
    ("generated article", "/news/generated-article-003/", DETAIL),
    ("news RSS", "/news/feed/", LISTING),
    ("news Atom", "/news/feed/atom/", LISTING),
    ("category RSS", "/news/category/governance/feed/", LISTING),
    ("tag RSS", "/news/tag/generated-tag-1/feed/", LISTING),
    ("case studies", "/case-studies/", LISTING),
    (
        "case studies, three facets and a search",
        "/case-studies/?q=council&theme=housing&nation=england&year=2024",
        LISTING,
    ),
    ("case studies, last page", "/case-studies/?page=9999", LISTING),
    ("case study", "/case-studies/community-energy-as-part-of-the-route-to-net-zero/", DETAIL),
    ("generated case study", "/case-studies/generated-case-study-003/", DETAIL),
    ("case studies RSS", "/case-studies/feed/", LISTING),
    ("case studies RSS, filtered", "/case-studies/feed/?theme=housing&nation=england", LISTING),
    ("policy labs", "/policy-labs/", LISTING),
    ("publications", "/publications/", LISTING),
    ("search", "/search/?q=council", LISTING),
    ("API pages", "/api/v2/pages/", LISTING),
    ("API news", "/api/v2/pages/?type=news.NewsPage&fields=summary", LISTING),
    ("API images", "/api/v2/images/", LISTING),
    ("API documents", "/api/v2/documents/", LISTING),
    ("API members", "/api/v2/members/", LISTING),
    ("API suppliers", "/api/v2/suppliers/", LISTING),
]
# The sitemap index and each section's document (ccin/sitemaps.py): the same few queries
# whatever the number of pages; not pages anyone reads, so outside the page budgets.
SITEMAPS = [
    "/sitemap.xml",
    *(f"/sitemap-{name}.xml" for name in ("pages", "news", "case-studies", "members")),
]
SITEMAP_BOUND = 10


@pytest.fixture(scope="module")
def counts(demo_database) -> dict[str, dict[str, tuple[int, int]]]:
    """{"seed": {url: (status, queries)}, "volume": {…}} for every URL."""
    client = Client()
    urls = [url for _label, url, _bound in URLS] + SITEMAPS
    measured = {}
    cache.clear()
    measured["seed"] = {url: count_queries(client, url) for url in urls}
    add_volume(**TEST_VOLUME)
    cache.clear()
    measured["volume"] = {url: count_queries(client, url) for url in urls}
    return measured


@pytest.mark.parametrize(("label", "url", "bound"), URLS, ids=[label for label, *_ in URLS])
def test_queries_are_bounded_and_do_not_grow(counts, label, url, bound):
    seed_status, at_seed = counts["seed"][url]
    volume_status, at_volume = counts["volume"][url]
    assert volume_status == 200, (url, volume_status)
    assert at_volume <= bound, f"{label}: {at_volume} queries with generated content"
    if seed_status == 200:  # generated tags and pages exist only with the volume
        assert at_seed <= bound, f"{label}: {at_seed} queries on the seed content"
        # Images and extra tags appear with the volume; at most their prefetches are added.
        assert at_volume <= at_seed + 2, f"{label}: {at_seed} → {at_volume} queries"


@pytest.mark.parametrize("url", SITEMAPS)
def test_sitemap_documents_cost_the_same_queries_at_any_size(counts, url):
    assert counts["seed"][url][0] == counts["volume"][url][0] == 200
    assert counts["volume"][url][1] <= SITEMAP_BOUND
    assert counts["volume"][url][1] == counts["seed"][url][1]


def test_volume_is_generated_once_and_marked(demo_database):
    from casestudies.models import CaseStudyPage
    from membership.models import MemberCouncil
    from news.models import NewsPage

    add_volume(**TEST_VOLUME)  # already added by the counts fixture, or added now
    before = (
        NewsPage.objects.count(),
        CaseStudyPage.objects.count(),
        MemberCouncil.objects.count(),
    )
    add_volume(**TEST_VOLUME)
    after = (NewsPage.objects.count(), CaseStudyPage.objects.count(), MemberCouncil.objects.count())
    assert after == before
    generated = NewsPage.objects.filter(slug__startswith="generated-article-")
    assert generated.count() == TEST_VOLUME["news"]
    assert all(
        title.startswith("Generated article") for title in generated.values_list("title", flat=True)
    )
    years = {date.year for date in generated.values_list("release_date", flat=True)}
    assert len(years) >= 2
    assert generated.filter(listing_image__isnull=False).count() == TEST_VOLUME["news"] // 3
    members = MemberCouncil.objects.filter(slug__startswith="generated-member-")
    assert members.count() == TEST_VOLUME["members"]
    assert all("not a real council" in name for name in members.values_list("name", flat=True))
