"""What a visitor learns about a member: its facts, its monogram, and the links between its
profile and the election outcomes; the join form's membership choice; name aliases."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from demo import membership as demo
from demo.records import DATA, read
from membership.importers import ImportFailed, MemberMatcher, import_csv
from membership.models import (
    ElectionResult,
    MemberCouncil,
    MemberKind,
    Nation,
    Tier,
    gss_code_validator,
)
from membership.models.elections import next_election_words

from .conftest import make_member

AS_AT = date(2026, 5, 6)


@pytest.fixture
def canterbury(db) -> MemberCouncil:
    member = make_member(
        "Canterbury City Council",
        gss_code="E07000106",
        region="South East",
        website="https://www.canterbury.gov.uk/",
        political_control="Labour and Liberal Democrat coalition",
        political_control_as_of=AS_AT,
    )
    ElectionResult.objects.create(
        member=member, outcome="N/A", control_before="Lab / Lib Dem Coal", next_election="LGR 2027"
    )
    return member


@pytest.fixture
def hackney(db) -> MemberCouncil:
    member = make_member(
        "Hackney Council", political_control="Labour majority", political_control_as_of=AS_AT
    )
    ElectionResult.objects.create(
        member=member, outcome="Green Gain", control_before="Labour (Maj)"
    )
    return member


def profile(client, directory_page, member) -> str:
    response = client.get(f"{directory_page.url}{member.slug}/")
    assert response.status_code == 200
    return response.content.decode()


# The profile's facts ---------------------------------------------------------------------------


def test_profile_shows_every_known_fact(client, directory_page, canterbury):
    html = profile(client, directory_page, canterbury)
    facts = dict(re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", html))
    assert facts["Membership"] == "Full member"
    assert facts["Type"] == "Council"
    assert facts["Nation"] == "England"
    assert facts["Region"] == "South East"
    assert facts["Political control"].startswith("Labour and Liberal Democrat coalition")
    assert '(as at <time datetime="2026-05-06">6 May 2026</time>)' in facts["Political control"]
    assert facts["Next election"] == "Local government reorganisation, 2027"
    assert "E07000106" in html
    assert '<a href="https://www.canterbury.gov.uk/" rel="noopener">canterbury.gov.uk' in html


def test_control_before_an_election_says_so(client, directory_page, hackney):
    html = profile(client, directory_page, hackney)
    assert "Labour majority" in html
    assert "6 May 2026</time>, before the 2026 elections)" in html
    assert "<dt>Result</dt><dd>Green Gain</dd>" in html


def test_kind_and_nation_of_a_combined_authority(client, directory_page, members):
    html = profile(client, directory_page, members["gmca"])
    assert "<dt>Type</dt><dd>Combined authority</dd>" in html
    html = profile(client, directory_page, members["glasgow"])
    assert "<dt>Nation</dt><dd>Scotland</dd>" in html


def test_unknown_facts_are_left_out_not_filled_with_words(client, directory_page, members):
    html = profile(client, directory_page, members["cardiff"])
    for label in ("Region", "Political control", "Next election", "Website", "Population"):
        assert f"<dt>{label}</dt>" not in html, label
    assert "GSS" not in html
    for filler in ("none recorded", "no commitments", "no case studies", "to follow", "tbc"):
        assert filler not in html.lower(), filler


@pytest.mark.parametrize(
    ("published", "words", "short"),
    [
        ("May-27", "May 2027", "May 2027"),
        ("May-28", "May 2028", "May 2028"),
        ("LGR 2027", "Local government reorganisation, 2027", "LGR 2027"),
        ("LGR 2028", "Local government reorganisation, 2028", "LGR 2028"),
        ("2028", "2028", "2028"),
        ("", "", ""),
    ],
)
def test_next_election_in_words(published, words, short):
    assert next_election_words(published) == words
    assert next_election_words(published, short=True) == short


# Monogram where there is no logo ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "monogram"),
    [
        ("Greater Manchester Combined Authority", "GMCA"),
        ("Royal Borough of Greenwich", "RBG"),
        ("Tameside Borough Council", "TB"),
        ("Telford & Wrekin Council", "TW"),
        ("Brent Council", "B"),
    ],
)
def test_monogram_initials(name, monogram):
    assert MemberCouncil(name=name).monogram == monogram


def test_monogram_is_decorative_and_the_name_is_text(client, directory_page, members):
    html = client.get(directory_page.url).content.decode()
    assert re.search(
        r'<span class="member-monogram member-monogram--small" aria-hidden="true">K</span>\s*'
        r'<a class="member-list__name" href="/membership/members/kirklees-council/">'
        r"Kirklees Council</a>",
        html,
    )
    html = profile(client, directory_page, members["gmca"])
    large = '<span class="member-monogram member-monogram--large" aria-hidden="true">GMCA</span>'
    assert large in html
    assert "<h1>Greater Manchester Combined Authority</h1>" in html


# Profile and election outcomes link each other ------------------------------------------------


def test_profile_links_to_its_row_and_the_row_back(
    client, directory_page, elections_page, canterbury
):
    html = profile(client, directory_page, canterbury)
    assert '<a href="/membership/elections-2026/#result-canterbury-city-council">' in html
    table = client.get(elections_page.url).content.decode()
    assert '<tr id="result-canterbury-city-council">' in table
    assert (
        '<th scope="row"><a href="/membership/members/canterbury-city-council/">'
        "Canterbury City Council</a></th>"
    ) in table


def test_results_column_only_when_a_row_has_a_link(client, elections_page, canterbury, hackney):
    html = client.get(elections_page.url).content.decode()
    assert ">Results<" not in html
    assert "<td>LGR 2027</td>" in html
    ElectionResult.objects.filter(member=hackney).update(results_url="https://hackney.gov.uk/")
    html = client.get(elections_page.url).content.decode()
    assert 'Results<span class="visually-hidden"> for Hackney Council</span>' in html
    assert '<th scope="col">Results</th>' in html


# The directory beside the published figures ----------------------------------------------------


def test_no_listed_associates_is_explained(client, directory_page, site_settings, db):
    make_member("Kirklees Council")
    html = client.get(directory_page.url).content.decode()
    assert "1 listed member, all full members." in html
    assert "0 associate members" not in html
    assert "This directory lists the members who have a public profile" in html
    assert f"The network has {site_settings.associate_members} associate members" in html


def test_associate_note_goes_once_all_are_listed(client, directory_page, site_settings, db):
    site_settings.associate_members = 1
    site_settings.save()
    make_member("Anytown Housing Co-op", tier=Tier.ASSOCIATE)
    html = client.get(directory_page.url).content.decode()
    assert "1 listed member: 0 full members and 1 associate member." in html
    assert "once their record is added" not in html


# The join form ---------------------------------------------------------------------------------


def test_join_form_has_no_membership_type_chosen_for_the_visitor(client, membership_page):
    html = client.get(membership_page.url).content.decode()
    assert "---------" not in html
    radios = re.findall(r'<input type="radio" name="tier"[^>]*>', html)
    assert [re.search(r'value="([^"]*)"', radio)[1] for radio in radios] == [
        "full",
        "associate",
        "affiliate",
        "supporter",
    ]
    assert not any("checked" in radio for radio in radios)
    assert '<legend class="form-field__label">Which kind of membership' in html


def test_join_form_without_a_choice_asks_for_one(client, membership_page):
    data = {"name": "Sam", "organisation": "Anytown Council", "email": "sam@example.org"}
    html = client.post(membership_page.url, data).content.decode()
    assert "Choose the kind of membership you are interested in." in html
    assert '<a href="#id_tier_0">' in html


# Names: the seed's spellings as aliases --------------------------------------------------------


def test_a_seed_spelling_matches_through_an_alias(db):
    middlesbrough = make_member("Middlesbrough Council")
    text = "Council,Election 26\nMiddlesborough Council,N/A\n"
    with pytest.raises(ImportFailed, match="nothing was imported"):
        import_csv(io.StringIO(text), "results")
    import_csv(
        io.StringIO(text), "results", aliases={"Middlesborough Council": "Middlesbrough Council"}
    )
    assert ElectionResult.objects.get().member == middlesbrough


def test_an_alias_short_name_matches_opencouncildata_spelling(db):
    member = make_member("Middlesbrough Council")
    match = MemberMatcher([member], {"Middlesborough Council": "Middlesbrough Council"})
    assert match("Middlesborough") == member
    assert match("middlesbrough") == member
    assert match("Middlesborough Council") == member


def test_the_demo_loader_imports_a_seed_spelled_table(db):
    demo.load_members(io.StringIO())
    text = (
        "Council,Election 26,Make Up on 6 May 26,Next election\n"
        "Middlesborough Council,N/A,Labour (Maj),May-27\n"
        "Cheshire West & Cheshire,N/A,Labour (Minority),May-27\n"
        "Greater Manchester Combined Authc,N/A,,May-28\n"
    )
    import_csv(io.StringIO(text), "results", aliases=demo.seed_aliases())
    assert set(ElectionResult.objects.values_list("member__name", flat=True)) == {
        "Middlesbrough Council",
        "Cheshire West and Chester Council",
        "Greater Manchester Combined Authority",
    }


def test_loader_renames_a_member_left_under_the_seed_spelling(db):
    old = make_member("Middlesborough Council")
    demo.load_members(io.StringIO())
    old.refresh_from_db()
    assert (old.name, old.slug) == ("Middlesbrough Council", "middlesbrough-council")
    assert (old.gss_code, old.region, old.political_control) == (
        "E06000002",
        "North East",
        "Labour majority",
    )
    assert old.political_control_as_of == AS_AT
    assert MemberCouncil.objects.count() == 44
    out = io.StringIO()
    demo.load_members(out)
    assert "0 added, 0 updated, 44 already there" in out.getvalue()


def test_loader_keeps_what_an_editor_changed(db):
    demo.load_members(io.StringIO())
    MemberCouncil.objects.filter(slug="kirklees-council").update(
        political_control="No overall control", region="West Yorkshire"
    )
    demo.load_members(io.StringIO())
    kirklees = MemberCouncil.objects.get(slug="kirklees-council")
    assert (kirklees.political_control, kirklees.region) == ("No overall control", "West Yorkshire")


# The demo's member data ------------------------------------------------------------------------

# The seed's "Make Up on 6 May 26" wording, in the plain words members.toml uses.
SEED_CONTROL = {
    "Labour (Maj)": "Labour majority",
    "Labour (Minority)": "Labour minority",
    "Labour (Minor)": "Labour minority",
    "SNP (Minority)": "SNP minority",
    "Lib Dem (Maj)": "Liberal Democrat majority",
    "Lab / Lib Dem Coal": "Labour and Liberal Democrat coalition",
    "Green / Lab Coal": "Green and Labour coalition",
    "": None,
}


def seed_table() -> dict[str, dict[str, str]]:
    import csv

    with (DATA / "election_results_2026.csv").open(encoding="utf-8") as f:
        return {row["Council"]: row for row in csv.DictReader(f)}


def test_members_file_agrees_with_the_seed_table():
    data = read("members.toml")
    members = data["member"]
    table = seed_table()
    assert data["political_control_as_of"] == AS_AT
    assert [m["name"] for m in members] == list(table)
    for member in members:
        made_up = table[member["name"]]["Make Up on 6 May 26"]
        assert member.get("political_control") == SEED_CONTROL[made_up], member["name"]


def test_members_file_codes_and_websites_are_well_formed():
    members = read("members.toml")["member"]
    codes = [m["gss_code"] for m in members]
    assert len(codes) == len(set(codes)) == 44
    url = URLValidator(schemes=["https"])
    for member in members:
        gss_code_validator(member["gss_code"])
        url(member["website"])
        # The code's letter is the member's nation.
        nation = member.get("nation", Nation.ENGLAND)
        assert member["gss_code"][0] == {"england": "E", "scotland": "S", "wales": "W"}[nation]
    known = {m["name"]: m["gss_code"] for m in members}
    assert known["Kirklees Council"] == "E08000034"
    assert known["Manchester City Council"] == "E08000003"
    assert known["Greater Manchester Combined Authority"] == "E47000001"


def test_members_file_uses_real_names_and_keeps_the_seed_spelling_as_alias():
    members = {m["name"]: m for m in read("members.toml")["member"]}
    assert members["Middlesbrough Council"]["seed_name"] == "Middlesborough Council"
    assert members["Cheshire West and Chester Council"]["seed_name"] == "Cheshire West & Cheshire"
    gmca = members["Greater Manchester Combined Authority"]
    assert gmca["seed_name"] == "Greater Manchester Combined Authc"
    assert gmca["kind"] == MemberKind.COMBINED_AUTHORITY
    for name in members:
        assert slugify(name)


def test_a_bad_gss_code_is_refused(db):
    member = MemberCouncil(name="Anytown Council", slug="anytown-council", gss_code="E0800003")
    with pytest.raises(ValidationError):
        member.full_clean()
