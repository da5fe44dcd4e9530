"""The member directory: who is listed, filters, live counts, A–Z, and member profiles."""

import re

import pytest

from membership.models import Commitment, ElectionResult, MemberDirectoryPage, Nation, Tier
from tests.seo.test_sitemaps import sitemap_documents

from .conftest import make_member


def listed_names(html: str) -> list[str]:
    return re.findall(r'class="member-list__name" href="[^"]+">([^<]+)</a>', html)


def test_lists_active_full_and_associate_members_a_to_z(client, directory_page, members):
    html = client.get(directory_page.url).content.decode()
    assert listed_names(html) == [
        "Anytown Housing Co-op",
        "Cardiff Council",
        "Glasgow City Council",
        "Greater Manchester Combined Authority",
        "Kirklees Council",
    ]
    # Affiliates, supporters and former members are not listed.
    for name in ("An Affiliate Body", "A Supporter Org", "Formerly Borough Council"):
        assert name not in html
    assert "5 listed members: 4 full members and 1 associate member." in html
    assert '<h2 id="letter-K" class="az-group__letter">K</h2>' in html
    assert '<a href="#letter-K">K</a>' in html
    assert '<span class="az-nav__empty" aria-hidden="true">Z</span>' in html


def test_affiliates_and_supporters_are_counted_not_listed(
    client, directory_page, members, site_settings
):
    html = client.get(directory_page.url).content.decode()
    assert "45 affiliates and 23 supporters" in html


def test_filter_by_nation_and_tier_with_live_counts(client, directory_page, members):
    html = client.get(directory_page.url, {"nation": Nation.WALES}).content.decode()
    assert listed_names(html) == ["Cardiff Council"]
    assert "1 member matches your filters: 1 full member and 0 associate members." in html
    # Facet counts say how many each other choice would show.
    assert ">Full member (1)</option>" in html
    assert ">England (3)</option>" in html
    html = client.get(directory_page.url, {"tier": Tier.ASSOCIATE}).content.decode()
    assert listed_names(html) == ["Anytown Housing Co-op"]
    assert "Associate member" in html
    html = client.get(
        directory_page.url, {"tier": Tier.ASSOCIATE, "nation": Nation.SCOTLAND}
    ).content.decode()
    assert listed_names(html) == []
    assert "No members match these filters." in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"tier": "affiliate"}, "the membership type “affiliate”, so all membership types are"),
        ({"nation": "atlantis"}, "the nation “atlantis”, so all nations are shown."),
        ({"tier": "<script>"}, "the membership type “&lt;script&gt;”"),
    ],
)
def test_unknown_filter_values_show_everyone_with_a_message_as_a_404(
    client, directory_page, members, query, message
):
    response = client.get(directory_page.url, query)
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 404
    assert len(listed_names(html)) == 5
    assert f"We don't recognise {message}" in html
    assert "<script>" not in html.split("<main")[1].split("</main>")[0]


def test_an_unknown_filter_leaves_the_other_applied(client, directory_page, members):
    response = client.get(directory_page.url, {"nation": Nation.WALES, "tier": "emperor"})
    assert response.status_code == 404
    html = response.content.decode()
    assert listed_names(html) == ["Cardiff Council"]
    assert '<a href="/membership/members/?nation=wales">Remove the unrecognised filter</a>' in html


def test_a_junk_page_number_is_ignored(client, directory_page, members):
    response = client.get(directory_page.url, {"page": "9x"})
    assert response.status_code == 200
    assert len(listed_names(response.content.decode())) == 5


def test_active_filters_are_chips_that_remove_themselves(client, directory_page, members):
    html = client.get(
        directory_page.url, {"nation": Nation.ENGLAND, "tier": Tier.FULL}
    ).content.decode()
    assert (
        '<a href="/membership/members/?nation=england" class="active-filters__chip">'
        '<span class="visually-hidden">Remove filter: </span>Membership: Full member'
    ) in html
    assert '<a href="/membership/members/?tier=full" class="active-filters__chip">' in html


