"""Limits, bad parameters, methods and CORS: clear JSON errors, never a 500."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from api.endpoints import PublicPagesAPIViewSet

pytestmark = pytest.mark.django_db

ENDPOINTS = ["pages", "images", "documents", "members", "suppliers"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_limit_above_the_maximum_is_refused(client, published_site, endpoint):
    response = client.get(f"/api/v2/{endpoint}/?limit=101")
    assert response.status_code == 400
    assert response.json() == {"message": "limit cannot be higher than 100"}
    assert client.get(f"/api/v2/{endpoint}/?limit=100").status_code == 200


def test_default_page_size_and_offset(client, published_site):
    everything = client.get("/api/v2/pages/?limit=100").json()
    assert everything["meta"]["total_count"] == len(everything["items"]) > 2
    first_two = client.get("/api/v2/pages/?limit=2").json()["items"]
    next_two = client.get("/api/v2/pages/?limit=2&offset=2").json()["items"]
    assert [p["id"] for p in first_two + next_two] == [p["id"] for p in everything["items"][:4]]


BAD_REQUESTS = [
    "/api/v2/pages/?limit=-1",
    "/api/v2/pages/?limit=lots",
    "/api/v2/pages/?offset=-5",
    "/api/v2/pages/?offset=1e9",
    "/api/v2/pages/?colour=red",
    "/api/v2/pages/?type=nowhere.Page",
    "/api/v2/pages/?type=membership.MemberCouncil",
    "/api/v2/pages/?type=news.NewsPage&fields=nonsense",
    "/api/v2/pages/?fields=title(",
    "/api/v2/pages/?fields=title(id)",
    "/api/v2/pages/?order=password",
    "/api/v2/pages/?order=random&offset=3",
    "/api/v2/pages/?child_of=abc",
    "/api/v2/pages/?child_of=999999",
    "/api/v2/pages/?descendant_of=-3",
    "/api/v2/pages/?ancestor_of=x",
    "/api/v2/pages/?search=council&search_operator=xor",
    "/api/v2/pages/?rich_text_format=docx",
    "/api/v2/pages/?type=news.NewsPage&kind=gossip",
    "/api/v2/pages/?type=news.NewsPage&category=governance",
    "/api/v2/pages/?type=news.NewsPage&release_date=yesterday",
    "/api/v2/pages/?type=casestudies.CaseStudyPage&year=last",
    "/api/v2/pages/?type=casestudies.CaseStudyPage&nation=atlantis",
    "/api/v2/pages/?type=casestudies.CaseStudyPage&themes=housing",
    "/api/v2/pages/?type=casestudies.CaseStudyPage&lead_council=%00",
    "/api/v2/pages/?title=%00",
    "/api/v2/members/?nation=atlantis",
    "/api/v2/members/?annual_budget=lots",
    "/api/v2/members/?population=-1x",
    "/api/v2/members/?commitments=living-wage",
    "/api/v2/members/?id=abc",
    "/api/v2/members/?order=secret",
    "/api/v2/members/?logo=abc",
    "/api/v2/suppliers/?framework_end=soon",
    "/api/v2/suppliers/?specialisms=procurement&search=council",
    "/api/v2/images/?width=wide",
    "/api/v2/documents/?id=1;DROP TABLE",
]


@pytest.mark.parametrize("url", BAD_REQUESTS)
def test_bad_parameters_are_a_400_with_a_message(client, published_site, url):
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    message = response.json()["message"]
    assert isinstance(message, str) and message


def test_a_site_with_a_nul_byte_is_a_400_on_listings_details_and_find(client, published_site):
    """Found by the fuzz test on PostgreSQL: ``?site=%00`` reached the Site lookup (a 500)."""
    for url in (
        "/api/v2/pages/?site=%00",
        f"/api/v2/pages/{published_site.home.pk}/?q=&site=&site=%00",
        "/api/v2/pages/find/?html_path=/&site=%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code, response.content[:300])
        assert "site must be a host name" in response.json()["message"]


ODD_BUT_VALID = [
    "/api/v2/pages/?search=%22%22%22",
    "/api/v2/pages/?search=AND%20OR%20NOT",
    "/api/v2/pages/?search=*",
    "/api/v2/pages/?search=council%00housing",
    "/api/v2/pages/?search=" + "x" * 5000,
    "/api/v2/pages/?search=",
    "/api/v2/pages/?type=casestudies.CaseStudyPage&year=99999999999999999999",
    "/api/v2/pages/?offset=99999999",
    "/api/v2/members/?search=(council",
    "/api/v2/members/?population=99999999999999999999999",
    "/api/v2/suppliers/?search=NEAR(x",
    "/api/v2/pages/?_=12345",
]


@pytest.mark.parametrize("url", ODD_BUT_VALID)
def test_odd_input_is_answered_not_crashed(client, published_site, url):
    response = client.get(url)
    assert response.status_code in (200, 400), (url, response.status_code)
    assert "message" in response.json() or "items" in response.json()


def test_unknown_ids_are_a_json_404(client, published_site):
    for url in [
        "/api/v2/pages/999999/",
        "/api/v2/members/999999/",
        "/api/v2/images/999999/",
        "/api/v2/pages/?site=nowhere.example",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "message" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, published_site, method):
    response = getattr(client, method)("/api/v2/pages/", data={}, content_type="application/json")
    assert response.status_code == 405
    assert response.json() == {"message": f'Method "{method.upper()}" not allowed.'}


def test_cors_allows_any_origin_to_read_the_api(client, published_site):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://www.oldham.gov.uk")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_reads_only(client, published_site):
    response = client.options(
        "/api/v2/members/",
        HTTP_ORIGIN="https://www.oldham.gov.uk",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_cors_headers_stay_off_the_rest_of_the_site(client, published_site):
    for url in ["/", "/news/", "/admin/login/", "/sitemap.xml"]:
        response = client.get(url, HTTP_ORIGIN="https://evil.example")
        assert "Access-Control-Allow-Origin" not in response, url


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def add_more_content(site, n: int = 4) -> None:
    from casestudies.models import CaseStudyPage
    from news.models import NewsPage, NewsPageAuthor
    from tests.api.conftest import member, publish

    for i in range(n):
        article = NewsPage(
            title=f"Extra article {i}",
            slug=f"extra-{i}",
            category=site.governance,
            listing_image=site.image,
        )
        article.authors = [NewsPageAuthor(name=f"Author {i}")]
        article.tags.set([f"tag {i}"])
        publish(site.news_index, article)
        publish(
            site.cs_index,
            CaseStudyPage(
                title=f"Extra case study {i}",
                slug=f"extra-case-{i}",
                lead_council=site.cardiff,
                participating_councils=[site.oldham],
                themes=[site.housing],
                listing_image=site.image,
            ),
        )
        member(f"Extra Council {i}", f"extra-council-{i}", logo=site.image)


LISTINGS = [
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?type=news.NewsPage&fields=*",
    "/api/v2/pages/?type=casestudies.CaseStudyPage&fields=*",
    "/api/v2/members/?fields=*",
    "/api/v2/suppliers/?fields=*",
    "/api/v2/images/?fields=*",
]


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_queries_do_not_grow_with_the_number_of_items(client, published_site, url):
    client.get(url)  # renditions are created on first use; count a warm listing
    before = query_count(client, url)
    add_more_content(published_site)
    client.get(url)
    assert query_count(client, url) <= before
    assert before <= 16  # a fixed cost: restrictions, site, count, one query a relation


def test_listing_query_bound(client, published_site, django_assert_max_num_queries):
    client.get("/api/v2/pages/?type=news.NewsPage&fields=*")
    with django_assert_max_num_queries(12):
        client.get("/api/v2/pages/?type=news.NewsPage&fields=*")


ENDPOINTS = ["pages", "images", "documents", "members", "suppliers"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("junk", ["abc", "1.5", "-3", "1e3", "9" * 40])
def test_find_by_an_id_that_is_not_a_number_is_a_400(client, published_site, endpoint, junk):
    response = client.get(f"/api/v2/{endpoint}/find/", {"id": junk})
    assert response.status_code == 400
    assert response.json() == {"message": "id must be a positive whole number"}


def test_find_by_a_path_with_a_nul_byte_finds_nothing(client, published_site):
    """PostgreSQL refuses NUL in any string: this was a 500 there."""
    response = client.get("/api/v2/pages/find/?html_path=/news/%00")
    assert response.status_code == 404
    assert response.json() == {"message": "not found"}


def test_a_lost_database_is_a_503_not_a_bad_search(client, published_site):
    """A query failing because the database went away is an outage, not the caller's input."""
    with (
        mock.patch.object(
            PublicPagesAPIViewSet, "get_queryset", side_effect=OperationalError("gone")
        ),
        mock.patch("api.endpoints.database_answers", return_value=False),
    ):
        response = client.get("/api/v2/pages/?search=housing")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "unavailable" in response.json()["message"]


@pytest.mark.parametrize("path", ["/api/v2/pages/{id}/", "/api/v2/pages/find/?html_path=/"])
def test_a_lost_database_is_a_json_503_on_detail_and_find_too(client, published_site, path):
    with (
        mock.patch.object(
            PublicPagesAPIViewSet, "get_queryset", side_effect=OperationalError("gone")
        ),
        mock.patch("api.endpoints.database_answers", return_value=False),
    ):
        response = client.get(path.format(id=published_site.home.pk))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    assert "unavailable" in response.json()["message"]
