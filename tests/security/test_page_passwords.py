"""Password-protected pages cannot be guessed at speed."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from security.page_passwords import TOO_MANY

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected(about_page, settings):
    settings.CCIN_PAGE_PASSWORD_LIMIT = 3
    restriction = PageViewRestriction.objects.create(
        page=about_page, restriction_type=PageViewRestriction.PASSWORD, password="coop-2026"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, about_page.pk])
    return url, about_page


def attempt(client, url, password, ip="203.0.113.9"):
    return client.post(url, {"password": password, "return_url": "/about/"}, REMOTE_ADDR=ip)


def test_the_right_password_opens_the_page(client, protected):
    url, page = protected
    response = attempt(client, url, "coop-2026")
    assert response.status_code == 302
    assert client.get(page.url).status_code == 200


def test_after_the_limit_no_password_is_checked(client, protected):
    url, page = protected
    for _ in range(3):
        wrong = attempt(client, url, "guess")
        assert wrong.status_code == 200
        assert "<h1>Password required</h1>" in wrong.content.decode()
    refused = attempt(client, url, "coop-2026")  # even the right one, from this address
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert "Password required" in client.get(page.url).content.decode()
    # Someone else is not locked out by another's guessing.
    assert attempt(client, url, "coop-2026", ip="198.51.100.4").status_code == 302
