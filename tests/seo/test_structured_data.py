"""JSON-LD on each page type: valid JSON with the properties search engines require."""

import pytest

pytestmark = pytest.mark.django_db

ARTICLE_PROPERTIES = {"headline", "datePublished", "author", "publisher", "mainEntityOfPage"}


def assert_article(node: dict, url: str, headline: str) -> None:
    assert set(node) >= ARTICLE_PROPERTIES
    assert node["headline"] == headline
    assert node["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert node["publisher"]["@type"] == "Organization"
    assert node["publisher"]["name"] == "Co-operative Councils' Innovation Network"
    assert node["publisher"]["logo"].startswith("http://testserver/static/")
    assert node["author"] and all(a["name"] for a in node["author"])


def test_home_page_describes_the_network(head, published_site, site_settings):
    site_settings.social_links = [
        ("link", {"platform": "linkedin", "url": "https://www.linkedin.com/company/ccin"})
    ]
    site_settings.save()
    page = head("/")
    org = page.node("Organization")
    assert org["name"] == "Co-operative Councils' Innovation Network"
    assert org["alternateName"] == "CCIN"
    assert org["url"] == "http://testserver/"
    assert org["logo"].startswith("http://testserver/static/images/")
    assert org["sameAs"] == ["https://www.linkedin.com/company/ccin"]
    assert not [n for n in page.json_ld if n["@type"] == "BreadcrumbList"]


def test_news_article(head, published_site):
    url = "http://testserver/news/elections-2026/"
    node = head("/news/elections-2026/").node("NewsArticle")
    assert_article(node, url, "Co-operative councils respond to the 2026 local elections")
    assert node["author"] == [
        {"@type": "Person", "name": "Cllr Jim McMahon", "jobTitle": "Chair of the CCIN"}
    ]
    assert node["datePublished"][:10] == published_site.article.release_date.date().isoformat()
    assert node["image"][0].startswith("http://testserver/media-files/images/")
    assert "fill-1200x630" in node["image"][0]
    assert node["articleSection"] == "Governance"


def test_case_study_is_an_article_by_its_councils(head, published_site):
    url = "http://testserver/case-studies/community-led-housing/"
    node = head("/case-studies/community-led-housing/").node("Article")
    assert_article(node, url, "Community-led housing in Oldham")
    # The lead council first, then the others who took part.
    names = [a["name"] for a in node["author"]]
    assert names[0] == "Oldham Council"
    assert set(names) == {
        "Oldham Council",
        "An Affiliate Person",
        "Cardiff Council",
        "Co-operative Futures",
        "A housing co-op",
    }
    assert node["datePublished"]
    assert "fill-1200x630" in node["image"][0]
    assert node["about"] == ["Housing"]
    assert node["description"] == "Homes built and run by the people who live in them."


def test_publication_is_an_article_with_its_report(head, published_site):
    url = "http://testserver/publications/co-operative-council-report/"
    node = head("/publications/co-operative-council-report/").node("Article")
    assert_article(node, url, "The co-operative council report")
    assert node["datePublished"] == "2022-02"
    assert [a["name"] for a in node["author"]] == ["Oldham Council", "Co-operatives UK"]
    media = node["associatedMedia"]
    assert media["contentUrl"].startswith("http://testserver/documents/")
    assert media["encodingFormat"] == "application/pdf"
    assert "image" not in node  # no image on this report: none is claimed


def test_policy_project_is_an_article(head, published_site):
    url = "http://testserver/policy-labs/community-wealth-building/"
    node = head("/policy-labs/community-wealth-building/").node("Article")
    assert_article(node, url, "Community wealth building lab")
    assert node["articleSection"] == "Policy Lab"


def test_an_article_without_authors_is_by_the_network(head, published_site):
    published_site.article.authors.all().delete()
    node = head("/news/elections-2026/").node("NewsArticle")
    assert node["author"] == [
        {"@type": "Organization", "name": "Co-operative Councils' Innovation Network"}
    ]


def crumbs(page) -> list[tuple[str, str]]:
    node = page.node("BreadcrumbList")
    items = node["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    return [(item["name"], item["item"]) for item in items]


BELOW_HOME = [
    "/news/",
    "/news/elections-2026/",
    "/case-studies/",
    "/case-studies/community-led-housing/",
    "/policy-labs/",
    "/policy-labs/community-wealth-building/",
    "/publications/",
    "/publications/co-operative-council-report/",
    "/membership/",
    "/membership/members/",
    "/about/",
]


@pytest.mark.parametrize("path", BELOW_HOME)
def test_every_page_below_home_has_breadcrumbs_in_json_ld_and_on_the_page(
    head, published_site, path
):
    page = head(path)
    trail = crumbs(page)
    assert trail[0] == ("Home", "http://testserver/")
    assert trail[-1][1] == f"http://testserver{path}"
    visible = page.visible_breadcrumbs
    assert visible[0] == "Home"
    assert [name for name, _ in trail] == visible


def test_member_profile_breadcrumbs_end_with_the_member(head, published_site):
    page = head("/membership/members/oldham-council/")
    assert crumbs(page) == [
        ("Home", "http://testserver/"),
        ("Membership", "http://testserver/membership/"),
        ("Our members", "http://testserver/membership/members/"),
        ("Oldham Council", "http://testserver/membership/members/oldham-council/"),
    ]
    assert page.visible_breadcrumbs == ["Home", "Membership", "Our members", "Oldham Council"]


def test_news_category_breadcrumbs_end_with_the_category(head, published_site):
    page = head("/news/category/governance/")
    assert crumbs(page)[-1] == ("Governance", "http://testserver/news/category/governance/")
    assert page.visible_breadcrumbs[-1] == "Governance"


def test_titles_cannot_break_out_of_the_json_ld(client, published_site):
    article = published_site.article
    article.title = "</script><script>alert(1)</script> & more"
    article.save_revision().publish()
    html = client.get("/news/elections-2026/").content.decode()
    assert "<script>alert(1)" not in html
    from tests.seo.conftest import Head

    node = Head(html).node("NewsArticle")
    assert node["headline"] == "</script><script>alert(1)</script> & more"
