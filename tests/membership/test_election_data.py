"""The election tables as CSV and JSON downloads: the same rows as the page, safe to open in a
spreadsheet, with their source and as-of date."""

from __future__ import annotations

import csv
import datetime
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from demo import membership as demo
from membership.election_data import result_rows
from membership.importers import import_csv
from membership.models import CouncillorChange, ElectionResult, MemberCouncil, Tier

DATA = Path(demo.__file__).parent / "data"
SEED_AS_OF = "2026-06-11"  # the newest change in the seed (Glenn Gibbins, Sunderland)


@pytest.fixture
def seeded(db, elections_page, directory_page):
    """The seed's 44 members and all three tables, loaded through the importer."""
    demo.load_members(io.StringIO())
    for filename, kind in [
        ("election_results_2026.csv", "results"),
        ("control_changes_2026.csv", "control"),
        ("councillor_changes_2026.csv", "councillors"),
    ]:
        with (DATA / filename).open() as f:
            import_csv(f, kind)
    return elections_page


class TableReader(HTMLParser):
    """The body rows of the table whose caption has ``caption_id``, as a visitor reads them:
    each cell's text (a date as its machine-readable ``datetime``), without the text only
    screen readers hear and the "member" badge."""

    def __init__(self, caption_id: str):
        super().__init__()
        self.caption_id = caption_id
        self.in_table = self.in_body = self.done = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.skip = 0  # depth inside a hidden span or a badge

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "caption" and attrs.get("id") == self.caption_id:
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None and tag == "span":
            if self.skip or attrs.get("class") in ("visually-hidden", "member-badge"):
                self.skip += 1
        elif self.cell is not None and tag == "time":
            self.cell.append(attrs["datetime"])
            self.skip += 1  # the date in words is the same date

    def handle_endtag(self, tag):
        if self.done or not self.in_body:
            return
        if tag in ("span", "time") and self.skip:
            self.skip -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.done = True

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


def html_rows(html: str, caption_id: str) -> list[list[str]]:
    reader = TableReader(caption_id)
    reader.feed(html)
    return reader.rows


# What each table shows, from a download's row: the columns in the page's order.
SHOWN = {
    "results": ("results-caption", ["council", "outcome", "control_before", "next_election"]),
    "control-changes": (
        "control-caption",
        ["date", "council", "control_type_label", "from_control", "to_control"],
    ),
    "councillor-changes": (
        "councillor-caption",
        ["date", "council", "ward", "councillor", "from_party", "to_party"],
    ),
}


def shown(row: dict, keys: list[str]) -> list[str]:
    return [str(row[key]) if row[key] not in ("", None) else "–" for key in keys]


def download(client, page, dataset: str, fmt: str, query: dict | None = None):
    return client.get(f"{page.url}{dataset}/{fmt}/", query or {})


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


QUERIES = [
    {},
    {"outcome": "no-overall-control", "sort": "-outcome"},
    {"nation": "scotland"},
    {"members_only": "1", "csort": "council", "ksort": "-name"},
]


@pytest.mark.parametrize("query", QUERIES, ids=["all", "outcome", "nation", "members-only"])
@pytest.mark.parametrize("dataset", list(SHOWN))
def test_downloads_match_the_page_tables_row_for_row(client, seeded, query, dataset):
    html = client.get(seeded.url, query).content.decode()
    caption, keys = SHOWN[dataset]
    on_page = html_rows(html, caption)
    assert on_page and not on_page[0][0].startswith("No ")
    from_csv = [
        shown(row, keys) for row in csv_rows(download(client, seeded, dataset, "csv", query))
    ]
    document = json.loads(download(client, seeded, dataset, "json", query).content)
    from_json = [shown(row, keys) for row in document["rows"]]
    assert from_csv == on_page
    assert from_json == on_page
    assert document["count"] == len(on_page)


def test_the_filtered_downloads_really_are_filtered(client, seeded):
    rows = csv_rows(download(client, seeded, "results", "csv", {"outcome": "green-gain"}))
    assert [row["council"] for row in rows] == ["Hackney Council", "Lewisham Council"]
    rows = csv_rows(download(client, seeded, "councillor-changes", "csv", {"members_only": "1"}))
    assert len(rows) == 6 and {row["is_member"] for row in rows} == {"true"}
    assert "Rushmoor" not in {row["council"] for row in rows}


