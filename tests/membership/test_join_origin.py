"""The join form carries no CSRF token, so the membership page is cached for anonymous
visitors; its POSTs are accepted only when the browser shows they come from this site.

security/csrf.py and docs/security.md#forms-on-cached-pages. Every client here enforces CSRF
checks, as a real browser meets them.
"""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from caching.page_cache import PageCacheMiddleware
from home.models import StandardPage
from membership.join import JOIN_LIMIT
from membership.models import JoinEnquiry

from .test_join_form import VALID

pytestmark = pytest.mark.django_db

URL = "/membership/"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
RESEND_NOTICE = "press “Send enquiry” again"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def token_in(response) -> str | None:
    match = TOKEN.search(response.content.decode())
    return match.group(1) if match else None


def assert_refused(response) -> None:
    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
    assert JoinEnquiry.objects.count() == 0
    assert mail.outbox == []


# Accepted on the browser's word -------------------------------------------------------------


def test_a_same_origin_post_is_taken_without_a_token(browser, membership_page):
    response = browser.post(URL, VALID, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert response["Location"] == "/membership/thanks/"
    assert JoinEnquiry.objects.get().organisation == "Anytown Borough Council"
    assert len(mail.outbox) == 1
    assert "csrftoken" not in response.cookies


def test_a_matching_origin_is_enough_without_sec_fetch_site(browser, membership_page):
    """Browsers from before Sec-Fetch-Site (Safari before 16.4) still send Origin on a POST."""
    response = browser.post(URL, VALID, headers={"Origin": "http://testserver"})
    assert response.status_code == 302
    assert JoinEnquiry.objects.count() == 1


def test_an_origin_in_csrf_trusted_origins_is_accepted(browser, membership_page, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.councils.coop"]
    response = browser.post(URL, VALID, headers={"Origin": "https://www.councils.coop"})
    assert response.status_code == 302
    assert JoinEnquiry.objects.count() == 1


def test_invalid_input_from_the_site_is_shown_again_without_a_token(browser, membership_page):
    response = browser.post(URL, {**VALID, "email": "nope"}, headers=SAME_ORIGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address in the right format" in html
    assert 'value="Anytown Borough Council"' in html
    assert token_in(response) is None  # the next POST is proved the same way
    assert JoinEnquiry.objects.count() == 0


# Refused -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another host under the same domain
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "made-up"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed frame, a data: URL, a redirect across origins
        {"Origin": "https://testserver"},  # another scheme is another origin
        {"Origin": "http://[::1"},  # not even a URL
        {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "none", "Origin": "https://evil.example"},
    ],
    ids=lambda headers: ",".join(f"{k}={v}" for k, v in headers.items()),
)
def test_a_post_from_elsewhere_is_refused_and_nothing_is_kept(browser, membership_page, headers):
    assert_refused(browser.post(URL, VALID, headers=headers))


def test_a_refused_post_uses_up_nothing_of_the_senders_rate_limit(browser, membership_page):
    browser.post(URL, VALID, headers={"Sec-Fetch-Site": "cross-site"})
    assert JOIN_LIMIT.count("127.0.0.1") == 0


# Neither header: sent again with a token -----------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Sec-Fetch-Site": "none"}], ids=["no headers", "none"])
def test_no_word_from_the_browser_asks_to_send_again_and_keeps_the_input(
    browser, membership_page, headers
):
    first = browser.post(URL, VALID, headers=headers)
    html = first.content.decode()
    assert first.status_code == 200
    assert RESEND_NOTICE in html
    assert 'value="Anytown Borough Council"' in html
    assert 'value="sam@anytown.gov.uk"' in html
    assert "We would like to join." in html
    assert re.search(r'<input[^>]*name="tier" value="full"[^>]*checked', html)
    token = token_in(first)
    assert token
    assert "csrftoken" in first.cookies
    assert "no-cache" in first["Cache-Control"]
    assert JoinEnquiry.objects.count() == 0
    assert mail.outbox == []

    second = browser.post(URL, {**VALID, "csrfmiddlewaretoken": token})
    assert second.status_code == 302
    assert JoinEnquiry.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_resent_form_still_shows_its_errors(browser, membership_page):
    response = browser.post(URL, {**VALID, "name": ""})
    html = response.content.decode()
    assert RESEND_NOTICE in html
    assert "Enter your name." in html
    assert token_in(response)


def test_a_made_up_token_is_refused(browser, membership_page):
    browser.get(URL)
    assert_refused(browser.post(URL, {**VALID, "csrfmiddlewaretoken": "x" * 64}))


# Only the join form --------------------------------------------------------------------------


def test_the_thanks_page_and_other_pages_keep_djangos_token_check(
    browser, membership_page, home_page
):
    for path in ("/membership/thanks/", "/", "/membership/no-such-page/"):
        assert_refused(browser.post(path, VALID, headers=SAME_ORIGIN))


def test_the_password_form_keeps_djangos_token_check(browser, home_page):
    page = StandardPage(title="Members only", slug="members-only", summary="Shh.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="coop-2026"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    data = {"password": "coop-2026", "return_url": "/members-only/"}
    response = browser.post(url, data, headers={**SAME_ORIGIN, "Origin": "http://testserver"})
    assert response.status_code == 403
    assert browser.get("/members-only/").status_code == 200  # still asks for the password
    assert "password" in browser.get("/members-only/").content.decode().lower()


def test_the_admin_sign_in_keeps_djangos_token_check(browser, superuser):
    response = browser.post(
        "/admin/login/",
        {"username": "admin", "password": "password"},
        headers={**SAME_ORIGIN, "Origin": "http://testserver"},
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_a_signed_in_editor_gets_a_token_and_needs_it(browser, membership_page, superuser):
    browser.force_login(superuser)
    page = browser.get(URL)
    token = token_in(page)
    assert token  # editors' pages are never cached; their POSTs are checked as Django checks
    assert_refused(browser.post(URL, VALID, headers=SAME_ORIGIN))
    response = browser.post(URL, {**VALID, "csrfmiddlewaretoken": token}, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert JoinEnquiry.objects.count() == 1


# HTTPS, as in production ---------------------------------------------------------------------


def test_over_https_same_origin_needs_no_referer(browser, membership_page):
    """Django checks the Referer of an HTTPS POST without Origin; the browser's
    Sec-Fetch-Site is the stronger word and is enough on its own."""
    response = browser.post(URL, VALID, headers=SAME_ORIGIN, secure=True)
    assert response.status_code == 302
    assert JoinEnquiry.objects.count() == 1


def test_over_https_the_origin_must_be_https(browser, membership_page):
    assert_refused(browser.post(URL, VALID, headers={"Origin": "http://testserver"}, secure=True))
    response = browser.post(URL, VALID, headers={"Origin": "https://testserver"}, secure=True)
    assert response.status_code == 302


def test_over_https_the_resent_form_passes_djangos_referer_check(browser, membership_page):
    first = browser.post(URL, VALID, secure=True)
    assert RESEND_NOTICE in first.content.decode()
    data = {**VALID, "csrfmiddlewaretoken": token_in(first)}
    # With neither Origin nor Referer Django refuses, as it does for every form over HTTPS.
    assert_refused(browser.post(URL, data, secure=True))
    second = browser.post(
        URL, data, secure=True, headers={"Referer": "https://testserver/membership/"}
    )
    assert second.status_code == 302
    assert JoinEnquiry.objects.count() == 1


# The page cache ------------------------------------------------------------------------------


def test_the_page_sets_no_cookie_and_is_served_from_the_page_cache(
    browser, membership_page, site_settings
):
    with override_settings(CCIN_PAGE_CACHE_SECONDS=3600):
        first = browser.get(URL)
        assert first.status_code == 200
        assert '<form method="post"' in first.content.decode()
        assert token_in(first) is None
        assert not first.cookies
        assert "Set-Cookie" not in first
        assert {v.strip().lower() for v in first.get("Vary", "").split(",") if v.strip()} <= {
            "cookie"
        }
        assert first[PageCacheMiddleware.HEADER] == "miss"
        second = browser.get(URL)
        assert second[PageCacheMiddleware.HEADER] == "hit"
        assert second.content == first.content
        # The cached page's form works: the POST is proved by the browser, not a token.
        assert browser.post(URL, VALID, headers=SAME_ORIGIN).status_code == 302
        assert JoinEnquiry.objects.count() == 1
        # An enquiry is not content: the page stays cached.
        assert browser.get(URL)[PageCacheMiddleware.HEADER] == "hit"
