"""manage.py import_elections: validation by line, all-or-nothing, idempotency, seed files."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from demo import membership as demo
from membership.importers import ImportFailed, import_csv, short_council_name
from membership.models import ControlChange, ControlType, CouncillorChange, ElectionResult

DATA = Path(demo.__file__).parent / "data"


def run(text: str, kind: str):
    return import_csv(io.StringIO(text), kind, year=2026)


@pytest.fixture
def seed_members(db):
    demo.load_members(io.StringIO())


def test_seed_results_import_all_44_rows(seed_members):
    call_command(
        "import_elections",
        str(DATA / "election_results_2026.csv"),
        kind="results",
        stdout=io.StringIO(),
    )
    assert ElectionResult.objects.count() == 44
    hull = ElectionResult.objects.get(member__name="Hull City Council")
    assert (hull.outcome, hull.outcome_detail, hull.control_before) == (
        "No Party Maj",
        "Lib Lab",
        "Lib Dem (Maj)",
    )
    assert hull.outcome_display == "No Party Maj (Lib Lab)"
    canterbury = ElectionResult.objects.get(member__name="Canterbury City Council")
    assert (canterbury.outcome, canterbury.next_election) == ("N/A", "LGR 2027")
    # The file names members as they name themselves, not as the seed misspells them.
    assert ElectionResult.objects.filter(member__name="Middlesbrough Council").exists()
    assert ElectionResult.objects.filter(member__name="Cheshire West and Chester Council").exists()


def test_seed_control_changes_fill_down_date_and_council(seed_members):
    with (DATA / "control_changes_2026.csv").open() as f:
        report = import_csv(f, "control")
    assert report.created == 24
    birmingham = ControlChange.objects.filter(council_name="Birmingham").order_by("id")
    assert [(c.control_type, c.from_control, c.to_control) for c in birmingham] == [
        (ControlType.MAJORITY, "LAB", "NOC"),
        (ControlType.ADMINISTRATION, "LAB", "LD/GRN/IND min"),
        (ControlType.LARGEST_GROUP, "LAB", "REF"),
    ]
    assert {c.date.isoformat() for c in birmingham} == {"2026-06-06"}
    # A short name finds the member; a non-member council is kept by name only.
    assert birmingham[0].member.name == "Birmingham City Council"
    assert ControlChange.objects.filter(council_name="Lambeth", member=None).count() == 3
    assert "Lambeth" in report.unmatched_councils


def test_seed_councillor_changes(seed_members):
    with (DATA / "councillor_changes_2026.csv").open() as f:
        report = import_csv(f, "councillors")
    assert report.created == 31
    change = CouncillorChange.objects.get(councillor="Glenn Gibbins")
    assert change.member.name == "Sunderland City Council"
    assert (change.ward, change.from_party, change.to_party) == (
        "Hylton Castle",
        "Independent / Other",
        "Reform UK",
    )
    # Two people changed in the same ward on the same day: both are kept.
    assert CouncillorChange.objects.filter(ward="Coleman Street").count() == 2


def test_reimporting_the_same_file_changes_nothing(seed_members):
    path = DATA / "election_results_2026.csv"
    with path.open() as f:
        import_csv(f, "results")
    before = list(ElectionResult.objects.order_by("pk").values())
    with path.open() as f:
        report = import_csv(f, "results")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 44)
    assert list(ElectionResult.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_in_place(seed_members):
    header = "Council,Election 26,Make Up on 6 May 26,Next election,Results\n"
    run(header + "Bury Council,Labour Hold,Labour (Maj),,\n", "results")
    report = run(
        header + "Bury Council,Labour Hold,Labour (Maj),May-30,https://example.org/bury\n",
        "results",
    )
    assert (report.created, report.updated) == (0, 1)
    result = ElectionResult.objects.get()
    assert (result.next_election, result.results_url) == ("May-30", "https://example.org/bury")


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(seed_members):
    text = (
        "Council,Election 26,Make Up on 6 May 26,Next election,Results\n"
        "Bury Council,Labour Hold,Labour (Maj),,\n"
        "Nowhere Council,Labour Hold,Labour (Maj),,\n"
        "Camden Council,,Labour (Maj),,\n"
        "Wigan Council,Labour Hold,Labour (Maj),,not a link\n"
        "Bury Council,Labour Hold,Labour (Maj),,\n"
    )
    with pytest.raises(ImportFailed) as failure:
        run(text, "results")
    errors = failure.value.errors
    assert errors[0].startswith("line 3:") and "Nowhere Council" in errors[0]
    assert errors[1].startswith("line 4:") and "outcome is empty" in errors[1]
    assert errors[2].startswith("line 5:") and "not a web address" in errors[2]
    assert errors[3] == "line 6: repeats line 2."
    assert len(errors) == 4
    # The good row on line 2 was not imported either.
    assert ElectionResult.objects.count() == 0


def test_bad_control_and_councillor_rows(seed_members):
    with pytest.raises(ImportFailed) as failure:
        run(
            "Date,Council,Control Type,From,,To\n"
            "31 Feb 26,Birmingham,Majority,LAB,,NOC\n"
            "01 Jun 26,Cambridge,Supremacy,LAB,,NOC\n",
            "control",
        )
    assert failure.value.errors[0].startswith("line 2:")
    assert "31 Feb 26" in failure.value.errors[0]
    assert failure.value.errors[1].startswith("line 3:")
    assert "Supremacy" in failure.value.errors[1]
    with pytest.raises(ImportFailed) as failure:
        run(
            "Date,Council,Ward,Name,From,To\n11 Jun 26,Sunderland,,Glenn Gibbins,,Reform UK\n",
            "councillors",
        )
    assert failure.value.errors == ['line 2: "ward" is empty; "from" is empty.']
    assert ControlChange.objects.count() == CouncillorChange.objects.count() == 0


def test_missing_columns_and_empty_file(db):
    with pytest.raises(ImportFailed) as failure:
        run("Date,Council,Ward\n", "councillors")
    assert failure.value.errors == ["line 1: the header is missing the column(s): name, from, to."]
    with pytest.raises(ImportFailed) as failure:
        run("", "control")
    assert "empty" in failure.value.errors[0]


def test_command_reports_errors_and_fails(seed_members, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Council,Ward,Name,From,To\nsoon,Preston,Garrison,F B,Ind,Lab\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_elections", str(bad), kind="councillors", stderr=err)
    assert "line 2:" in err.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_elections", str(tmp_path / "missing.csv"), kind="results")


def test_short_council_names():
    assert short_council_name("Birmingham City Council") == "birmingham"
    assert short_council_name("Royal Borough of Greenwich") == "greenwich"
    assert short_council_name("High Peak Borough Council") == "high peak"
    assert short_council_name("Oxfordshire County Council") == "oxfordshire"
