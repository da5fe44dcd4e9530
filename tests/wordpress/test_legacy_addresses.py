"""Old addresses keep working: this site's former /media/ file URLs and WordPress's links.

Files moved from /media/ to /media-files/ because /media/ was the WordPress site's news
archive. A file's old address answers one 301 to its new one; the archive goes to the news
section; an old post under /media/ reaches the redirects app; WordPress's id links
(/?p=123), which name pages that exist here, are answered from the redirects table too.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site
from wagtail_factories import ImageFactory

from caching.page_cache import PageCacheMiddleware
from home.models import StandardPage
from wordpress.middleware import LegacyQueryRedirectMiddleware

pytestmark = pytest.mark.django_db


def redirect_row(old: str, link: str = "/news/bigger-better-together/", **fields) -> Redirect:
    return Redirect.objects.create(
        old_path=Redirect.normalise_path(old), redirect_link=link, **fields
    )


def assert_one_redirect(response, location: str, status: int = 301) -> None:
    assert response.status_code == status
    assert response["Location"] == location


def assert_home_page(response) -> None:
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]


@pytest.fixture
def rendition(db):
    return ImageFactory(title="Kirklees Council chamber").get_rendition("width-100")


# Uploaded files ------------------------------------------------------------------------------


def test_an_images_address_is_under_media_files_and_serves_it(client, rendition, settings):
    assert not settings.DEBUG and settings.SERVE_MEDIA  # as in production without a bucket
    assert rendition.url.startswith("/media-files/images/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")


def test_an_old_image_address_is_one_301_to_the_file(client, rendition):
    old = rendition.url.replace("/media-files/", "/media/", 1)
    response = client.get(old)
    assert_one_redirect(response, rendition.url)
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert followed["Content-Type"].startswith("image/")
    assert_one_redirect(client.head(old), rendition.url)


def test_old_file_addresses_keep_their_query_string(client):
    assert_one_redirect(client.get("/media/images/x.jpg"), "/media-files/images/x.jpg")
    assert_one_redirect(
        client.get("/media/original_images/report-cover.png?v=2"),
        "/media-files/original_images/report-cover.png?v=2",
    )


def test_an_old_original_still_needs_a_public_image(client):
    """The redirect names a file; only the address it goes to decides whether it is shown."""
    response = client.get("/media/original_images/embargoed.png")
    assert_one_redirect(response, "/media-files/original_images/embargoed.png")
    assert client.get(response["Location"]).status_code == 404


def test_an_old_file_address_with_a_bucket_goes_to_the_bucket(client):
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "councils-coop-media",
                "custom_domain": "media.councils.coop",
                "querystring_auth": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        response = client.get("/media/images/chamber.width-100.jpg")
    assert_one_redirect(response, "https://media.councils.coop/images/chamber.width-100.jpg")


@pytest.mark.parametrize(
    "path",
    ["/media/images/../../settings.py", "/media/images/a/b.jpg", "/media/original_images/x..png"],
)
def test_an_old_file_address_that_is_not_a_file_name_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_documents_were_never_files_at_media(client, home_page):
    assert client.get("/media/documents/report.pdf").status_code == 404


# WordPress's news archive at /media/ ---------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/media/", "/news/"),
        ("/media/page/1/", "/news/"),
        ("/media/page/3/", "/news/?page=3"),
        ("/media/feed/", "/news/feed/"),
        ("/media/feed/atom/", "/news/feed/atom/"),
    ],
)
def test_the_old_news_archive_goes_to_the_news_section(client, old, new):
    assert_one_redirect(client.get(old), new)


def test_an_old_post_under_media_reaches_its_imported_redirect(client, home_page):
    redirect_row("/media/some-old-post/", "/news/")
    assert Redirect.objects.get().old_path == "/media/some-old-post"  # stored without the slash
    assert_one_redirect(client.get("/media/some-old-post/"), "/news/")
    assert_one_redirect(client.get("/media/some-old-post"), "/news/")
    assert client.get("/media/never-published/").status_code == 404


# WordPress's id links ------------------------------------------------------------------------


def test_an_id_link_with_a_redirect_is_one_hop(client, home_page):
    redirect_row("/?p=123")
    assert_one_redirect(client.get("/?p=123"), "/news/bigger-better-together/")


def test_an_id_link_without_a_redirect_is_the_home_page(client, home_page):
    assert_home_page(client.get("/?p=123"))


def test_campaign_tags_and_other_parameters_do_not_stop_the_redirect(client, home_page):
    redirect_row("/?p=123")
    response = client.get("/?p=123&utm_source=newsletter&utm_medium=email")
    assert_one_redirect(response, "/news/bigger-better-together/")


@pytest.mark.parametrize(
    ("old", "query"),
    [
        ("/?page_id=45", "page_id=45"),
        ("/?attachment_id=9", "attachment_id=9"),
        ("/?cat=3", "cat=3"),
        ("/?tag=co-operative-values", "tag=co-operative-values"),
        ("/?feed=rss2", "feed=rss2"),
    ],
)
def test_every_kind_of_id_link_is_redirected(client, home_page, old, query):
    redirect_row(old, "/membership/")
    assert_one_redirect(client.get(f"/?{query}"), "/membership/")


def test_an_id_link_on_another_page_uses_that_pages_path(client, home_page):
    about = home_page.add_child(instance=StandardPage(title="About us", slug="about-us"))
    about.save_revision().publish()
    redirect_row("/about-us/?page_id=45", "/about/")
    assert_one_redirect(client.get("/about-us/?page_id=45"), "/about/")
    assert client.get("/about-us/?page_id=46").status_code == 200


def test_a_redirect_to_a_page_goes_to_its_address(client, home_page):
    about = home_page.add_child(instance=StandardPage(title="About us", slug="about-us"))
    about.save_revision().publish()
    Redirect.objects.create(old_path="/?page_id=45", redirect_page=about)
    assert_one_redirect(client.get("/?page_id=45"), "/about-us/")


def test_a_temporary_redirect_is_a_302(client, home_page):
    redirect_row("/?p=123", is_permanent=False)
    assert_one_redirect(client.get("/?p=123"), "/news/bigger-better-together/", status=302)


def test_this_sites_own_redirect_comes_before_one_for_every_site(client, home_page, site):
    other = Site.objects.create(hostname="other.example.org", root_page=home_page)
    redirect_row("/?p=123", "/for-every-site/")
    redirect_row("/?p=123", "/for-this-site/", site=site)
    redirect_row("/?p=7", "/for-the-other-site/", site=other)
    assert_one_redirect(client.get("/?p=123"), "/for-this-site/")
    assert_home_page(client.get("/?p=7"))


def test_a_category_feed_link_prefers_a_redirect_for_both_parameters(client, home_page):
    redirect_row("/?cat=3", "/news/category/governance/")
    assert_one_redirect(client.get("/?cat=3&feed=rss2"), "/news/category/governance/")
    redirect_row("/?feed=rss2&cat=3", "/news/category/governance/feed/")
    assert_one_redirect(client.get("/?cat=3&feed=rss2"), "/news/category/governance/feed/")


@pytest.mark.parametrize(
    "query",
    [
        "p=abc",
        "p=",
        "p",
        "p=1&p=2",
        "p=" + "9" * 5000,
        "tag=" + "a" * 5000,
        "p=12%00",
        "tag=%ZZ",
        "tag=<script>",
        "feed=rss2%0d%0aSet-Cookie:x",
        "p=%C0%AF",
        "p=\u0661\u0662",  # Arabic-Indic digits: not an id WordPress wrote
    ],
)
def test_junk_values_are_the_home_page_not_an_error(client, home_page, query):
    redirect_row("/?p=1")
    redirect_row("/?p=2")
    assert_home_page(client.get(f"/?{query}"))


def test_the_admin_is_never_redirected(admin_client, home_page):
    redirect_row("/admin/pages?p=2", "/news/")
    assert admin_client.get("/admin/pages/?p=2").status_code == 200


def test_a_cached_home_page_does_not_hide_a_new_redirect(client, home_page, site_settings):
    header = PageCacheMiddleware.HEADER
    with override_settings(CCIN_PAGE_CACHE_SECONDS=3600):
        assert client.get("/?p=123")[header] == "miss"
        assert client.get("/?p=123")[header] == "hit"
        redirect_row("/?p=123")  # as the importer adds it: no page changed
        response = client.get("/?p=123")
        assert_one_redirect(response, "/news/bigger-better-together/")
        assert header not in response
        assert client.get("/?p=124")[header] == "miss"  # other id links are still pages


def test_a_lost_database_is_still_the_friendly_503(client, home_page):
    redirect_row("/?p=123")
    lost = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=lost):
        response = client.get("/?p=123")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_one_redirect(client.get("/?p=123"), "/news/bigger-better-together/")  # recovered


@pytest.mark.parametrize(
    "url", ["/", "/news/?page=2&utm_source=newsletter", "/?pp=1&paged=2", "/?s=housing"]
)
def test_a_request_without_a_wordpress_key_costs_no_query(rf, url, django_assert_num_queries):
    middleware = LegacyQueryRedirectMiddleware(lambda request: HttpResponse("the page"))
    with django_assert_num_queries(0):
        response = middleware(rf.get(url))
    assert response.content == b"the page"


def test_a_wordpress_key_without_a_redirect_costs_one_query(rf, django_assert_num_queries):
    middleware = LegacyQueryRedirectMiddleware(lambda request: HttpResponse("the page"))
    with django_assert_num_queries(1):
        response = middleware(rf.get("/news/?tag=housing"))
    assert response.content == b"the page"
