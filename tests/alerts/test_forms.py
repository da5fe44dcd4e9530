"""The subscribe form tells nobody who is subscribed, keeps bots and floods out, and every
link with a bad token answers with a page that says so."""

import pytest
from django.core import mail

from alerts.models import Subscriber, Subscription
from alerts.views import PER_ADDRESS, PER_CLIENT

from .conftest import PRESS, links

pytestmark = pytest.mark.django_db


def test_known_and_unknown_addresses_get_the_same_answer(client, news_index, confirmed, subscribe):
    confirmed("known@example.org")
    known = subscribe("known@example.org")
    unknown = subscribe("new@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/alerts/check-your-inbox/"
    # The one already following gets no second confirmation; the new one gets theirs.
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    page = client.get("/alerts/check-your-inbox/")
    assert "If that address can receive alerts" in page.content.decode()


def test_the_honeypot_sends_nothing_but_answers_the_same(client, news_index, subscribe):
    response = subscribe("bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-inbox/"
    assert mail.outbox == []
    assert not Subscription.objects.exists()


def test_too_many_requests_from_one_address_are_refused(client, news_index, subscribe):
    for number in range(PER_CLIENT.limit):
        assert subscribe(f"person{number}@example.org").status_code == 302
    response = subscribe("one-more@example.org")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not Subscriber.objects.filter(email="one-more@example.org").exists()


def test_one_address_is_not_sent_confirmation_after_confirmation(client, news_index, subscribe):
    for _ in range(PER_ADDRESS.limit + 3):
        response = subscribe("target@example.org")
        assert response.status_code == 302
    assert len(mail.outbox) == PER_ADDRESS.limit


def test_a_bad_address_is_shown_again_with_its_error(client, news_index, subscribe):
    response = subscribe("not-an-address")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter an e-mail address in the right format" in text
    assert 'aria-invalid="true"' in text
    assert mail.outbox == []


@pytest.mark.parametrize(
    "feed", ["/news/feed/?kind=nonsense", "/no-such-listing/feed/", "javascript:alert(1)", ""]
)
def test_a_feed_that_does_not_exist_cannot_be_followed(client, news_index, subscribe, feed):
    response = subscribe("reader@example.org", feed=feed)
    assert response.status_code == 404
    assert "There is no feed at that address" in response.content.decode()
    assert mail.outbox == []
    page = client.get("/alerts/", {"feed": feed or "/nothing/"})
    assert page.status_code == 404


def test_the_alert_page_names_the_feed_and_any_variant_is_the_same_alert(
    client, news_index, subscribe
):
    page = client.get("/alerts/", {"feed": "/news/feed/atom/?kind=press-release&page=2"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "press releases" in text
    assert f'value="{PRESS}"' in text.replace("&amp;", "&")
    subscribe("reader@example.org", feed="/news/?kind=press-release")
    subscribe("reader@example.org", feed="/news/feed/json/?kind=press-release")
    assert list(Subscription.objects.values_list("feed_key", flat=True)) == [PRESS]


def test_a_cross_site_post_is_refused(client, news_index):
    response = client.post(
        "/alerts/subscribe/",
        {"email": "victim@example.org", "feed": PRESS, "frequency": "immediately"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/alerts/confirm/nonsense/",
        "/alerts/confirm/MQ:1abc:tampered/",
        "/alerts/unsubscribe/not-a-token/",
        "/alerts/manage/not-a-token/",
        "/alerts/unsubscribe/" + "x" * 500 + "/",
    ],
)
def test_bad_links_say_so(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert client.post(url).status_code == 404


def test_an_expired_confirmation_link_says_so(client, news_index, subscribe, settings, monkeypatch):
    subscribe("late@example.org")
    (link,) = links(mail.outbox[0], "/alerts/confirm/")
    monkeypatch.setattr("alerts.sending.CONFIRM_MAX_AGE", -1)
    response = client.post(link)
    assert response.status_code == 404
    assert "expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_the_manage_page_changes_frequency_and_stops_alerts(client, news_index, confirmed):
    confirmed("reader@example.org")
    confirmed("reader@example.org", "/news/feed/")
    subscriber = Subscriber.objects.get()
    url = f"/alerts/manage/{subscriber.token}/"
    text = client.get(url).content.decode()
    assert "press releases" in text and text.count("Unsubscribe<span") == 2
    press = Subscription.objects.get(feed_key=PRESS)
    client.post(url, {"alert": press.pk, "action": "frequency", "frequency": "weekly"})
    press.refresh_from_db()
    assert press.frequency == "weekly"
    client.post(url, {"alert": press.pk, "action": "stop"})
    press.refresh_from_db()
    assert not press.active
    response = client.post(url, {"action": "stop-all"})
    assert "no more alerts" in response.content.decode()
    assert not Subscription.objects.active().exists()


def test_the_signup_component_posts_what_the_form_expects(client, news_index):
    from django.template.loader import render_to_string

    html = render_to_string(
        "components/alert_signup.html", {"feed": PRESS, "label": "press releases"}
    )
    assert 'action="/alerts/subscribe/"' in html
    assert f'name="feed" value="{PRESS}"' in html.replace("&amp;", "&")
    for name in ("email", "frequency", "website"):
        assert f'name="{name}"' in html
    assert "csrfmiddlewaretoken" not in html  # the listing page stays cacheable
    assert 'for="alert-signup-email"' in html


@pytest.mark.parametrize("alert", ["²", "1" * 40, "-1", "x"])
def test_a_junk_alert_number_is_ignored(client, news_index, confirmed, alert):
    confirmed("reader@example.org")
    token = Subscriber.objects.get().token
    response = client.get(f"/alerts/unsubscribe/{token}/", {"alert": alert})
    assert response.status_code == 200
    assert "Stop every e-mail alert" in response.content.decode()


@pytest.mark.parametrize("token", ["%00abc", "abc%00", "a%20b"])
def test_a_token_with_junk_characters_says_the_link_does_not_work(client, db, token):
    for url in (f"/alerts/unsubscribe/{token}/", f"/alerts/manage/{token}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_the_alerts_page_explains_and_is_kept_out_of_search_engines(client, news_index):
    response = client.get("/alerts/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>E-mail alerts</h1>" in text
    assert "one-click unsubscribe" in text
    assert '<meta name="robots" content="noindex">' in text
    assert client.get("/alerts/subscribe/").status_code == 302
