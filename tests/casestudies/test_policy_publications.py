"""Policy Labs and Prototypes; publications with their documents."""

from __future__ import annotations

import re

import pytest
from wagtail.documents import get_document_model

from casestudies.models import (
    PolicyLabsIndexPage,
    PolicyProjectPage,
    ProjectStatus,
    ProjectType,
    PublicationIndexPage,
    PublicationPage,
)
from demo.casestudies import summary_sheet, summary_sheet_pdf


@pytest.fixture
def labs(home_page, councils):
    index = PolicyLabsIndexPage(title="Policy Labs and Prototypes", slug="policy-labs")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    for title, kind, round_label, status, lead in [
        (
            "Development corporations",
            ProjectType.LAB,
            "2026",
            ProjectStatus.ACTIVE,
            "camden-council",
        ),
        (
            "Youth retention",
            ProjectType.PROTOTYPE,
            "2026",
            ProjectStatus.ACTIVE,
            "inverclyde-council",
        ),
        (
            "Health inequalities",
            ProjectType.LAB,
            "2024/5",
            ProjectStatus.COMPLETED,
            "kirklees-council",
        ),
    ]:
        page = PolicyProjectPage(
            title=title,
            project_type=kind,
            round=round_label,
            status=status,
            lead_councils=[councils[lead]],
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    return index


def test_policy_labs_grouped_by_round_then_type(client, labs):
    text = client.get("/policy-labs/").content.decode()
    order = [
        text.index(s)
        for s in (
            "Round 2026",
            "<h4>Policy Labs</h4>",
            "Development corporations",
            "<h4>Policy Prototypes</h4>",
            "Youth retention",
            "Round 2024/5",
            "Health inequalities",
        )
    ]
    assert order == sorted(order)
    assert "Lead: Camden Council" in text


def test_policy_labs_filter_by_status(client, labs):
    text = client.get("/policy-labs/?status=completed").content.decode()
    assert "Health inequalities" in text and "Youth retention" not in text
    response = client.get("/policy-labs/?status=%3Cb%3E")
    assert response.status_code == 404
    text = response.content.decode().replace("&#x27;", "'")
    assert "Youth retention" in text and "Health inequalities" in text
    assert "We don't recognise the status “&lt;b&gt;”, so all projects are shown." in text
    assert '<option value="completed">Completed</option>' in text


def test_policy_labs_projects_cost_no_query_each(client, labs, councils):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    project = PolicyProjectPage.objects.get(title="Youth retention")
    project.lead_councils = [councils["kirklees-council"], councils["inverclyde-council"]]
    project.summary = "Why young people leave, and what would make them stay."
    project.save_revision().publish()
    queries("/policy-labs/")  # the first request also reads the site's settings
    assert queries("/policy-labs/") == queries("/policy-labs/?status=completed")
    text = client.get("/policy-labs/").content.decode()
    assert "Lead: Inverclyde Council, Kirklees Council · " in text
    assert "what would make them stay" in text
    assert 'href="/policy-labs/youth-retention/"' in text


def test_summary_sheet_is_a_valid_pdf_of_the_record():
    record = {
        "title": "Asset Transfer (2021) \\ – £2,000",
        "year": 2021,
        "month": 3,
        "councils": ["Newcastle City Council"],
        "summary": "A report. " * 400,  # long enough to wrap onto a second page
    }
    data = summary_sheet_pdf(record)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert b"(Asset Transfer \\(2021\\) \\\\ \\226 \\2432,000) Tj" in data
    assert b"(Published: March 2021) Tj" in data
    assert b"(Written with: Newcastle City Council) Tj" in data
    assert b"info@councils.coop" in data
    assert b"/Count 2" in data
    assert b"PLACEHOLDER" not in data.upper()
    startxref = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[startxref:].startswith(b"xref")
    offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n", data)]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
    for line in re.findall(rb"\((.*?)\) Tj", data):
        assert len(line) <= 90, line  # wrapped to the page


def test_summary_sheet_is_stored_once_and_follows_its_record(db):
    record = {"title": "Members' Pack 2025", "year": 2025, "summary": "What members can do."}
    first = summary_sheet(record)
    assert summary_sheet(dict(record)).pk == first.pk
    assert get_document_model().objects.count() == 1
    assert first.title == "Summary sheet: Members' Pack 2025"
    assert first.file_extension == "pdf" and first.file_size > 0
    changed = summary_sheet({**record, "summary": "What membership offers."})
    assert changed.pk == first.pk and changed.file_hash != first.file_hash
    assert b"What membership offers." in changed.file.read()


@pytest.fixture
def publications(home_page, councils, themes):
    index = PublicationIndexPage(title="Publications", slug="publications")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    for title, year, month, theme in [
        ("Co-operative Approaches to Reaching Net Zero", 2022, 2, "net-zero-and-energy"),
        ("Beyond Asset Transfer", 2021, 3, "housing"),
        ("Members' Pack 2025", 2025, None, None),
    ]:
        page = PublicationPage(
            title=title,
            year=year,
            month=month,
            themes=[themes[theme]] if theme else [],
            partner_councils=[councils["kirklees-council"]] if year == 2022 else [],
            document=summary_sheet({"title": title, "year": year, "summary": title}),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    return index


def test_publications_newest_first_with_download_size_and_type(client, publications):
    text = client.get("/publications/").content.decode()
    order = [
        text.index(t) for t in ("Members&#x27; Pack 2025", "Reaching Net Zero", "Beyond Asset")
    ]
    assert order == sorted(order)
    assert "February 2022" in text and "March 2021" in text
    assert re.search(r"\(PDF, \d+(\.\d)?\xa0(bytes|KB)\)", text)
    assert "With Kirklees Council" in text


def test_publications_filter_by_year_and_theme(client, publications):
    text = client.get("/publications/?year=2022").content.decode()
    assert "Reaching Net Zero" in text and "Beyond Asset" not in text
    text = client.get("/publications/?theme=housing").content.decode()
    assert "Beyond Asset" in text and "Reaching Net Zero" not in text
    for junk in ("page=999", "page=abc", "utm_source=%3Cscript%3E"):
        response = client.get(f"/publications/?{junk}")
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
    for unknown in ("year=abc", "year=1800", "theme=%3Cscript%3E", "year=2022&theme=nope"):
        response = client.get(f"/publications/?{unknown}")
        assert response.status_code == 404
        text = response.content.decode()
        assert "<script>" not in text
        assert "We don&#x27;t recognise the " in text
    # The other filter still applies.
    text = client.get("/publications/?year=2022&theme=nope").content.decode()
    assert "Reaching Net Zero" in text and "Beyond Asset" not in text


def test_publication_page_download_link(client, publications):
    page = PublicationPage.objects.get(title="Beyond Asset Transfer")
    text = client.get(page.url).content.decode()
    # Its document is the summary sheet the project made, so the page says so.
    assert "Download the summary sheet" in text
    assert "The full report is not available online" in text
    assert "(PDF," in text
    assert "March 2021" in text


def test_project_page_says_what_funding_its_type_is_eligible_for(client, labs):
    prototype = PolicyProjectPage.objects.get(title="Youth retention")
    text = client.get(prototype.url).content.decode()
    assert "Policy Prototype" in text and "Up to £2,000" in text
    assert "Inverclyde Council" in text


def test_remembered_publication_filters_follow_publishing(client, publications, themes):
    def choices(text: str, name: str) -> list[str]:
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S)
        return re.findall(r'<option value="([^"]+)"', select.group(1))

    text = client.get("/publications/").content.decode()
    assert choices(text, "year") == ["2025", "2022", "2021"]
    assert choices(text, "theme") == ["housing", "net-zero-and-energy"]
    page = PublicationPage(
        title="Young people's report", year=2026, themes=[themes["young-people"]]
    )
    publications.add_child(instance=page)
    page.save_revision().publish()
    text = client.get("/publications/?year=2026&theme=young-people").content.decode()
    assert choices(text, "year") == ["2026", "2025", "2022", "2021"]
    assert choices(text, "theme") == ["housing", "net-zero-and-energy", "young-people"]
    assert "Young people&#x27;s report" in text and "Beyond Asset" not in text
    page.unpublish()
    response = client.get("/publications/?year=2026")
    assert response.status_code == 404
    text = response.content.decode()
    assert choices(text, "year") == ["2025", "2022", "2021"]
    assert "We don&#x27;t recognise the year “2026”, so all years are shown." in text
    theme = themes["housing"]
    theme.name = "Homes"
    theme.save()
    assert ">Homes</option>" in client.get("/publications/").content.decode()