def test_csv_is_an_attachment_with_a_header_row_source_and_as_of(client, seeded):
    response = download(client, seeded, "control-changes", "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == (
        'attachment; filename="ccin-control-changes-2026.csv"'
    )
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["id", "date", "council"] and header[-2:] == ["source", "as_of"]
    rows = csv_rows(response)
    assert len(rows) == 24
    first = rows[0]
    assert first["date"] == "2026-06-06" and first["council"] == "Birmingham"
    assert first["is_member"] == "true"
    assert first["profile_url"] == "http://testserver/membership/members/birmingham-city-council/"
    assert {row["source"] for row in rows} == {
        "https://opencouncildata.co.uk/changesCtrl.php?y=2026"
    }
    assert {row["as_of"] for row in rows} == {SEED_AS_OF}


def test_csv_keeps_accented_names_in_utf8(client, seeded):
    response = download(client, seeded, "councillor-changes", "csv")
    assert "Sinn Féin".encode() in response.content


def test_filtered_download_is_named_for_its_filters(client, seeded):
    response = download(client, seeded, "results", "json", {"outcome": "green-gain"})
    assert response["Content-Disposition"] == (
        'attachment; filename="ccin-election-results-2026-green-gain.json"'
    )
    response = download(client, seeded, "councillor-changes", "csv", {"members_only": "1"})
    assert response["Content-Disposition"].endswith('councillor-changes-2026-members.csv"')


def test_json_download_carries_source_as_of_columns_and_rows(client, seeded):
    response = download(client, seeded, "results", "json", {"nation": "scotland"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert document["source"] == {
        "name": "Co-operative Councils' Innovation Network",
        "url": "http://testserver/membership/elections-2026/",
    }
    assert document["as_of"] == SEED_AS_OF
    assert document["filters"] == {"nation": "scotland"}
    assert document["count"] == 2
    keys = [column["key"] for column in document["columns"]]
    assert keys[:2] == ["id", "council"] and "outcome_type" in keys
    assert all(column["type"] and column["description"] for column in document["columns"])
    glasgow = document["rows"][0]
    assert glasgow["council"] == "Glasgow City Council"
    assert glasgow["outcome"] == "N/A" and glasgow["had_election"] is False
    assert glasgow["outcome_type"] == "no-election"
    assert glasgow["next_election"] == "May 2027"
    assert glasgow["member_id"] == MemberCouncil.objects.get(slug="glasgow-city-council").pk
    assert list(glasgow) == keys


def test_results_without_a_source_field_say_the_page_and_with_one_say_that(client, seeded):
    seeded.results_source_url = "https://example.org/results-2026"
    seeded.save_revision().publish()
    document = json.loads(download(client, seeded, "results", "json").content)
    assert document["source"] == {
        "name": "Published results",
        "url": "https://example.org/results-2026",
    }


FORMULAS = {
    "councillor": '=HYPERLINK("http://evil.example","x")',
    "ward": "+44 ward",
    "from_party": "-1",
    "to_party": "@SUM(A1)",
}


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, seeded):
    CouncillorChange.objects.create(
        date=datetime.date(2026, 6, 20), council_name="Anytown", **FORMULAS
    )
    rows = csv_rows(download(client, seeded, "councillor-changes", "csv"))
    injected = next(row for row in rows if row["council"] == "Anytown")
    for key, value in FORMULAS.items():
        assert injected[key] == f"'{value}"
    # JSON is not opened by spreadsheets as formulas: the value is as recorded.
    document = json.loads(download(client, seeded, "councillor-changes", "json").content)
    row = next(row for row in document["rows"] if row["council"] == "Anytown")
    assert row["councillor"] == FORMULAS["councillor"]
    # ...and the as-of date moves on to the newest change.
    assert document["as_of"] == "2026-06-20"


def test_members_not_listed_publicly_are_not_identified(client, seeded):
    kirklees = MemberCouncil.objects.get(slug="kirklees-council")
    kirklees.tier = Tier.AFFILIATE
    kirklees.save()
    rows = csv_rows(download(client, seeded, "results", "csv"))
    row = next(row for row in rows if row["council"] == "Kirklees Council")
    assert (row["member_id"], row["member_slug"], row["profile_url"]) == ("", "", "")
    html = client.get(seeded.url).content.decode()
    assert "/membership/members/kirklees-council/" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"outcome": "purple-surge"}, "We don't recognise the election result “purple-surge”."),
        ({"nation": "mars"}, "We don't recognise the nation “mars”."),
        ({"members_only": "yes"}, "We don't recognise the “member councils only” setting “yes”."),
    ],
)
def test_unknown_filter_values_are_a_plain_404_that_says_so(client, seeded, query, message):
    for dataset in SHOWN:
        response = download(client, seeded, dataset, "csv", query)
        assert response.status_code == 404
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().strip() == message


