"""Member profiles list the case studies and projects that link to them; links block deletion."""

import pytest
from django.urls import reverse

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    PolicyLabsIndexPage,
    PolicyProjectPage,
)
from membership.models import MemberCouncil


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def linked(home_page, directory_page, members):
    kirklees, cardiff = members["kirklees"], members["cardiff"]
    studies = publish(home_page, CaseStudyIndexPage(title="Case studies", slug="case-studies"))
    labs = publish(home_page, PolicyLabsIndexPage(title="Policy labs", slug="policy-labs"))
    led = CaseStudyPage(title="Kirklees leads", slug="kirklees-leads", lead_council=kirklees)
    publish(studies, led)
    joined = CaseStudyPage(
        title="Cardiff leads, Kirklees joins", slug="joined", lead_council=cardiff
    )
    joined.participating_councils.set([kirklees])
    publish(studies, joined)
    draft = CaseStudyPage(title="Kirklees draft", slug="draft", lead_council=kirklees, live=False)
    studies.add_child(instance=draft)
    project = PolicyProjectPage(title="Kirklees project", slug="kirklees-project", round="2026")
    project.lead_councils.set([kirklees])
    publish(labs, project)
    partner = PolicyProjectPage(title="Cardiff project", slug="cardiff-project", round="2026")
    partner.lead_councils.set([cardiff])
    partner.partner_councils.set([kirklees])
    publish(labs, partner)
    return members


def test_profile_lists_live_case_studies_and_led_projects(client, directory_page, linked):
    html = client.get(f"{directory_page.url}kirklees-council/").content.decode()
    assert "Kirklees leads" in html
    assert "Cardiff leads, Kirklees joins" in html
    assert "Kirklees draft" not in html
    assert "Kirklees project" in html
    # A project it only partners on is not one it leads.
    assert "Cardiff project" not in html
    assert (
        'href="/case-studies/?council=kirklees-council">See all case studies from Kirklees' in html
    )


def test_deleting_a_member_linked_from_pages_is_refused(admin_client, linked):
    kirklees = linked["kirklees"]
    url = reverse("wagtailsnippets_membership_membercouncil:delete", args=[kirklees.pk])
    response = admin_client.post(url)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Case studies (lead council)" in html
    assert "Case studies (participating councils)" in html
    assert "Policy projects (lead councils)" in html
    assert "Policy projects (partner councils)" in html
    assert MemberCouncil.objects.filter(pk=kirklees.pk).exists()


def test_bulk_delete_is_refused_too(admin_client, linked):
    kirklees = linked["kirklees"]
    url = (
        reverse("wagtail_bulk_action", args=["membership", "membercouncil", "delete"])
        + f"?id={kirklees.pk}"
    )
    response = admin_client.post(url)
    assert response.status_code == 409
    assert MemberCouncil.objects.filter(pk=kirklees.pk).exists()
