"""The admin, as an editor uses it: listings, filters, exports, inspect, delete protection."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from membership.models import (
    ControlChange,
    DPSSupplier,
    ElectionResult,
    MemberCouncil,
    Tier,
)

from .conftest import make_member


def snippet_url(model_name: str, view: str, *args) -> str:
    return reverse(f"wagtailsnippets_membership_{model_name}:{view}", args=args)


def test_member_listing_shows_tier_nation_and_control(admin_client, members):
    response = admin_client.get(snippet_url("membercouncil", "list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kirklees Council" in html
    assert "Labour (Minor)" in html
    assert "Associate member" in html
    assert "Wales" in html


def test_member_listing_filters(admin_client, members):
    url = snippet_url("membercouncil", "list")
    html = admin_client.get(url, {"tier": Tier.ASSOCIATE}).content.decode()
    assert "Anytown Housing Co-op" in html
    assert "Kirklees Council" not in html
    html = admin_client.get(url, {"nation": "scotland"}).content.decode()
    assert "Glasgow City Council" in html and "Cardiff Council" not in html
    html = admin_client.get(url, {"kind": "combined-authority"}).content.decode()
    assert "Greater Manchester Combined Authority" in html and "Kirklees" not in html
    html = admin_client.get(url, {"active": "false"}).content.decode()
    assert "Formerly Borough Council" in html and "Kirklees" not in html


def test_member_listing_search(admin_client, members):
    html = admin_client.get(
        snippet_url("membercouncil", "list"), {"q": "Kirklees"}
    ).content.decode()
    assert "Kirklees Council" in html and "Cardiff Council" not in html


def test_member_csv_and_xlsx_export(admin_client, members):
    url = snippet_url("membercouncil", "list")
    response = admin_client.get(url, {"export": "csv", "nation": "wales"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Name,Slug,ONS GSS code,Tier")
    assert len(lines) == 2 and lines[1].startswith("Cardiff Council,cardiff-council")
    response = admin_client.get(url, {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "Kirklees Council" in names and len(names) == len(members)


def test_member_inspect_and_history(admin_client, members):
    member = members["kirklees"]
    html = admin_client.get(snippet_url("membercouncil", "inspect", member.pk)).content.decode()
    assert "Kirklees Council" in html and "Labour (Minor)" in html


def test_editing_a_member_keeps_a_revision(admin_client, members):
    member = members["cardiff"]
    url = snippet_url("membercouncil", "edit", member.pk)
    form = admin_client.get(url)
    assert form.status_code == 200
    data = {
        "name": member.name,
        "slug": member.slug,
        "tier": member.tier,
        "kind": member.kind,
        "nation": member.nation,
        "region": "",
        "gss_code": "W06000015",
        "website": "",
        "population": "",
        "annual_budget": "",
        "political_control": "Labour (Maj)",
        "joined_year": "",
        "profile": '{"blocks": [], "entityMap": {}}',
        "active": "on",
        "commitments": [],
        "champion_member": "",
        "champion_officer": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.gss_code == "W06000015"
    assert member.revisions.count() == 1


def test_gss_code_is_validated(admin_client, members):
    member = members["kirklees"]
    member.gss_code = "X123"
    with pytest.raises(Exception, match="GSS code"):
        member.full_clean()


def test_deleting_a_member_with_election_results_is_refused(admin_client, members):
    member = members["kirklees"]
    ElectionResult.objects.create(member=member, outcome="No Party Maj", outcome_detail="Ref")
    url = snippet_url("membercouncil", "delete", member.pk)
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 409
    assert "This member cannot be deleted" in html
    assert "untick <strong>Active</strong>" in html
    assert "Election results" in html
    response = admin_client.post(url)
    assert response.status_code == 409
    assert MemberCouncil.objects.filter(pk=member.pk).exists()


def test_deleting_an_unlinked_member_works(admin_client, members):
    member = members["supporter"]
    url = snippet_url("membercouncil", "delete", member.pk)
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url).status_code == 302
    assert not MemberCouncil.objects.filter(pk=member.pk).exists()


def test_dps_supplier_listing_and_export(admin_client, db):
    DPSSupplier.objects.create(name="RedQuadrant", slug="redquadrant")
    DPSSupplier.objects.create(name="Old Supplier", slug="old", active=False)
    url = snippet_url("dpssupplier", "list")
    html = admin_client.get(url, {"active": "true"}).content.decode()
    assert "RedQuadrant" in html and "Old Supplier" not in html
    assert "2020–2029" in html
    response = admin_client.get(url, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "RedQuadrant,redquadrant" in text


def test_principles_are_reorderable(admin_client, db):
    from membership.models import Principle

    Principle.objects.create(title="Innovation", slug="innovation", text="x", sort_order=0)
    html = admin_client.get(snippet_url("principle", "list")).content.decode()
    assert "Innovation" in html
    assert admin_client.get(
        snippet_url("principle", "reorder", Principle.objects.get().pk)
    ).status_code in (200, 405)


def test_modeladmin_election_results_listing_filter_export_inspect(admin_client, members):
    ElectionResult.objects.create(member=members["kirklees"], outcome="No Party Maj")
    ElectionResult.objects.create(member=members["cardiff"], outcome="N/A", next_election="May-27")
    base = "/admin/membership/electionresult/"
    html = admin_client.get(base).content.decode()
    assert "Kirklees Council" in html and "Cardiff Council" in html
    html = admin_client.get(base, {"outcome": "N/A"}).content.decode()
    assert "Cardiff Council" in html and "Kirklees Council" not in html
    response = admin_client.get(base, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "May-27" in text and "Kirklees Council" in text
    result = ElectionResult.objects.get(member=members["cardiff"])
    inspect = admin_client.get(f"{base}inspect/{result.pk}/")
    assert inspect.status_code == 200 and "May-27" in inspect.content.decode()


def test_modeladmin_change_tables(admin_client, members):
    from datetime import date

    ControlChange.objects.create(
        date=date(2026, 6, 1),
        council_name="Lambeth",
        control_type="majority",
        from_control="LAB",
        to_control="NOC",
    )
    html = admin_client.get("/admin/membership/controlchange/").content.decode()
    assert "Lambeth" in html
    assert admin_client.get("/admin/membership/councillorchange/").status_code == 200


def test_admin_menu_groups(admin_client, members):
    html = admin_client.get("/admin/").content.decode()
    assert "Network" in html and "Elections" in html


def test_dashboard_shows_published_figures_beside_live_counts(admin_client, members, site_settings):
    site_settings.full_members = 44
    site_settings.save()
    html = admin_client.get("/admin/").content.decode()
    assert "Network figures: published and in the directory" in html
    # 4 active full members in the fixture (the former one is inactive), 44 published.
    assert "<td>44</td>" in html and "<td>4</td>" in html
    assert "40 fewer in the directory" in html


def test_join_enquiries_are_listed_for_staff(admin_client, db):
    from membership.models import JoinEnquiry

    JoinEnquiry.objects.create(
        name="Sam", organisation="Anytown Council", email="sam@example.org", tier=Tier.FULL
    )
    html = admin_client.get(snippet_url("joinenquiry", "list")).content.decode()
    assert "Anytown Council" in html and "sam@example.org" in html


def test_non_staff_cannot_see_the_admin(client, members):
    response = client.get(snippet_url("membercouncil", "list"))
    assert response.status_code == 302


def test_make_member_helper(db):
    assert make_member("Test Council").slug == "test-council"


def test_page_editors_open_for_every_membership_page(
    admin_client, membership_page, directory_page, elections_page, principles_page, dps_page
):
    for page in (membership_page, directory_page, elections_page, principles_page, dps_page):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page
    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[membership_page.pk])
    ).content.decode()
    assert "Join form" in html  # the join form's texts have their own tab


@pytest.mark.parametrize(
    "model_name", ["membercouncil", "dpssupplier", "principle", "commitment", "joinenquiry"]
)
def test_snippet_add_forms_open(admin_client, db, model_name):
    assert admin_client.get(snippet_url(model_name, "add")).status_code == 200


def test_member_editor_has_commitment_checkboxes(admin_client, members):
    html = admin_client.get(
        snippet_url("membercouncil", "edit", members["kirklees"].pk)
    ).content.decode()
    assert 'type="checkbox" name="commitments"' in html
    assert "Pays the Real Living Wage" in html
    assert "Co-operative champion" in html