def test_directory_query_count_is_bounded(
    client, directory_page, members, django_assert_max_num_queries
):
    for i in range(30):
        make_member(f"Extra Council {i}")
    with django_assert_max_num_queries(25):
        response = client.get(directory_page.url)
    assert len(listed_names(response.content.decode())) == 35


def test_profile_routing_details_commitments_and_election(client, directory_page, members):
    member = members["kirklees"]
    member.region = "Yorkshire and the Humber"
    member.champion_member = "Cllr Example"
    member.save()
    member.commitments.add(Commitment.objects.get(slug="real-living-wage"))
    member.save()
    ElectionResult.objects.create(
        member=member,
        year=2026,
        outcome="No Party Maj",
        outcome_detail="Ref",
        control_before="Labour (Minor)",
    )
    response = client.get(f"{directory_page.url}kirklees-council/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Kirklees Council</h1>" in html
    assert "Yorkshire and the Humber" in html
    assert "Pays the Real Living Wage" in html
    assert "Councillor: Cllr Example" in html
    assert "No Party Maj (Ref)" in html
    assert "Labour (Minor)" in html
    assert "<title>Kirklees Council |" in html
    # Breadcrumbs lead back through the directory.
    assert f'<a href="{directory_page.url}">Our members</a>' in html
    assert '<li aria-current="page">Kirklees Council</li>' in html
    assert 'rel="canonical" href="http://testserver/membership/members/kirklees-council/"' in html


def test_profile_without_commitments_or_case_studies_says_nothing_of_them(
    client, directory_page, members
):
    html = client.get(f"{directory_page.url}cardiff-council/").content.decode()
    assert "Cardiff Council" in html
    assert 'id="commitments-heading"' not in html
    assert 'id="case-studies-heading"' not in html
    for empty in ("no commitments", "no case studies", "none recorded", "none yet"):
        assert empty not in html.lower(), empty


def test_profile_of_a_member_with_no_election_says_so(client, directory_page, members):
    ElectionResult.objects.create(member=members["glasgow"], outcome="N/A", next_election="May-27")
    html = client.get(f"{directory_page.url}glasgow-city-council/").content.decode()
    assert "No election in 2026" in html
    assert "<dt>Next election</dt><dd>May 2027</dd>" in html


@pytest.mark.parametrize("slug", ["no-such-council", "an-affiliate-body", "a-supporter-org"])
def test_unknown_or_unlisted_profiles_are_404(client, directory_page, members, slug):
    assert client.get(f"{directory_page.url}{slug}/").status_code == 404


def test_former_member_profile_stays_with_a_notice(client, directory_page, members):
    html = client.get(f"{directory_page.url}formerly-borough-council/").content.decode()
    assert "is no longer a member of the network" in html


def test_profile_query_count_is_bounded(
    client, directory_page, members, django_assert_max_num_queries
):
    members["kirklees"].commitments.set(Commitment.objects.all())
    members["kirklees"].save()
    with django_assert_max_num_queries(30):
        assert client.get(f"{directory_page.url}kirklees-council/").status_code == 200


def test_unpublished_directory_is_not_served(client, directory_page, members):
    directory_page.unpublish()
    assert client.get("/membership/members/").status_code == 404
    assert client.get("/membership/members/kirklees-council/").status_code == 404


def test_member_url_helper(directory_page, members):
    page = MemberDirectoryPage.objects.get()
    assert page.member_url(members["kirklees"]) == "/membership/members/kirklees-council/"


def test_sitemap_lists_listed_member_profiles(client, directory_page, members):
    xml = sitemap_documents(client)  # the index's documents (tests/seo/test_sitemaps.py)
    assert "<loc>http://testserver/membership/members/kirklees-council/</loc>" in xml
    assert "an-affiliate-body" not in xml and "formerly-borough-council" not in xml
