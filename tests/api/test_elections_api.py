"""/api/v2/elections/: the election tables as a read-only API, the same rows as the page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from demo import membership as demo
from membership.importers import import_csv
from membership.models import (
    ControlChange,
    ElectionOutcomesPage,
    ElectionResult,
    MemberCouncil,
    MemberDirectoryPage,
    MembershipPage,
    Tier,
)

DATA = Path(demo.__file__).parent / "data"
RESULTS = "/api/v2/elections/results/"
CONTROL = "/api/v2/elections/control-changes/"
COUNCILLORS = "/api/v2/elections/councillor-changes/"


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def elections(db, home_page) -> ElectionOutcomesPage:
    """The seed's members and tables, with the membership pages that show them."""
    membership = publish(home_page, MembershipPage(title="Membership", slug="membership"))
    publish(membership, MemberDirectoryPage(title="Our members", slug="members"))
    page = publish(
        membership, ElectionOutcomesPage(title="May 2026 election outcomes", slug="elections-2026")
    )
    demo.load_members(io.StringIO())
    for filename, kind in [
        ("election_results_2026.csv", "results"),
        ("control_changes_2026.csv", "control"),
        ("councillor_changes_2026.csv", "councillors"),
    ]:
        with (DATA / filename).open() as f:
            import_csv(f, kind)
    return page


def get(client, url: str, params: dict | None = None, status: int = 200) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    return response.json()


def councils(data: dict) -> list[str]:
    return [item["council"] for item in data["items"]]


def test_results_list_every_member_council_with_source_and_as_of(client, elections):
    data = get(client, RESULTS, {"limit": 100})
    meta = data["meta"]
    assert meta["total_count"] == 44
    assert meta["as_of"] == "2026-06-11"
    assert meta["source"] == {
        "name": "Co-operative Councils' Innovation Network",
        "url": "http://testserver/membership/elections-2026/",
    }
    assert meta["html_url"] == "http://testserver/membership/elections-2026/#results"
    assert meta["download_urls"]["csv"] == (
        "http://testserver/membership/elections-2026/results/csv/"
    )
    assert councils(data)[0] == "Birmingham City Council"
    assert councils(data)[-1] == "Wigan Council"


def test_a_result_links_its_member_record_and_profile(client, elections):
    data = get(client, RESULTS, {"council": "kirklees-council"})
    (item,) = data["items"]
    kirklees = MemberCouncil.objects.get(slug="kirklees-council")
    result = ElectionResult.objects.get(member=kirklees)
    assert item["id"] == result.pk
    assert item["meta"] == {
        "type": "membership.ElectionResult",
        "detail_url": f"http://testserver/api/v2/elections/results/{result.pk}/",
    }
    assert item["outcome"] == "No Party Maj (Ref)"
    assert item["outcome_type"] == "no-overall-control"
    assert item["member"] == {
        "id": kirklees.pk,
        "name": "Kirklees Council",
        "detail_url": f"http://testserver/api/v2/members/{kirklees.pk}/",
        "html_url": "http://testserver/membership/members/kirklees-council/",
    }
    # The member link answers in the members endpoint.
    assert get(client, item["member"]["detail_url"])["name"] == "Kirklees Council"
    # And the item's own address gives the same item, with the source.
    detail = get(client, item["meta"]["detail_url"])
    assert detail["outcome"] == item["outcome"] and detail["meta"]["as_of"] == "2026-06-11"


def test_pagination_like_the_other_endpoints(client, elections):
    first = get(client, RESULTS, {"limit": 10})
    second = get(client, RESULTS, {"limit": 10, "offset": 10})
    assert len(first["items"]) == 10 and first["meta"]["total_count"] == 44
    assert not set(councils(first)) & set(councils(second))
    assert councils(get(client, RESULTS, {"limit": 100}))[10:20] == councils(second)
    assert get(client, RESULTS, {"offset": 999})["items"] == []
    message = get(client, RESULTS, {"limit": 101}, status=400)["message"]
    assert message == "limit cannot be higher than 100"
    assert get(client, RESULTS, {"limit": "ten"}, status=400)["message"].startswith("limit")


