"""Search, health check, robots.txt, sitemap and error pages."""

from unittest import mock

import pytest
from django.db import OperationalError
from wagtail.models import PageViewRestriction, Site

from home.models import StandardPage
from tests.seo.test_sitemaps import sitemap_documents


def add_page(parent, slug, title, live=True, **kwargs) -> StandardPage:
    page = StandardPage(title=title, slug=slug, **kwargs)
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        page.save()
    return page


@pytest.fixture
def pages(home_page):
    return {
        "wealth": add_page(
            home_page,
            "wealth",
            "Community wealth building",
            summary="Anchor institutions and progressive procurement.",
        ),
        "placemaking": add_page(home_page, "placemaking", "Co-operative placemaking"),
        "draft": add_page(home_page, "draft", "Community wealth draft", live=False),
        "private": add_page(home_page, "private", "Community wealth private"),
    }


@pytest.mark.django_db
class TestSearch:
    def test_finds_live_pages_with_type_and_summary(self, client, pages):
        PageViewRestriction.objects.create(
            page=pages["private"], restriction_type=PageViewRestriction.LOGIN
        )
        html = client.get("/search/", {"q": "community wealth"}).content.decode()
        assert "1 result for “community wealth”" in html
        assert 'href="/wealth/">Community wealth building</a>' in html
        assert "Standard page" in html
        assert "Anchor institutions and progressive procurement." in html
        assert "draft" not in html.lower().split("<main")[1]
        assert "Community wealth private" not in html

    def test_empty_query_invites_a_search(self, client, home_page):
        response = client.get("/search/")
        assert response.status_code == 200
        assert "Enter a word or phrase" in response.content.decode()

    @pytest.mark.parametrize(
        "junk",
        ["'\"\\%_()&|!*:", "AND OR NOT", "NEAR(", '"unbalanced', "*", "--", "\x00\x01", "🙂"],
    )
    def test_junk_queries_answer_helpfully(self, client, pages, junk):
        response = client.get("/search/", {"q": junk})
        assert response.status_code == 200
        html = response.content.decode()
        assert any(
            hint in html for hint in ("result", "symbols on their own", "Enter a word or phrase")
        )

    def test_very_long_query_is_trimmed_not_refused(self, client, pages):
        response = client.get("/search/", {"q": "community " * 100})
        assert response.status_code == 200
        assert "used its first 200 characters" in response.content.decode()

    @pytest.mark.parametrize("number", ["999", "-1", "abc", "1e9", ""])
    def test_any_page_number_gives_a_page(self, client, pages, number):
        response = client.get("/search/", {"q": "community", "page": number})
        assert response.status_code == 200
        assert "Community wealth building" in response.content.decode()

    def test_paginates_ten_a_page_and_keeps_the_query(self, client, home_page):
        for n in range(12):
            add_page(home_page, f"coop-{n}", f"Co-operative council {n}")
        first = client.get("/search/", {"q": "council"}).content.decode()
        assert "12 results" in first
        assert first.count('class="search-result"') == 10
        assert 'href="?q=council&amp;page=2"' in first
        second = client.get("/search/", {"q": "council", "page": 2}).content.decode()
        assert second.count('class="search-result"') == 2

    def test_search_results_are_not_indexed(self, client, home_page):
        assert (
            '<meta name="robots" content="noindex">' in client.get("/search/?q=x").content.decode()
        )


@pytest.mark.django_db
class TestHealthz:
    def test_ok_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_503_when_the_database_is_down(self, client):
        with mock.patch(
            "operations.health.connection.cursor", side_effect=OperationalError("down")
        ):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "error"


@pytest.mark.django_db
class TestCrawlers:
    def test_robots_names_the_sitemap_and_keeps_admin_out(self, client):
        body = client.get("/robots.txt").content.decode()
        # The configured site's address (home/hosts.py), not the Host the request claims.
        root = Site.objects.get(is_default_site=True).root_url
        assert f"Sitemap: {root}/sitemap.xml" in body
        assert root != "http://testserver"
        assert "Disallow: /admin/" in body
        assert "Disallow: /search/" in body

    def test_sitemap_lists_live_public_pages_only(self, client, pages):
        PageViewRestriction.objects.create(
            page=pages["private"], restriction_type=PageViewRestriction.LOGIN
        )
        body = sitemap_documents(client)  # the index and the documents it names
        assert "<loc>http://testserver/wealth/</loc>" in body
        assert "<lastmod>" in body
        assert "/draft/" not in body
        assert "/private/" not in body


@pytest.mark.django_db
class TestErrorPages:
    def test_404_is_styled_and_helpful(self, client, home_page):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "<h1>Page not found</h1>" in html
        assert 'href="/search/"' in html
        assert 'class="skip-link"' in html

    def test_500_template_needs_no_database(self):
        from django.template.loader import get_template

        html = get_template("500.html").render({})
        assert "Sorry, there is a problem with the service" in html


@pytest.mark.django_db
def test_healthz_answers_load_balancers_by_ip_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["councils.coop"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # Everything else still gets the host check and the redirect.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_image_files_are_served_without_a_bucket_but_documents_are_not(client):
    from wagtail_factories import ImageFactory

    image = ImageFactory(title="Council chamber")
    rendition = image.get_rendition("width-100")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    # Documents only ever go through Wagtail's view, which checks collection privacy.
    assert client.get("/media-files/documents/report.pdf").status_code == 404
