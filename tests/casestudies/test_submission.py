"""Submit a case study (/case-studies/submit/): one draft and one private record, or nothing;
spam and rate limits; the sender's details never public; moderators see it."""

from __future__ import annotations

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from wagtail.models import Revision, WorkflowPage, WorkflowState

from casestudies.models import CaseStudyPage, CaseStudySubmission, Theme
from casestudies.submissions import SUBMIT_RATE_LIMIT
from security.models import RateLimitCount

URL = "/case-studies/submit/"
EMAIL = "ruth.private@kirklees.gov.uk"
PHONE = "01484 000000"
VALID = {
    "name": "Ruth Example",
    "role": "Policy Officer",
    "council": "kirklees-council",
    "organisation": "",
    "email": EMAIL,
    "phone": PHONE,
    "title": "Community food hubs",
    "summary": "Food hubs run by residents in every ward.",
    "story": "We asked residents what they needed.\n\nThey run the hubs & we fund them.",
    "outcomes": "Twelve hubs open five days a week.",
    "themes": ["housing", "young-people"],
    "year": "2025",
    "nation": "",
    "consent": "on",
    "website": "",
}


@pytest.fixture
def moderator(db, django_user_model):
    user = django_user_model.objects.create_user(
        username="mo", email="mo@councils.coop", password="password"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def counts() -> tuple[int, int, int]:
    return (
        CaseStudyPage.objects.count(),
        CaseStudySubmission.objects.count(),
        Revision.objects.count(),
    )


def submit(client, **changes):
    return client.post(URL, {**VALID, **changes})


# The form -------------------------------------------------------------------------------------


def test_the_library_links_to_the_form_and_the_form_is_labelled(client, library):
    assert (
        f'<a href="{URL}">Submit a case study</a>' in client.get("/case-studies/").content.decode()
    )
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Submit a case study</h1>" in page
    for name in ("name", "role", "council", "organisation", "email", "phone", "title", "summary"):
        assert f'for="id_{name}"' in page and f'id="id_{name}"' in page
    assert "<legend><h2>About you</h2></legend>" in page
    assert '<legend class="form-field__label">Themes (optional)' in page
    assert '<label for="id_themes_0">Housing</label>' in page
    assert '<option value="kirklees-council">Kirklees Council</option>' in page
    assert '<div class="form-honeypot" aria-hidden="true">' in page
    # No CSRF token, so the page can be cached: POSTs are checked by origin (security.csrf).
    assert "csrfmiddlewaretoken" not in page


# A valid submission ---------------------------------------------------------------------------


def test_a_submission_makes_one_draft_and_one_private_record(
    client, library, index, councils, themes, moderator
):
    before = counts()
    response = submit(client)
    assert response.status_code == 302
    assert response["Location"] == "/case-studies/submit/thanks/"
    assert counts()[:2] == (before[0] + 1, before[1] + 1)

    draft = CaseStudyPage.objects.get(title="Community food hubs")
    assert not draft.live and draft.first_published_at is None
    assert draft.get_parent().pk == index.pk
    assert draft.owner is None
    assert draft.slug == "community-food-hubs"
    assert draft.lead_council == councils["kirklees-council"]
    assert draft.nation == "england"  # from the council
    assert draft.year == 2025
    assert set(draft.themes.values_list("slug", flat=True)) == {"housing", "young-people"}
    # Its revision is saved, so it is in the admin's drafts; the typed text is escaped.
    assert draft.latest_revision is not None
    body = str(draft.body)
    assert "<p>They run the hubs &amp; we fund them.</p>" in body
    assert "Twelve hubs open five days a week." in body
    # The sender's details are on the private record only.
    submission = CaseStudySubmission.objects.get()
    assert submission.page_id == draft.pk
    assert (submission.name, submission.role, submission.email, submission.phone) == (
        "Ruth Example",
        "Policy Officer",
        EMAIL,
        PHONE,
    )
    assert submission.consented_at is not None
    values = [str(getattr(draft, f.attname, "")) for f in draft._meta.concrete_fields]
    assert not [v for v in values if EMAIL in v or PHONE in v or "Ruth" in v]


def test_the_draft_goes_into_the_approval_workflow_and_moderators_hear_of_it(
    client, library, moderator
):
    submit(client)
    draft = CaseStudyPage.objects.get(title="Community food hubs")
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Comms approval"
    assert state.requested_by is None  # a visitor, not an account
    [message] = mail.outbox
    assert message.to == ["mo@councils.coop"]
    assert "Community food hubs" in message.subject


def test_without_a_workflow_the_moderators_are_emailed_the_senders_details(
    client, library, moderator, django_capture_on_commit_callbacks
):
    WorkflowPage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    draft = CaseStudyPage.objects.get(title="Community food hubs")
    assert not WorkflowState.objects.filter(object_id=str(draft.pk)).exists()
    [message] = mail.outbox
    assert message.to == ["mo@councils.coop"]
    assert message.reply_to == [EMAIL]
    assert message.subject == "Case study submitted: Community food hubs"
    assert "Council or organisation: Kirklees Council" in message.body
    assert f"/admin/pages/{draft.pk}/edit/" in message.body


def test_the_thank_you_page_says_what_happens_next(client, library):
    page = client.get(submit(client)["Location"]).content.decode()
    assert "<h1>Thank you for your case study</h1>" in page
    assert "Nothing is published yet." in page
    assert "What happens next" in page
    assert '<meta name="robots" content="noindex, follow">' in page
    assert '<form method="post"' not in page


def test_an_organisation_that_is_not_a_member_names_its_nation(client, library):
    response = submit(client, council="", organisation="Leeds Community Foundation")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the nation your organisation works in." in page
    assert not CaseStudySubmission.objects.exists()
    submit(client, council="", organisation="Leeds Community Foundation", nation="wales")
    draft = CaseStudyPage.objects.get(title="Community food hubs")
    assert draft.lead_council is None
    assert draft.other_organisations == "Leeds Community Foundation"
    assert draft.nation == "wales"
    assert CaseStudySubmission.objects.get().sender_organisation == "Leeds Community Foundation"


def test_two_submissions_with_one_title_get_their_own_addresses(client, library):
    submit(client)
    submit(client)
    slugs = sorted(
        CaseStudyPage.objects.filter(title="Community food hubs").values_list("slug", flat=True)
    )
    assert slugs == ["community-food-hubs", "community-food-hubs-2"]


# Nothing written --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": ""}, "Tick the box to agree"),
        ({"council": "", "organisation": ""}, "Choose your council, or type your organisation"),
        ({"council": "atlantis-council"}, "Choose a council from the list."),
        ({"email": "not-an-email"}, "Enter an email address in the right format"),
        ({"title": ""}, "Enter a title for the case study."),
        ({"year": "1999"}, "Choose the year."),
        ({"themes": ["housing", "young-people", "net-zero-and-energy", "nope"]}, "Choose themes"),
        ({"summary": "x" * 401}, "Keep the summary to 400 characters or fewer."),
    ],
)
def test_an_invalid_submission_writes_nothing_and_says_why(client, library, changes, message):
    before = counts()
    response = submit(client, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error: Submit a case study" in page
    assert counts() == before
    assert not RateLimitCount.objects.exists()  # an invalid form does not count


def test_more_than_three_themes_is_refused(client, library):
    Theme.objects.create(name="Care", slug="care")
    before = counts()
    response = submit(client, themes=["housing", "young-people", "net-zero-and-energy", "care"])
    assert response.status_code == 200
    assert "Choose up to three themes." in response.content.decode()
    assert counts() == before


def test_a_filled_honeypot_is_thanked_and_writes_nothing(client, library, moderator):
    before = counts()
    response = submit(client, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/case-studies/submit/thanks/"
    assert counts() == before
    assert not mail.outbox


def test_the_rate_limit_stops_a_flood_and_writes_nothing_more(client, library):
    for _ in range(SUBMIT_RATE_LIMIT):
        assert submit(client).status_code == 302
    before = counts()
    response = submit(client)
    assert response.status_code == 429
    assert "Several case studies have been sent from this connection" in response.content.decode()
    assert counts() == before
    assert CaseStudySubmission.objects.count() == SUBMIT_RATE_LIMIT


# Never public -----------------------------------------------------------------------------------


def test_a_draft_is_not_in_the_library_its_feeds_search_or_the_api(client, library):
    submit(client)
    draft = CaseStudyPage.objects.get(title="Community food hubs")
    assert "Community food hubs" not in client.get("/case-studies/").content.decode()
    assert client.get("/case-studies/?theme=housing&year=2025").status_code == 200
    for kind in ("", "atom/", "json/"):
        assert b"Community food hubs" not in client.get(f"/case-studies/feed/{kind}").content
    assert "Community food hubs" not in client.get("/search/?q=food+hubs").content.decode()
    api = client.get("/api/v2/pages/?type=casestudies.CaseStudyPage&fields=*").json()
    assert "Community food hubs" not in [item["title"] for item in api["items"]]
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get("/case-studies/community-food-hubs/").status_code == 404


def test_once_published_the_case_study_shows_nothing_of_who_sent_it(client, library):
    submit(client)
    draft = CaseStudyPage.objects.get(title="Community food hubs")
    draft.get_latest_revision().publish()
    page = client.get("/case-studies/community-food-hubs/")
    assert page.status_code == 200
    detail = client.get(f"/api/v2/pages/{draft.pk}/")
    assert detail.status_code == 200
    feed = client.get("/case-studies/feed/json/").content.decode()
    search = client.get("/search/?q=food+hubs").content.decode()
    assert "Community food hubs" in feed and "Community food hubs" in search
    for body in (page.content.decode(), detail.content.decode(), feed, search):
        assert EMAIL not in body and PHONE not in body and "Ruth Example" not in body
    assert "Community food hubs" in [
        e.title for e in feedparser.parse(client.get("/case-studies/feed/").content).entries
    ]


# The admin --------------------------------------------------------------------------------------


def test_moderators_see_submissions_with_a_link_to_the_draft_and_editors_do_not(
    client, library, moderator, django_user_model
):
    submit(client)
    draft = CaseStudyPage.objects.get(title="Community food hubs")
    client.force_login(moderator)
    listing = client.get("/admin/snippets/casestudies/casestudysubmission/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert f'href="/admin/pages/{draft.pk}/edit/"' in text
    assert EMAIL in text and "Kirklees Council" in text
    editor = django_user_model.objects.create_user(username="ed", password="password")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    refused = client.get("/admin/snippets/casestudies/casestudysubmission/")
    assert refused.status_code in (302, 403)
    assert EMAIL not in refused.content.decode()


# Origin, as on the join form (security.csrf) -----------------------------------------------------


def test_a_same_origin_post_is_taken_a_foreign_one_refused_and_one_without_proof_resent(
    library,
):
    browser = Client(enforce_csrf_checks=True)
    before = counts()
    refused = browser.post(URL, VALID, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    unproven = browser.post(URL, VALID)
    assert unproven.status_code == 200
    page = unproven.content.decode()
    assert "press “Send case study” again" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'value="Community food hubs"' in page
    assert counts() == before
    taken = browser.post(URL, VALID, headers={"Sec-Fetch-Site": "same-origin"})
    assert taken.status_code == 302
    assert CaseStudySubmission.objects.count() == 1
