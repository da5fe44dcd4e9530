"""Issue 18's journeys for following the network: a listing's feeds, an e-mail alert, the
case-study finder's order and years, and sending in a case study, as visitors make them."""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ops.servers import manage, wait_for

from .conftest import PHONE

ALERT_ADDRESS = "journalist-follow@example.org"
FORMATS = {
    "RSS": ("application/rss+xml", "/news/feed/?kind=press-release"),
    "Atom": ("application/atom+xml", "/news/feed/atom/?kind=press-release"),
    "JSON Feed": ("application/feed+json", "/news/feed/json/?kind=press-release"),
}


@pytest.fixture
def site_env(base_url, tmp_path_factory) -> dict[str, str]:
    """The browser server's environment, so a test can run manage.py on its database.

    The server's test settings keep mail in memory (locmem) in the worker's own process, so a
    test reads the e-mail by building it again in a process of its own on the same database.
    """
    databases = list(tmp_path_factory.getbasetemp().glob("site[0-9]*/db.sqlite3"))
    assert len(databases) == 1, databases
    (database,) = databases
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "ccin.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(Path(database).parent / "media"),
    }


def open_filters(page: Page, legend: str) -> None:
    """On a phone the filter panel is folded; a tap on its summary opens it."""
    panel = page.locator("details.filter-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary", has_text=legend).click()


def card_titles(page: Page) -> list[str]:
    return page.locator("main .card__title a").all_inner_texts()