@pytest.mark.parametrize("path", ["results/xlsx/", "winners/csv/", "results/", "results/csv/x/"])
def test_unknown_tables_and_formats_are_a_404(client, seeded, path):
    assert client.get(f"{seeded.url}{path}").status_code == 404


def test_junk_sort_orders_fall_back_in_downloads_too(client, seeded):
    response = download(client, seeded, "results", "csv", {"sort": "';drop"})
    assert response.status_code == 200
    assert csv_rows(response)[0]["council"] == "Birmingham City Council"


def test_page_links_each_tables_downloads_with_its_filters(client, seeded):
    html = client.get(seeded.url, {"outcome": "green-gain", "members_only": "1"}).content.decode()
    base = seeded.url
    assert f'<a href="{base}results/csv/?outcome=green-gain" download>CSV' in html
    assert f'<a href="{base}results/json/?outcome=green-gain" download>JSON' in html
    # The change tables are narrowed by "member councils only", not by the outcome.
    assert f'<a href="{base}control-changes/csv/?members_only=1" download>CSV' in html
    assert f'<a href="{base}councillor-changes/json/?members_only=1" download>JSON' in html
    assert "Download these results, filtered as above, as" in html
    html = client.get(seeded.url, {"ksort": "name"}).content.decode()
    assert f'<a href="{base}councillor-changes/csv/?ksort=name" download>' in html
    assert f'<a href="{base}results/csv/" download>' in html


def test_page_says_what_the_data_is_and_how_current(client, seeded):
    html = client.get(seeded.url).content.decode()
    about = html.split('id="about-data"', 1)[1]
    assert '<time datetime="2026-06-11">11 June 2026</time>' in about
    assert "/api/v2/elections/councillor-changes/" in about
    assert "<code>outcome_type</code> (string)" in about
    assert 'href="https://opencouncildata.co.uk/changes.php?y=2026"' in about
    # The network's own results are not a link back to the page they are on.
    assert "Source: Co-operative Councils&#x27; Innovation Network. API:" in about
    assert '<a href="/api/v2/elections/results/"><code>' in about


def test_downloads_cost_a_bounded_number_of_queries(client, seeded, django_assert_max_num_queries):
    for dataset in SHOWN:
        download(client, seeded, dataset, "csv")  # warm
    for dataset in SHOWN:
        with django_assert_max_num_queries(12):
            download(client, seeded, dataset, "json", {"members_only": "1", "nation": "wales"})


def test_result_rows_come_from_the_records(seeded):
    result = ElectionResult.objects.select_related("member").get(member__slug="hull-city-council")
    (row,) = result_rows([result], "https://example.org/members/")
    assert row.values["outcome"] == "No Party Maj (Lib Lab)"
    assert row.values["outcome_type"] == "no-overall-control"
    assert row.values["profile_url"] == "https://example.org/members/hull-city-council/"


def test_as_of_is_the_newest_change_even_when_filtered_out(client, seeded):
    CouncillorChange.objects.create(
        date=datetime.date(2026, 6, 20),
        council_name="Rushmoor",
        ward="Manor Park",
        councillor="A New Councillor",
        from_party="Vacant",
        to_party="Labour Party",
    )
    for query in ({}, {"members_only": "1"}):
        document = json.loads(download(client, seeded, "control-changes", "json", query).content)
        assert document["as_of"] == "2026-06-20"
    html = client.get(seeded.url, {"members_only": "1"}).content.decode()
    assert '<time datetime="2026-06-20">20 June 2026</time>' in html
