"""Titles, descriptions, canonicals and social cards on every page; sitemap and robots.txt."""

import pytest

from .test_sitemaps import all_entries as all_sitemap_entries

pytestmark = pytest.mark.django_db

ORG = "Co-operative Councils' Innovation Network"

PAGES = [
    "/",
    "/news/",
    "/news/elections-2026/",
    "/news/category/governance/",
    "/case-studies/",
    "/case-studies/community-led-housing/",
    "/policy-labs/",
    "/policy-labs/community-wealth-building/",
    "/publications/",
    "/publications/co-operative-council-report/",
    "/membership/",
    "/membership/members/",
    "/membership/members/oldham-council/",
    "/membership/members/cardiff-council/",
    "/about/",
]


def test_every_page_has_a_unique_title(head, published_site):
    titles = [head(path).title for path in PAGES]
    assert len(set(titles)) == len(titles), titles
    assert titles[0] == ORG
    assert all(title.endswith(f" | {ORG}") for title in titles[1:])


@pytest.mark.parametrize("path", PAGES)
def test_social_tags_repeat_the_title_description_and_canonical(head, published_site, path):
    page = head(path)
    title = page.title.removesuffix(f" | {ORG}")
    assert page.meta("og:title") == page.meta("twitter:title") == title
    assert page.canonical and page.canonical.startswith("http://testserver/")
    assert page.meta("og:url") == page.canonical
    assert page.meta("og:site_name") == ORG
    description = page.meta("description")
    if description:
        assert page.meta("og:description") == page.meta("twitter:description") == description
    assert page.meta("twitter:card") in ("summary", "summary_large_image")


def test_description_comes_from_the_summary_or_search_description(head, published_site):
    page = head("/case-studies/community-led-housing/")
    assert page.meta("description") == "Homes built and run by the people who live in them."
    case_study = published_site.case_study
    case_study.search_description = "Written for search engines."
    case_study.save_revision().publish()
    page = head("/case-studies/community-led-housing/")
    assert page.meta("description") == page.meta("og:description") == "Written for search engines."


def test_share_image_is_a_1200x630_rendition(head, published_site):
    page = head("/news/elections-2026/")
    assert page.meta("og:image").startswith("http://testserver/media-files/images/")
    assert "fill-1200x630" in page.meta("og:image")
    assert page.meta("og:image:alt") == "Council chamber"
    assert page.meta("twitter:card") == "summary_large_image"
    # A page without an image shares its drawn card (home/social_cards.py), also large.
    assert head("/about/").meta("og:image").startswith("http://testserver/social-cards/page/")


def test_article_pages_are_og_articles(head, published_site):
    assert head("/news/elections-2026/").meta("og:type") == "article"
    assert head("/case-studies/community-led-housing/").meta("og:type") == "article"
    assert head("/about/").meta("og:type") == "website"


def test_category_page_has_its_own_title_and_canonical(head, published_site):
    page = head("/news/category/governance/")
    assert page.title == f"Governance news | {ORG}"
    assert page.canonical == "http://testserver/news/category/governance/"
    assert page.meta("og:url") == page.canonical
    assert page.meta("og:title") == "Governance news"


def test_filtered_listings_point_search_engines_at_the_listing(head, published_site):
    assert head("/news/?kind=press-release").canonical == "http://testserver/news/"
    assert head("/membership/members/?nation=wales").canonical == (
        "http://testserver/membership/members/"
    )
    assert head("/publications/?year=2022").canonical == "http://testserver/publications/"


def test_member_profile_is_its_own_page_to_search_engines(head, published_site):
    page = head("/membership/members/oldham-council/")
    assert page.title == f"Oldham Council | {ORG}"
    assert page.canonical == "http://testserver/membership/members/oldham-council/"
    assert page.meta("og:url") == page.canonical
    assert page.meta("og:title") == "Oldham Council"
    assert page.meta("description").startswith("Oldham Council: full member")


def sitemap_entries(client) -> dict[str, str | None]:
    """Every address in the documents of the sitemap index, with its lastmod."""
    return dict(all_sitemap_entries(client))


def test_sitemap_lists_live_public_pages_and_member_profiles_with_lastmod(client, published_site):
    entries = sitemap_entries(client)
    for path in PAGES:
        assert f"http://testserver{path}" in entries, path
    assert all(entries.values()), "every entry has a lastmod"
    profiles = {url for url in entries if url.startswith("http://testserver/membership/members/")}
    assert profiles == {
        "http://testserver/membership/members/",
        "http://testserver/membership/members/cardiff-council/",
        "http://testserver/membership/members/glasgow-city-council/",
        "http://testserver/membership/members/oldham-council/",
    }
    for hidden in ("draft-statement", "embargoed-statement", "members-only"):
        assert f"http://testserver/news/{hidden}/" not in entries


def test_robots_txt_points_at_the_sitemap_and_keeps_admin_and_search_out(client, published_site):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