def test_results_filter_by_outcome_nation_year(client, elections):
    assert councils(get(client, RESULTS, {"outcome": "green-gain"})) == [
        "Hackney Council",
        "Lewisham Council",
    ]
    assert councils(get(client, RESULTS, {"nation": "scotland"})) == [
        "Glasgow City Council",
        "Inverclyde Council",
    ]
    data = get(client, RESULTS, {"outcome": "no-election", "nation": "wales"})
    assert councils(data) == ["Cardiff Council"]
    assert data["meta"]["filters"] == {"outcome": "no-election", "nation": "wales"}
    assert get(client, RESULTS, {"year": 2026})["meta"]["total_count"] == 44
    assert get(client, RESULTS, {"year": 2022})["meta"]["total_count"] == 0


def test_outcome_filter_counts_before_paginating(client, elections):
    data = get(client, RESULTS, {"outcome": "labour-hold", "limit": 5, "offset": 10})
    assert data["meta"]["total_count"] == 12
    assert len(data["items"]) == 2


def test_change_tables_filter_by_member_council_year_and_type(client, elections):
    data = get(client, CONTROL)
    assert data["meta"]["total_count"] == 24
    assert data["meta"]["source"]["url"] == "https://opencouncildata.co.uk/changesCtrl.php?y=2026"
    assert data["items"][0]["date"] == "2026-06-06"  # newest first
    majority = get(client, CONTROL, {"control_type": "majority", "limit": 100})
    assert {item["control_type"] for item in majority["items"]} == {"majority"}
    assert majority["meta"]["total_count"] == 8
    members = get(client, COUNCILLORS, {"members_only": "1"})
    assert members["meta"]["total_count"] == 6
    assert all(item["is_member"] and item["member"] for item in members["items"])
    sunderland = get(client, COUNCILLORS, {"council": "sunderland-city-council"})
    assert [item["councillor"] for item in sunderland["items"]] == ["Glenn Gibbins"]
    assert get(client, COUNCILLORS, {"year": "2026"})["meta"]["total_count"] == 31
    not_members = get(client, COUNCILLORS, {"members_only": "false"})
    assert not_members["meta"]["total_count"] == 31


def test_order(client, elections):
    names = [i["councillor"] for i in get(client, COUNCILLORS, {"order": "councillor"})["items"]]
    assert names == sorted(names)
    dates = [i["date"] for i in get(client, CONTROL, {"order": "date", "limit": 100})["items"]]
    assert dates == sorted(dates)
    rows = councils(get(client, RESULTS, {"order": "-council", "limit": 1}))
    assert rows == ["Wigan Council"]


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        (RESULTS, {"outcome": "purple-surge"}, "field filter error. outcome must be one of: "),
        (RESULTS, {"nation": "mars"}, "field filter error. nation must be one of: england"),
        (RESULTS, {"year": "twenty"}, "field filter error. year must be a four-digit year"),
        (RESULTS, {"council": "nowhere"}, "field filter error. council must be one of: "),
        (CONTROL, {"control_type": "coup"}, "field filter error. control_type must be one of"),
        (CONTROL, {"members_only": "yes"}, "field filter error. members_only must be one of"),
        (COUNCILLORS, {"order": "-shoe_size"}, "order must be one of: date, -date"),
        (RESULTS, {"tier": "full"}, "query parameter is not an operation or a recognised"),
        (CONTROL, {"outcome": "green-gain"}, "query parameter is not an operation or a"),
        (RESULTS, {"nation": "wales\x00"}, "field filter error. that is not a valid value"),
        (RESULTS, {"offset": "-1"}, "offset must be a positive integer"),
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, elections, url, params, message):
    data = get(client, url, params, status=400)
    assert list(data) == ["message"]
    assert data["message"].startswith(message), data["message"]


def test_unknown_records_are_a_404(client, elections):
    assert "message" in get(client, f"{RESULTS}999999/", status=404)
    assert client.get("/api/v2/elections/winners/").status_code == 404


