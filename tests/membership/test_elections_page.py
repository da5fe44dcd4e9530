"""The 2026 election outcomes page: the summary chart, the sortable and filterable tables."""

import io
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest

from demo import membership as demo
from membership.importers import import_csv
from membership.models import ElectionResult, classify_outcome

DATA = Path(demo.__file__).parent / "data"


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


def chart(html: str) -> list[tuple[str, int]]:
    rows = re.findall(
        r'class="bar-chart__label"><a href="[^"]+">([^<]+)</a></span>.*?'
        r'class="bar-chart__value">(\d+)<',
        html,
        flags=re.S,
    )
    return [(label, int(count)) for label, count in rows]


def result_rows(html: str) -> list[str]:
    table = html.split('id="results-caption"', 1)[1].split("</table>", 1)[0]
    return [
        unescape(name)
        for name in re.findall(r'<th scope="row">(?:<a href="[^"]+">)?([^<]+)<', table)
    ]


def test_summary_counts_match_the_rows(client, seeded):
    html = client.get(seeded.url).content.decode()
    counts = chart(html)
    assert counts == [
        ("Labour hold", 12),
        ("No party majority", 12),
        ("Green gain", 2),
        ("Conservative gain", 1),
        ("Reform UK gain", 1),
        ("No election in 2026", 16),
    ]
    expected = Counter(
        classify_outcome(o).label for o in ElectionResult.objects.values_list("outcome", flat=True)
    )
    assert dict(counts) == dict(expected)
    assert sum(count for _, count in counts) == 44
    # Each value is text, not just a bar length; the chart has a caption.
    assert '<span class="visually-hidden"> of 44</span>' in html
    assert "<figcaption" in html


def test_results_table_lists_all_44_in_name_order(client, seeded):
    html = client.get(seeded.url).content.decode()
    rows = result_rows(html)
    assert len(rows) == 44
    assert rows[0] == "Birmingham City Council" and rows[-1] == "Wigan Council"
    assert "(44 councils)" in html
    # Listed members link to their profiles.
    assert '<a href="/membership/members/kirklees-council/">Kirklees Council</a>' in html
    assert "No Party Maj (Lib Lab)" in html


def test_filter_by_outcome(client, seeded):
    html = client.get(seeded.url, {"outcome": "green-gain"}).content.decode()
    assert result_rows(html) == ["Hackney Council", "Lewisham Council"]
    assert "green gain (2 councils)" in html
    # The chart still shows every outcome.
    assert len(chart(html)) == 6


def test_filter_by_nation(client, seeded):
    html = client.get(seeded.url, {"nation": "scotland"}).content.decode()
    assert result_rows(html) == ["Glasgow City Council", "Inverclyde Council"]


def test_sort_descending_and_header_state(client, seeded):
    html = client.get(seeded.url, {"sort": "-council"}).content.decode()
    rows = result_rows(html)
    assert rows[0] == "Wigan Council" and rows[-1] == "Birmingham City Council"
    assert (
        '<th scope="col" aria-sort="descending"><a class="sort-link" href="?sort=council#results">'
        in html
    )


def test_sort_by_outcome(client, seeded):
    html = client.get(seeded.url, {"sort": "outcome"}).content.decode()
    rows = result_rows(html)
    outcomes = [ElectionResult.objects.get(member__name=name).outcome for name in rows]
    assert outcomes == sorted(outcomes)


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "nonsense"},
        {"csort": "-x"},
        {"ksort": "';drop"},
    ],
)
def test_junk_sort_orders_fall_back(client, seeded, query):
    response = client.get(seeded.url, query)
    assert response.status_code == 200
    assert len(result_rows(response.content.decode())) == 44


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"outcome": "purple-surge"}, "the election result “purple-surge”, so all results"),
        ({"nation": "mars"}, "the nation “mars”, so all nations are shown."),
        ({"members_only": "yes"}, "the “member councils only” setting “yes”, so all changes"),
    ],
)
def test_unknown_filter_values_are_a_404_that_says_so(client, seeded, query, message):
    response = client.get(seeded.url, query)
    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert f"We don't recognise {message}" in html
    assert len(result_rows(html)) == 44


def test_an_unknown_filter_leaves_the_others_applied(client, seeded):
    response = client.get(seeded.url, {"nation": "scotland", "outcome": "purple-surge"})
    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert result_rows(html) == ["Glasgow City Council", "Inverclyde Council"]
    assert (
        '<a href="/membership/elections-2026/?nation=scotland#results">'
        "Remove the unrecognised filter</a>"
    ) in html


def test_active_filters_show_as_chips(client, seeded):
    html = client.get(seeded.url, {"outcome": "green-gain", "members_only": "1"}).content.decode()
    assert (
        '<a href="/membership/elections-2026/?members_only=1#results" class="active-filters__chip">'
        '<span class="visually-hidden">Remove filter: </span>Election result: Green gain'
    ) in html
    checkbox = '<input type="checkbox" name="members_only" value="1" id="id_members_only" checked>'
    assert checkbox in html
    assert "Clear all filters" in html


def test_control_changes_table(client, seeded):
    html = client.get(seeded.url).content.decode()
    section = html.split('id="control-caption"', 1)[1].split("</table>", 1)[0]
    assert "(24 rows)" in section
    assert section.index("Birmingham") < section.index("Norfolk")  # newest first
    assert "LD/GRN/IND min" in section
    assert 'href="https://opencouncildata.co.uk/changesCtrl.php?y=2026"' in html


def test_councillor_changes_table_and_members_only_filter(client, seeded):
    html = client.get(seeded.url).content.decode()
    section = html.split('id="councillor-caption"', 1)[1].split("</table>", 1)[0]
    assert "(31 rows)" in section and "Glenn Gibbins" in section
    assert 'href="https://opencouncildata.co.uk/changes.php?y=2026"' in html
    html = client.get(seeded.url, {"members_only": "1"}).content.decode()
    section = html.split('id="councillor-caption"', 1)[1].split("</table>", 1)[0]
    # Sunderland, Plymouth, Birmingham, Preston, High Peak and Trafford are members.
    assert "(6 rows)" in section
    assert "Rushmoor" not in section


def test_sort_councillor_changes_by_name(client, seeded):
    html = client.get(seeded.url, {"ksort": "name"}).content.decode()
    section = html.split('id="councillor-caption"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'<th scope="row">([^<]+)</th>', section)
    assert names == sorted(names)


def test_page_query_count_is_bounded(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        client.get(seeded.url)


def test_empty_page_before_any_import(client, elections_page):
    html = client.get(elections_page.url).content.decode()
    assert "No results match these filters." in html
    assert "bar-chart" not in html
