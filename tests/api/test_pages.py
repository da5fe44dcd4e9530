"""/api/v2/pages/: only live, public pages, with each page type's fields."""

import pytest

pytestmark = pytest.mark.django_db


def items(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def titles(client, url: str) -> set[str]:
    return {item["title"] for item in items(client, url)}


HIDDEN = ("Draft statement", "Embargoed statement", "Members-only briefing")


def test_listing_shows_live_public_pages_only(client, published_site):
    listed = titles(client, "/api/v2/pages/?limit=100")
    assert "Co-operative councils respond to the 2026 local elections" in listed
    assert "Community-led housing in Oldham" in listed
    for title in HIDDEN:
        assert title not in listed


@pytest.mark.parametrize(
    "query",
    [
        "?type=news.NewsPage",
        "?type=news.NewsPage&fields=*",
        "?child_of={news}",
        "?descendant_of={news}",
        "?search=statement",
        "?search=briefing",
        "?type=news.NewsPage&search=statement",
        "?order=-first_published_at",
    ],
)
def test_drafts_embargoed_and_private_pages_never_leak(client, published_site, query):
    url = "/api/v2/pages/" + query.format(news=published_site.news_index.pk)
    listed = titles(client, url)
    assert not listed & set(HIDDEN)


@pytest.mark.parametrize("name", ["draft", "embargoed", "private"])
def test_hidden_pages_have_no_detail(client, published_site, name):
    page = getattr(published_site, name)
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 404
    assert response.json() == {"message": "No Page matches the given query."}
    found = client.get(f"/api/v2/pages/find/?html_path=/news/{page.slug}/")
    assert found.status_code == 404


def test_embargoed_page_appears_once_released(client, published_site):
    from django.core.management import call_command
    from django.utils import timezone

    embargoed = published_site.embargoed
    assert client.get(f"/api/v2/pages/{embargoed.pk}/").status_code == 404
    # Two hours pass: the embargo time is now in the past.
    past = timezone.now() - timezone.timedelta(minutes=1)
    revision = embargoed.revisions.get(approved_go_live_at__isnull=False)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    assert client.get(f"/api/v2/pages/{embargoed.pk}/").status_code == 200


def test_find_by_path_redirects_to_the_detail(client, published_site):
    response = client.get("/api/v2/pages/find/?html_path=/news/elections-2026/")
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"http://testserver/api/v2/pages/{published_site.article.pk}/"
    )


def test_news_article_fields(client, published_site):
    data = client.get(f"/api/v2/pages/{published_site.article.pk}/").json()
    assert data["meta"]["type"] == "news.NewsPage"
    assert data["meta"]["html_url"] == "http://testserver/news/elections-2026/"
    assert data["kind"] == "press-release"
    assert data["release_date"]
    assert data["category"] == {"name": "Governance", "slug": "governance"}
    assert data["tags"] == ["Devolution", "local elections 2026"]
    assert [(a["name"], a["role"]) for a in data["authors"]] == [
        ("Cllr Jim McMahon", "Chair of the CCIN")
    ]
    assert data["summary"] == "The network's response to the local election results."
    assert data["body"][0]["type"] == "paragraph"
    assert "Co-operative councils held their ground." in data["body_html"]
    image = data["listing_image"]
    assert image["full_url"].startswith("http://testserver/media-files/images/")
    assert "fill-1200x630" in image["url"]
    assert image["alt"] == "Council chamber"


def test_news_listing_default_and_requested_fields(client, published_site):
    [item] = items(client, "/api/v2/pages/?type=news.NewsPage")
    assert set(item) == {"id", "meta", "title"}
    [item] = items(client, "/api/v2/pages/?type=news.NewsPage&fields=kind,category,summary")
    assert item["kind"] == "press-release"
    assert item["category"]["slug"] == "governance"


def test_rendered_body_is_for_one_page_only(client, published_site):
    response = client.get("/api/v2/pages/?type=news.NewsPage&fields=body_html")
    assert response.status_code == 400
    assert "detail view" in response.json()["message"]


def test_news_filters_by_kind_and_category(client, published_site):
    base = "/api/v2/pages/?type=news.NewsPage"
    assert len(items(client, f"{base}&kind=press-release")) == 1
    assert items(client, f"{base}&kind=opinion") == []
    assert len(items(client, f"{base}&category={published_site.governance.pk}")) == 1


def test_case_study_fields(client, published_site):
    data = client.get(f"/api/v2/pages/{published_site.case_study.pk}/").json()
    assert data["lead_council"] == {
        "name": "Oldham Council",
        "html_url": "http://testserver/membership/members/oldham-council/",
        "detail_url": f"http://testserver/api/v2/members/{published_site.oldham.pk}/",
    }
    participants = {c["name"]: c for c in data["participating_councils"]}
    assert participants["Cardiff Council"]["html_url"].endswith("/members/cardiff-council/")
    # Named on the page, but affiliates have no public profile or API record.
    assert participants["An Affiliate Person"]["html_url"] is None
    assert participants["An Affiliate Person"]["detail_url"] is None
    assert data["other_organisations"] == ["Co-operative Futures", "A housing co-op"]
    assert data["themes"] == [{"name": "Housing", "slug": "housing"}]
    assert data["principles"] == ["Co-production"]
    assert (data["nation"], data["year"], data["status"]) == ("england", 2024, "completed")
    assert "Tenants designed the homes." in data["body_html"]


def test_case_studies_filter_by_nation_and_year(client, published_site):
    base = "/api/v2/pages/?type=casestudies.CaseStudyPage"
    assert len(items(client, f"{base}&nation=england&year=2024")) == 1
    assert items(client, f"{base}&year=2023") == []


def test_policy_project_fields(client, published_site):
    data = client.get(f"/api/v2/pages/{published_site.project.pk}/").json()
    assert data["project_type"] == "lab"
    assert data["funding_band"] == "£10,000–£20,000"
    assert data["round"] == "2026"
    assert [c["name"] for c in data["lead_councils"]] == ["Oldham Council"]


def test_publication_has_its_document_url(client, published_site):
    data = client.get(f"/api/v2/pages/{published_site.publication.pk}/").json()
    assert data["date_display"] == "February 2022"
    assert data["partner_organisations"] == ["Co-operatives UK"]
    document = data["document"]
    assert document["title"] == "Co-operative councils report"
    assert document["meta"]["download_url"].startswith("http://testserver/documents/")
    assert document["meta"]["download_url"].endswith(".pdf")


def test_rich_text_is_display_html(client, published_site):
    from membership.models import MemberCouncil

    oldham = MemberCouncil.objects.get(slug="oldham-council")
    oldham.profile = f'<p>See <a linktype="page" id="{published_site.about.pk}">about</a>.</p>'
    oldham.save()
    data = client.get(f"/api/v2/members/{oldham.pk}/").json()
    assert data["profile"] == '<p>See <a href="/about/">about</a>.</p>'
