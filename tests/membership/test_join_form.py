"""The join enquiry form on the membership page: validation, storage, email, spam resistance."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from membership.join import JOIN_LIMIT, JOIN_RATE_LIMIT, JOIN_RATE_WINDOW
from membership.models import JoinEnquiry
from security.models import RateLimitCount

VALID = {
    "name": "Sam Jones",
    "organisation": "Anytown Borough Council",
    "role": "Policy Officer",
    "email": "sam@anytown.gov.uk",
    "tier": "full",
    "message": "We would like to join.",
    "website": "",
}


def test_form_is_on_the_membership_page(client, membership_page):
    html = client.get(membership_page.url).content.decode()
    assert '<h2 id="join-heading">Ask about joining</h2>' in html
    assert '<label class="form-field__label" for="id_email">Email address' in html
    assert '<legend class="form-field__label">Which kind of membership' in html
    # The honeypot is hidden from people and assistive technology.
    assert '<div class="form-honeypot" aria-hidden="true">' in html
    # No CSRF token, so the page can be cached: POSTs are checked by origin (test_join_origin).
    assert "csrfmiddlewaretoken" not in html


def test_valid_enquiry_is_stored_emailed_and_thanked(client, membership_page, settings):
    settings.MEMBERSHIP_ENQUIRY_EMAIL = ["membership@councils.coop"]
    response = client.post(membership_page.url, VALID)
    assert response.status_code == 302
    assert response["Location"] == "/membership/thanks/"
    enquiry = JoinEnquiry.objects.get()
    assert (enquiry.name, enquiry.organisation, enquiry.tier) == (
        "Sam Jones",
        "Anytown Borough Council",
        "full",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["membership@councils.coop"]
    assert message.reply_to == ["sam@anytown.gov.uk"]
    assert "Anytown Borough Council" in message.subject
    assert "Tier of interest: Full member" in message.body
    html = client.get(response["Location"]).content.decode()
    assert "We have your enquiry" in html or "Thank you" in html
    assert '<form method="post"' not in html


def test_email_goes_to_the_site_contact_when_not_configured(
    client, membership_page, settings, site_settings
):
    settings.MEMBERSHIP_ENQUIRY_EMAIL = []
    client.post(membership_page.url, VALID)
    assert mail.outbox[0].to == [site_settings.contact_email]


def test_missing_and_bad_fields_get_clear_messages(client, membership_page):
    response = client.post(
        membership_page.url, {**VALID, "name": "", "email": "not-an-email", "tier": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your name." in html
    assert "Enter an email address in the right format" in html
    assert "Choose the kind of membership you are interested in." in html
    assert '<a href="#id_name">Enter your name.</a>' in html
    assert '<a href="#id_tier_0">' in html
    assert "<title>Error: " in html
    assert 'aria-invalid="true"' in html
    # What was typed is kept.
    assert 'value="Anytown Borough Council"' in html
    assert JoinEnquiry.objects.count() == 0
    assert mail.outbox == []


def test_unknown_tier_is_rejected(client, membership_page):
    response = client.post(membership_page.url, {**VALID, "tier": "emperor"})
    assert "Select a valid choice" in response.content.decode()
    assert JoinEnquiry.objects.count() == 0


def test_honeypot_submissions_are_dropped_quietly(client, membership_page):
    response = client.post(membership_page.url, {**VALID, "website": "http://spam.example"})
    # The bot sees the normal thank-you redirect, but nothing is stored or sent.
    assert response.status_code == 302
    assert JoinEnquiry.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_per_address(client, membership_page):
    for _ in range(JOIN_RATE_LIMIT):
        assert client.post(membership_page.url, VALID).status_code == 302
    response = client.post(membership_page.url, VALID)
    assert response.status_code == 429
    assert "sent several enquiries" in response.content.decode()
    assert JoinEnquiry.objects.count() == JOIN_RATE_LIMIT
    # Another address is not affected.
    other = client.post(membership_page.url, VALID, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_invalid_attempts_do_not_use_up_the_limit(client, membership_page):
    for _ in range(JOIN_RATE_LIMIT + 2):
        client.post(membership_page.url, {**VALID, "email": ""})
    assert client.post(membership_page.url, VALID).status_code == 302


def test_a_mail_failure_still_keeps_the_enquiry(client, membership_page, settings):
    settings.EMAIL_BACKEND = "tests.membership.test_join_form.BrokenBackend"
    response = client.post(membership_page.url, VALID)
    assert response.status_code == 302
    assert JoinEnquiry.objects.count() == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unavailable")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_just_show_the_page(client, membership_page, method):
    response = getattr(client, method)(membership_page.url)
    assert response.status_code in (200, 405)
    assert JoinEnquiry.objects.count() == 0


def test_rate_limit_uses_the_address_our_proxy_saw(client, membership_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(JOIN_RATE_LIMIT):
        client.post(membership_page.url, VALID, HTTP_X_FORWARDED_FOR="203.0.113.9")
    # A forged left-hand entry does not get round the limit...
    blocked = client.post(membership_page.url, VALID, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert blocked.status_code == 429
    # ...while a different visitor behind the same load balancer is not blocked.
    other = client.post(membership_page.url, VALID, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 302


def test_the_limit_is_the_sites_shared_rate_limit(client, membership_page, settings):
    """The join form counts in security.rate_limit.RateLimit, under membership:join:<address>:
    the (limit + 1)th enquiry in the window is refused, stores nothing and sends nothing."""
    settings.MEMBERSHIP_ENQUIRY_EMAIL = ["membership@councils.coop"]
    assert (JOIN_LIMIT.name, JOIN_LIMIT.limit, JOIN_LIMIT.window) == (
        "membership:join",
        JOIN_RATE_LIMIT,
        JOIN_RATE_WINDOW,
    )
    for _ in range(JOIN_RATE_LIMIT):
        assert client.post(membership_page.url, VALID).status_code == 302
    assert JOIN_LIMIT.count("127.0.0.1") == JOIN_RATE_LIMIT
    assert JOIN_LIMIT.exceeded("127.0.0.1")

    refused = client.post(membership_page.url, {**VALID, "name": "One too many"})
    assert refused.status_code == 429
    assert "sent several enquiries" in refused.content.decode()
    assert not JoinEnquiry.objects.filter(name="One too many").exists()
    assert JoinEnquiry.objects.count() == JOIN_RATE_LIMIT
    assert len(mail.outbox) == JOIN_RATE_LIMIT
    # Once the window has passed, enquiries are welcome again.
    RateLimitCount.objects.filter(key="membership:join:127.0.0.1").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.post(membership_page.url, VALID).status_code == 302
