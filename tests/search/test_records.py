"""Site search finds records beside pages: members, DPS suppliers, election rows, documents.

Only what the site already shows the public is found, each linking to where it is shown;
a type filter narrows the results and every type's count is shown beside it.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.urls import reverse
from wagtail.search import index

from membership.models import DPSSupplier, MemberCouncil

pytestmark = pytest.mark.django_db


def search(client, q: str, **params):
    response = client.get("/search/", {"q": q, **params})
    return response, response.content.decode()


def counts(response) -> dict[str, int]:
    return {choice.label: choice.count for choice in response.context["types"]}


def titles(response) -> list[str]:
    """Every result's title on the page: records' groups first, then the list."""
    found = [hit.title for group in response.context["groups"] for hit in group.hits]
    for result in response.context["results"]:
        found.append(result.title)
    return found


def test_redquadrant_finds_the_supplier_on_the_dps_page(client, records):
    response, html = search(client, "RedQuadrant")
    assert titles(response) == ["RedQuadrant"]
    assert 'href="/dynamic-purchasing-system/#redquadrant">RedQuadrant</a>' in html
    assert "DPS supplier" in html
    assert "1 result for “RedQuadrant”" in html


def test_a_suppliers_specialism_finds_it(client, records):
    # The admin indexes a supplier again once its specialisms are saved (wagtail_hooks).
    index.insert_or_update_object(DPSSupplier.objects.get(slug="redquadrant"))
    response, _html = search(client, "systems thinking")
    assert titles(response) == ["RedQuadrant"]


def test_kirklees_finds_its_profile_its_election_rows_and_its_public_report(client, records):
    response, html = search(client, "Kirklees")
    assert response.status_code == 200
    assert 'href="/membership/members/kirklees-council/">Kirklees Council</a>' in html
    assert 'href="/membership/elections-2026/#result-kirklees-council">' in html
    assert "Kirklees Council: No Party Maj (Ref)" in html
    assert "Pat Example (Kirklees, Dewsbury East)" in html
    assert "Kirklees community wealth report" in html
    assert counts(response) == {
        "All": 5,
        "Member councils": 1,
        "DPS suppliers": 0,
        "Election results": 3,
        "Documents": 1,
        "Pages": 0,
    }
    # The counts are words beside the filter, not colour; All comes first and is current.
    assert 'aria-current="page"><span class="visually-hidden">Showing: </span><strong>All' in html
    assert html.index(">All<") < html.index("Member councils (1")
    assert 'href="?q=Kirklees&amp;type=elections">Election results (3' in html
    assert "DPS suppliers (0" in html
    assert 'href="?q=Kirklees&amp;type=suppliers"' not in html  # nothing to show there


def test_hidden_records_are_never_found(client, records):
    """Affiliates, supporters and former members are not listed; a supplier that left the
    DPS is not either; a document in a private collection or that no live page links to."""
    for q in ("Quietshire", "minutes", "draft report", "board"):
        response, html = search(client, q)
        assert counts(response)["All"] == 0, q
        assert 'class="search-result"' not in html, q
        assert f"Nothing matches “{q}”" in html, q
    for name in ("members", "suppliers", "elections", "documents"):
        response, _html = search(client, "Quietshire", type=name)
        assert response.context["results"] == []


def test_a_document_is_found_only_once_its_page_is_live(client, records):
    report = records.dps.get_parent().get_children().get(slug="reports").specific
    report.unpublish()
    response, _html = search(client, "community wealth report")
    assert counts(response)["Documents"] == 0


def test_records_without_their_page_are_not_linked_anywhere(client, records):
    records.directory.unpublish()
    response, html = search(client, "Kirklees")
    assert counts(response)["Member councils"] == 0
    assert "/membership/members/kirklees-council/" not in html


def test_the_type_filter_shows_one_type_paginated(client, records):
    for n in range(12):
        MemberCouncil.objects.create(name=f"Pennine Council {n:02}", slug=f"pennine-{n:02}")
    response, html = search(client, "Pennine", type="members")
    assert response.status_code == 200
    assert counts(response)["Member councils"] == 12
    assert len(response.context["results"]) == 10
    assert all(title.startswith("Pennine Council") for title in titles(response))
    assert "12 results for “Pennine”, 12 in member councils" in html
    assert 'href="?q=Pennine&amp;type=members&amp;page=2"' in html
    second, _html = search(client, "Pennine", type="members", page=2)
    assert len(second.context["results"]) == 2
    shown = titles(response) + titles(second)
    assert sorted(shown) == [f"Pennine Council {n:02}" for n in range(12)]
    # All shows a few of them and leads to the rest.
    everything, html = search(client, "Pennine")
    assert len(everything.context["groups"][0].hits) == 3
    assert 'href="?q=Pennine&amp;type=members">All 12 results in member councils</a>' in html


def test_the_elections_type_pages_across_its_three_tables(client, records):
    response, _html = search(client, "Kirklees", type="elections", page=1)
    assert [hit.type_label for hit in response.context["results"]] == [
        "Election result",
        "Control change",
        "Councillor change",
    ]


def test_pages_type_shows_pages_only(client, records):
    response, html = search(client, "Dynamic Purchasing", type="pages")
    assert titles(response) == ["Dynamic Purchasing System"]
    assert response.context["groups"] == []
    assert counts(response)["Pages"] == 1


@pytest.mark.parametrize("junk", ["bogus", "members'--", "<script>", "x" * 500, "MEMBERS"])
def test_an_unknown_type_says_so_and_links_the_real_ones(client, records, junk):
    response, html = search(client, "Kirklees", type=junk)
    assert response.status_code == 200  # a typo in a search, as junk queries are
    assert "There is no type of result called" in html
    assert "<script>" not in html.split("<main")[1].split("</main>")[0]
    assert response.context["results"] == []  # nothing searched: nobody asked for all
    for type_name, label in [
        ("members", "Member councils"),
        ("suppliers", "DPS suppliers"),
        ("elections", "Election results"),
        ("documents", "Documents"),
        ("pages", "Pages"),
    ]:
        assert f'<a href="?q=Kirklees&amp;type={type_name}">{label}</a>' in html
    assert '<a href="?q=Kirklees">All results</a>' in html


def test_huge_and_junk_page_numbers_show_a_page(client, records):
    for page in ("999999999", "-3", "abc"):
        response, _html = search(client, "Kirklees", type="elections", page=page)
        assert response.status_code == 200
        assert len(response.context["results"]) == 3


def test_saved_records_are_indexed_without_update_index(client, records):
    """Wagtail's signal handlers index snippets and election rows as they are saved."""
    DPSSupplier.objects.create(name="Brightlane Evaluation", slug="brightlane")
    response, _html = search(client, "Brightlane")
    assert titles(response) == ["Brightlane Evaluation"]


def test_update_index_refills_records(client, records):
    call_command("update_index", verbosity=0)
    response, _html = search(client, "Kirklees")
    assert counts(response)["All"] == 5


def test_runs_on_this_database(records):
    assert connection.vendor in ("sqlite", "postgresql")


def test_a_supplier_added_in_the_admin_is_found_by_its_specialisms(admin_client, records):
    url = reverse("wagtailsnippets_membership_dpssupplier:add")
    response = admin_client.post(
        url,
        {
            "name": "Northgate Co-design",
            "slug": "northgate-co-design",
            "website": "",
            "summary": "",
            "specialisms": "participatory budgeting",
            "framework_start": "2020",
            "framework_end": "2029",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response, html = search(admin_client, "participatory budgeting")
    assert titles(response) == ["Northgate Co-design"]
    assert 'href="/dynamic-purchasing-system/#northgate-co-design"' in html


def test_a_query_the_backend_rejects_is_a_message_not_a_500(client, records):
    with mock.patch("search.views.count_together", side_effect=DatabaseError("syntax")):
        response, html = search(client, "Kirklees", type="members")
    assert response.status_code == 200
    assert "We could not run that search" in html
