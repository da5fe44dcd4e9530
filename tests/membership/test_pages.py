"""Principles, membership and DPS pages; page tree rules; the demo content."""

import io
import re

import pytest
from wagtail.models import Page

from demo import membership as demo
from demo.records import read
from home.models import HomePage
from membership.models import (
    DPSPage,
    DPSSupplier,
    ElectionOutcomesPage,
    ElectionResult,
    MemberCouncil,
    MemberDirectoryPage,
    MembershipPage,
    Nation,
    Principle,
    PrinciplesPage,
    Tier,
)


def test_principles_in_editor_order_with_case_study_links(client, principles_page):
    Principle.objects.create(title="Learning", slug="learning", text="We will learn.", sort_order=2)
    Principle.objects.create(
        title="Social Partnership", slug="social-partnership", text="We will partner.", sort_order=1
    )
    html = client.get(principles_page.url).content.decode()
    titles = re.findall(r'<h2 class="principle__title">([^<]+)</h2>', html)
    assert titles == ["Social Partnership", "Learning"]
    assert 'href="/case-studies/?principle=social-partnership"' in html


def test_walking_the_talk(client, home_page):
    page = PrinciplesPage(
        title="Our principles",
        slug="principles",
        walking_the_talk_intro="As a membership organisation we will:",
        walking_the_talk=demo.titled(
            read("membership_pages.toml")["principles"]["walking_the_talk"]
        ),
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/principles/").content.decode()
    assert "Walking the talk" in html
    assert html.count('class="titled-item"') == 6
    assert "Non-party-political" in html


def test_membership_page_shows_published_figures_with_date(client, membership_page, site_settings):
    from datetime import date

    site_settings.figures_as_of = date(2026, 6, 11)
    site_settings.save()
    html = client.get(membership_page.url).content.decode()
    assert '<dd class="figure-stat__value">44</dd>' in html
    assert '<dd class="figure-stat__value">12.27m</dd>' in html
    assert '<dd class="figure-stat__value">£20.94bn</dd>' in html
    assert "Figures as of June 2026." in html


def test_dps_page_lists_active_suppliers_with_links(client, dps_page):
    DPSSupplier.objects.create(
        name="RedQuadrant", slug="redquadrant", website="https://www.redquadrant.com/"
    )
    DPSSupplier.objects.create(name="Peopletoo", slug="peopletoo")
    DPSSupplier.objects.create(name="Gone Ltd", slug="gone", active=False)
    html = client.get(dps_page.url).content.decode()
    assert 'href="https://www.redquadrant.com/"' in html
    assert "Peopletoo" in html
    assert "Gone Ltd" not in html
    assert "DPS suppliers 2020–2029" in html


def test_dps_supplier_end_before_start_is_invalid(db):
    from django.core.exceptions import ValidationError

    supplier = DPSSupplier(name="X", slug="x", framework_start=2029, framework_end=2020)
    with pytest.raises(ValidationError):
        supplier.full_clean()


@pytest.mark.parametrize(
    ("model", "parents", "subpages"),
    [
        (PrinciplesPage, {HomePage}, set()),
        (MembershipPage, {HomePage}, {MemberDirectoryPage, ElectionOutcomesPage}),
        (MemberDirectoryPage, {MembershipPage}, set()),
        (ElectionOutcomesPage, {MembershipPage}, set()),
        (DPSPage, {HomePage}, set()),
    ],
)
def test_tree_rules(model, parents, subpages):
    assert set(model.allowed_parent_page_models()) == parents
    assert set(model.allowed_subpage_models()) == subpages
    assert model.max_count == 1


def test_demo_builds_the_url_contract_and_is_idempotent(client, home_page):
    demo.load(io.StringIO())
    counts = (
        MemberCouncil.objects.count(),
        ElectionResult.objects.count(),
        Page.objects.count(),
        Principle.objects.count(),
        DPSSupplier.objects.count(),
    )
    assert counts[0] == 44 and counts[1] == 44 and counts[3] == 9 and counts[4] == 10
    demo.load(io.StringIO())
    assert counts == (
        MemberCouncil.objects.count(),
        ElectionResult.objects.count(),
        Page.objects.count(),
        Principle.objects.count(),
        DPSSupplier.objects.count(),
    )
    for url in [
        "/principles/",
        "/membership/",
        "/membership/members/",
        "/membership/members/kirklees-council/",
        "/membership/elections-2026/",
        "/dynamic-purchasing-system/",
    ]:
        assert client.get(url).status_code == 200, url
    assert MembershipPage.objects.get().show_in_menus
    assert MemberCouncil.objects.get(name="Cardiff Council").nation == Nation.WALES
    assert MemberCouncil.objects.filter(nation=Nation.SCOTLAND).count() == 2
    gmca = MemberCouncil.objects.get(name="Greater Manchester Combined Authority")
    assert gmca.kind == "combined-authority"
    assert MemberCouncil.objects.filter(tier=Tier.FULL).count() == 44
    # Nothing invented: no populations, budgets or commitments.
    assert not MemberCouncil.objects.exclude(population=None).exists()
    assert not MemberCouncil.objects.exclude(annual_budget=None).exists()
    assert not MemberCouncil.objects.filter(commitments__isnull=False).exists()
    html = client.get("/membership/members/").content.decode()
    assert "44 listed members, all full members." in html
    # Beside the published figure of 28, the directory says whom it lists.
    assert "This directory lists the members who have a public profile" in html
    assert "The network has 28 associate members" in html


def test_dps_suppliers_in_alphabetical_order_ignoring_case(client, dps_page):
    for name in ["TruemanChange", "branding.coop", "Anthony Collins"]:
        DPSSupplier.objects.create(name=name, slug=name.lower().replace(" ", "-").replace(".", ""))
    html = client.get(dps_page.url).content.decode()
    names = re.findall(r'<h3 class="supplier__name">([^<]+)</h3>', html)
    assert names == ["Anthony Collins", "branding.coop", "TruemanChange"]