def test_journalist_on_a_phone_follows_press_releases_as_a_feed(page):
    page.set_viewport_size(PHONE)
    page.goto("/news/")
    open_filters(page, "Filter the news")
    page.get_by_label("Kind", exact=True).select_option("press-release")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/news/\?kind=press-release"))
    shown = card_titles(page)
    assert shown, "no press releases listed"
    count = int(re.match(r"\d+", page.locator("#news-results").inner_text()).group())

    # The page head advertises exactly this filter's three feeds.
    for kind, href in FORMATS.values():
        advertised = page.locator(f'head link[rel="alternate"][type="{kind}"][href="{href}"]')
        expect(advertised).to_have_count(1)

    # And the page shows them, each named for what it carries.
    links = page.locator("main .feed-links a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        href for _, href in FORMATS.values()
    ]
    for name, (_, href) in FORMATS.items():
        link = page.get_by_role("link", name=re.compile(rf"press releases, {name}", re.I))
        expect(link).to_be_visible()
        assert link.get_attribute("href") == href

    with page.expect_response(lambda r: "/news/feed/json/" in r.url) as answer:
        page.get_by_role("link", name=re.compile("press releases, JSON Feed", re.I)).click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = json.loads(response.text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    titles = [item["title"] for item in feed["items"]]
    # The feed holds the newest 20; the listing's first page is its newest too.
    assert titles[: len(shown)] == shown
    assert len(titles) == min(20, count)


CONFIRMATION_SENT = (
    "from django_tasks_db.models import DBTaskResult; "
    "print(DBTaskResult.objects.filter(task_path__endswith='send_confirmation', "
    "status='SUCCESSFUL').count())"
)
CONFIRMATION_EMAIL = (
    "from django.core import mail; from alerts import sending; "
    "from alerts.models import Subscription; "
    "s = Subscription.objects.get(subscriber__email={address!r}, confirmed_at__isnull=True); "
    "sending.send_confirmation(s.pk); print(mail.outbox[-1].body)"
)


def test_visitor_subscribes_to_an_alert_by_keyboard_and_confirms_it(page, site_env):
    page.set_viewport_size(PHONE)
    page.goto("/news/")
    field = page.locator(".alert-signup input[type=email]")
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.alert-signup input[type=email]')"):
            break
    else:
        pytest.fail("Tab never reached the alert form's e-mail field")
    expect(field).to_be_focused()
    expect(field).to_have_accessible_name("Your e-mail address")
    page.keyboard.type(ALERT_ADDRESS)
    page.keyboard.press("Enter")
    page.wait_for_url("**/alerts/check-your-inbox/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("inbox", re.I))

    # The background worker sends the confirmation; its text is rebuilt here (see site_env).
    wait_for(
        lambda: int(manage(site_env, "shell", "--no-imports", "-c", CONFIRMATION_SENT)),
        60,
        "the worker to send the confirmation",
    )
    body = manage(
        site_env, "shell", "--no-imports", "-c", CONFIRMATION_EMAIL.format(address=ALERT_ADDRESS)
    )
    (link,) = re.findall(r"https?://\S+/alerts/confirm/\S+/", body)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Your alert is on")
    page.get_by_role("button", name="Yes, start my alert").click()
    expect(page.get_by_text("Your alert is on").first).to_be_visible()


def years_on_cards(page: Page) -> list[int]:
    metas = page.locator("main .card__meta").all_inner_texts()
    return [int(re.search(r"(\d{4})\s*$", meta).group(1)) for meta in metas]


def test_officer_orders_case_studies_oldest_first_within_a_range_of_years(page):
    page.set_viewport_size(PHONE)
    page.goto("/case-studies/")
    open_filters(page, "")
    start = page.get_by_label("From year", exact=True)
    years = sorted(
        int(value)
        for value in start.locator("option").evaluate_all("os => os.map(o => o.value)")
        if value
    )
    assert len(years) >= 3, years
    low, high = years[1], years[-2]
    start.select_option(str(low))
    page.get_by_label("To year", exact=True).select_option(str(high))
    page.get_by_label("Sort by", exact=True).select_option("oldest")
    page.get_by_role("button", name=re.compile("Apply", re.I)).click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    assert f"from={low}" in page.url and f"to={high}" in page.url
    shown = years_on_cards(page)
    assert shown, "no case studies in the range"
    assert shown == sorted(shown), "not oldest first"
    assert all(low <= year <= high for year in shown), shown
    # What was chosen stays chosen, and says so.
    expect(page.get_by_label("Sort by", exact=True)).to_have_value("oldest")
    expect(page.locator(".active-filters")).to_contain_text(str(low))


def test_council_officer_sends_a_case_study_and_is_thanked(page):
    page.set_viewport_size(PHONE)
    page.goto("/case-studies/")
    page.get_by_role("link", name=re.compile("Submit a case study", re.I)).first.click()
    page.wait_for_url("**/case-studies/submit/")
    page.get_by_label("Your name").fill("Priya Shah")
    page.get_by_label("Your role").fill("Policy Officer")
    page.get_by_label("Your council").select_option(label="Kirklees Council")
    page.get_by_label("Work email address").fill("priya.shah@kirklees.example.org")
    page.get_by_label("Case study title").fill("Community energy on school roofs")
    page.get_by_label("Summary").fill("Solar panels on twelve schools, owned by a co-operative.")
    page.get_by_label("What you did").fill("We leased roofs to a community energy society.")
    page.get_by_label("Outcomes").fill("Twelve schools pay less for their electricity.")
    year = page.get_by_label("Year", exact=True)
    year.select_option(index=1)
    page.get_by_label(re.compile("I agree that the network may edit")).check()
    page.get_by_role("button", name="Send case study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your case study")
    expect(page.get_by_role("status")).to_contain_text("Nothing is published yet")


def test_a_case_study_sent_with_gaps_says_what_is_missing_at_each_field(page):
    page.set_viewport_size(PHONE)
    page.goto("/case-studies/submit/")
    page.get_by_label("Your name").fill("Priya Shah")
    page.get_by_label("Work email address").fill("not-an-address")
    page.get_by_role("button", name="Send case study").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error:")
    # Each message in the summary links to its field, and the field carries it.
    email = page.locator("#id_email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_name(re.compile("Enter an email address in the right format"))
    expect(page.locator("#id_role")).to_have_accessible_name(re.compile("Enter your role"))
    expect(page.locator("#id_name")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name")).to_have_value("Priya Shah")
    summary.get_by_role("link", name="Enter your role.").click()
    expect(page.locator("#id_role")).to_be_focused()
    expect(page.locator("#id_role")).to_have_accessible_description(
        re.compile("For example, Policy Officer")
    )
    # Every element a field says describes it is on the page (Django 5.2 names "<id>_error").
    missing = page.evaluate(
        """() => [...document.querySelectorAll('main [aria-describedby]')].flatMap(
            el => el.getAttribute('aria-describedby').split(/\\s+/)
                .filter(id => !document.getElementById(id)).map(id => el.id + ' -> ' + id))"""
    )
    assert missing == [], missing