def test_members_not_listed_publicly_are_not_linked(client, elections):
    kirklees = MemberCouncil.objects.get(slug="kirklees-council")
    kirklees.tier = Tier.AFFILIATE
    kirklees.save()
    result = ElectionResult.objects.get(member=kirklees)
    item = get(client, f"{RESULTS}{result.pk}/")
    assert item["council"] == "Kirklees Council"
    assert item["member"] is None and item["member_id"] is None and item["profile_url"] == ""
    # Nor can the council filter find it by its slug.
    get(client, RESULTS, {"council": "kirklees-council"}, status=400)


def test_api_items_are_the_download_rows(client, elections):
    for dataset, url in [("results", RESULTS), ("control-changes", CONTROL)]:
        query = {"members_only": "1"} if dataset != "results" else {"nation": "wales"}
        download = client.get(f"{elections.url}{dataset}/json/", query)
        rows = json.loads(download.content)["rows"]
        items = get(client, url, {**query, "limit": 100})["items"]
        for row, item in zip(rows, items, strict=True):
            assert {key: item[key] for key in row} == row


def test_rows_of_a_year_whose_page_is_not_live_are_not_served(client, elections):
    """The API serves only what the site shows: unpublishing the year's page hides its rows
    (a draft year's data is not public before its page is)."""
    row = ControlChange.objects.first()
    assert client.get(f"{CONTROL}{row.pk}/").status_code == 200
    elections.unpublish()
    data = get(client, CONTROL)
    assert data["meta"]["total_count"] == 0
    assert data["meta"]["html_url"] is None
    assert data["meta"]["source"]["name"] == "Open Council Data UK, control changes"
    assert get(client, RESULTS)["meta"]["total_count"] == 0
    assert client.get(f"{CONTROL}{row.pk}/").status_code == 404


def test_empty_tables(client, db, home_page):
    data = get(client, CONTROL)
    assert data == {
        "meta": {
            "total_count": 0,
            "source": {"name": "Open Council Data UK, control changes", "url": ""},
            "as_of": None,
            "filters": {},
            "html_url": None,
        },
        "items": [],
    }


def test_read_only(client, elections):
    assert client.post(RESULTS, {}).status_code == 405
    assert ControlChange.objects.count() == 24


@pytest.mark.parametrize(
    "url",
    [
        f"{RESULTS}?limit=100",
        f"{RESULTS}?outcome=labour-hold&nation=england&council=bury-council",
        f"{CONTROL}?members_only=1&year=2026&limit=100",
        f"{COUNCILLORS}?order=councillor&limit=100",
    ],
)
def test_query_count_is_bounded(client, elections, django_assert_max_num_queries, url):
    client.get(url)  # warm, as on a running site
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200


def test_index_lists_the_tables_with_their_schema(client, elections):
    data = get(client, "/api/v2/elections/")
    assert data["meta"] == {"total_count": 3, "as_of": "2026-06-11"}
    by_name = {item["name"]: item for item in data["items"]}
    assert list(by_name) == ["results", "control-changes", "councillor-changes"]
    results = by_name["results"]
    assert results["listing_url"] == f"http://testserver{RESULTS}"
    assert results["filters"] == ["year", "outcome", "nation", "council"]
    assert results["download_urls"]["json"].endswith("/membership/elections-2026/results/json/")
    column = next(c for c in results["columns"] if c["key"] == "had_election")
    assert column["type"] == "boolean" and column["description"]
    # Each listing_url answers, and its items have exactly the columns named.
    for item in data["items"]:
        listing = get(client, item["listing_url"], {"limit": 1})
        keys = {column["key"] for column in item["columns"]}
        assert keys | {"meta", "member"} == set(listing["items"][0])
    get(client, "/api/v2/elections/", {"limit": 5}, status=400)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{RESULTS}?format=api", "Birmingham City Council"),
        (f"{CONTROL}?format=json", "LD/GRN/IND min"),
        ("/api/v2/elections/?format=api", "outcome_type_label"),
    ],
)
def test_browsable_and_json_formats_answer(client, elections, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()
