"""The case study library: search, facets, pagination, bad input, drafts, query bounds."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from casestudies.facets import PER_PAGE
from casestudies.models import CaseStudyPage, Theme
from demo.casestudies import generate_case_studies
from membership.models import MemberCouncil, Tier
from search.ranking import matched_ids


def titles(response) -> list[str]:
    text = response.content.decode()
    return [
        html.unescape(t) for t in re.findall(r'class="card__title"><a href="[^"]+">([^<]+)<', text)
    ]


def options(response, name: str) -> dict[str, str]:
    """value → option label of one facet's select."""
    text = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S).group(1)
    return {
        value: html.unescape(label)
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    }


def result_count(response) -> int:
    match = re.search(r'id="results-heading"[^>]*>(\d+) case stud', response.content.decode())
    return int(match.group(1))


def test_lists_live_case_studies_newest_year_first(client, library):
    response = client.get("/case-studies/")
    assert response.status_code == 200
    found = titles(response)
    assert result_count(response) == 6
    assert found[:2] == sorted(found[:2]) or {found[0], found[1]} == {
        "Youth retention research",
        "Warm homes and heat networks",
    }
    assert found[-1] in {"Community solar roofs", "Young voices in Kirklees"}
    assert "Kirklees Council · 2022" in response.content.decode()


def test_drafts_private_and_other_sections_are_excluded(
    client, library, make_case_study, home_page, councils
):
    make_case_study("Unpublished draft", lead=councils["camden-council"], publish=False)
    private = make_case_study("Members only", lead=councils["camden-council"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get("/case-studies/")
    assert "Unpublished draft" not in titles(response)
    assert "Members only" not in titles(response)
    assert result_count(response) == 6


def test_facet_counts_follow_the_other_active_filters(client, library):
    response = client.get("/case-studies/?theme=housing")
    assert result_count(response) == 3
    # The theme facet ignores its own filter, so other themes stay visible with counts.
    assert options(response, "theme") == {
        "housing": "Housing (3)",
        "net-zero-and-energy": "Net zero and energy (3)",
        "young-people": "Young people (2)",
    }
    # Other facets count within housing: Camden leads two, Kirklees joins one.
    assert options(response, "council") == {
        "camden-council": "Camden Council (2)",
        "inverclyde-council": "Inverclyde Council (1)",
        "kirklees-council": "Kirklees Council (1)",
    }
    assert options(response, "nation") == {"england": "England (2)", "scotland": "Scotland (1)"}
    assert options(response, "year") == {"2026": "2026 (1)", "2024": "2024 (2)"}
    assert options(response, "principle") == {
        "co-production": "Co-production (2)",
        "innovation": "Innovation (2)",
    }


def test_combined_filters(client, library):
    response = client.get("/case-studies/?theme=housing&nation=england&principle=innovation")
    assert sorted(titles(response)) == ["Co-operative homes", "Community land trust"]
    assert options(response, "nation") == {
        "england": "England (2)",
        "scotland": "Scotland (0)",
    } or (options(response, "nation")["england"] == "England (2)")
    assert options(response, "year") == {"2024": "2024 (2)"}
    assert options(response, "theme")["net-zero-and-energy"] == "Net zero and energy (1)"


def test_council_filter_includes_participating_councils(client, library):
    response = client.get("/case-studies/?council=kirklees-council")
    assert sorted(titles(response)) == [
        "Co-operative homes",
        "Community solar roofs",
        "Young voices in Kirklees",
    ]
    assert options(response, "council")["kirklees-council"] == "Kirklees Council (3)"


@pytest.mark.parametrize(
    "tier, active", [(Tier.AFFILIATE, True), (Tier.SUPPORTER, True), (Tier.FULL, False)]
)
def test_the_council_filter_names_only_publicly_listed_members(client, library, tier, active):
    """Affiliates can be individuals, and supporters and former members are not listed: a
    guessed slug must not print their names."""
    homes = library["homes"]
    hidden = MemberCouncil.objects.create(
        name="A Private Person", slug="a-private-person", tier=tier, active=active
    )
    homes.participating_councils.add(hidden)
    homes.save_revision().publish()
    response = client.get("/case-studies/?council=a-private-person")
    assert response.status_code == 404  # an unknown value, by the listings' policy
    page = html.unescape(response.content.decode())
    assert "A Private Person" not in page
    assert "a-private-person" not in options(client.get("/case-studies/"), "council")


def test_lead_council_also_listed_as_participant_counts_once(client, library):
    homes = library["homes"]
    homes.participating_councils.add(homes.lead_council)
    homes.save_revision().publish()
    response = client.get("/case-studies/")
    assert options(response, "council")["camden-council"] == "Camden Council (2)"


def test_search_combines_with_filters(client, library):
    response = client.get("/case-studies/?q=homes")
    assert sorted(titles(response)) == ["Co-operative homes", "Warm homes and heat networks"]
    response = client.get("/case-studies/?q=homes&nation=scotland")
    assert titles(response) == ["Warm homes and heat networks"]
    assert options(response, "nation") == {"england": "England (1)", "scotland": "Scotland (1)"}
    assert 'name="q" value="homes"' in response.content.decode()


def test_search_matches_summary_text(client, library):
    assert titles(client.get("/case-studies/?q=school+roofs")) == ["Community solar roofs"]


def test_active_filters_are_shown_and_removable(client, library):
    response = client.get("/case-studies/?theme=housing&nation=england")
    text = response.content.decode()
    assert "Theme: Housing" in text and "Nation: England" in text
    # Removes the nation filter, keeps the theme.
    assert 'href="/case-studies/?theme=housing" class="active-filters__chip"' in text
    assert '<span class="visually-hidden">Remove filter: </span>Nation: England' in text


def test_no_results_suggests_removing_a_filter(client, library):
    response = client.get("/case-studies/?theme=young-people&year=2024")
    text = response.content.decode()
    assert result_count(response) == 0
    assert "No case studies match" in text
    assert "Try removing a filter" in text
    assert 'href="/case-studies/?year=2024"' in text


def test_pagination_keeps_filters_and_clamps_page_numbers(
    client, index, councils, themes, principles
):
    generate_case_studies(index, count=30)
    response = client.get("/case-studies/?year=2012")
    total = result_count(response)
    assert total == 2
    response = client.get("/case-studies/")
    assert len(titles(response)) == PER_PAGE
    text = client.get("/case-studies/?nation=england").content.decode()
    assert "?nation=england&amp;page=2" in text
    last = client.get("/case-studies/?page=99999")
    assert last.status_code == 200
    assert "Page 3 of 3" in last.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "page=99999",
        "page=-1",
        "page=abc",
        "q=%22%28%29*%3A",
        "q=" + "x" * 5000,
        "q=AND+OR+NOT",
        "theme=nope&theme=housing",  # a repeated filter counts by its last value
        "utm_source=%3Cscript%3Ealert(1)%3C/script%3E",
    ],
)
def test_hostile_parameters_never_break_the_page(client, library, query):
    response = client.get(f"/case-studies/?{query}")
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("theme=nope", "theme “nope”"),
        ("year=abc", "year “abc”"),
        ("year=1999", "year “1999”"),
        ("year=99999999999999999999", "year “99999999999999999999”"),
        ("council=%3Cscript%3Ealert(1)%3C/script%3E", "council “<script>alert(1)</script>”"),
        ("principle=%00", "principle “”"),
        ("nation=atlantis", "nation “atlantis”"),
        ("theme=housing&theme=nope", "theme “nope”"),
    ],
)
def test_unknown_filter_values_are_a_404_that_says_so(client, library, query, named):
    response = client.get(f"/case-studies/?{query}")
    assert response.status_code == 404
    raw = response.content.decode()
    assert "<script>alert" not in raw
    text = html.unescape(raw)
    assert f"We don't recognise the {named}, so all " in text
    assert result_count(response) == 6


def test_unknown_filter_value_is_explained_and_the_others_applied(client, library):
    response = client.get("/case-studies/?theme=nope&nation=scotland")
    assert response.status_code == 404
    text = html.unescape(response.content.decode())
    assert "We don't recognise the theme “nope”, so all themes are shown." in text
    assert '<a href="/case-studies/?nation=scotland">Remove the unrecognised filter</a>' in text
    assert result_count(response) == 2


def test_more_than_one_facet_is_noindex(client, library):
    single = client.get("/case-studies/?theme=housing").content.decode()
    double = client.get("/case-studies/?theme=housing&nation=scotland").content.decode()
    assert 'name="robots"' not in single
    assert '<link rel="canonical" href="http://testserver/case-studies/?theme=housing">' in single
    assert '<meta name="robots" content="noindex, follow">' in double
    assert '<link rel="canonical" href="http://testserver/case-studies/">' in double


def test_filtered_index_advertises_its_own_feed(client, library):
    text = client.get("/case-studies/?theme=housing&nation=scotland").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Case studies: Housing, Scotland" '
        'href="/case-studies/feed/?theme=housing&amp;nation=scotland">'
    ) in text


def test_every_control_is_labelled(client, library):
    text = client.get("/case-studies/").content.decode()
    for name in ("q", "theme", "principle", "council", "nation", "year"):
        assert f'<label for="id_{name}">' in text
        assert f'id="id_{name}"' in text
    assert 'method="get"' in text


def _bounded(client, django_assert_max_num_queries, bound: int) -> None:
    urls = [
        "/case-studies/",
        "/case-studies/?theme=housing",
        "/case-studies/?theme=housing&principle=innovation&council=camden-council&nation=england&year=2024",
        "/case-studies/?q=case&theme=housing&nation=england&page=2",
        "/case-studies/feed/?theme=housing&nation=england",
    ]
    for url in urls:
        client.get(url)  # warm: site root paths and settings cached as in production
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200


QUERY_BOUND = 24


def test_query_count_is_bounded_at_10_case_studies(
    client, index, themes, principles, councils, django_assert_max_num_queries
):
    generate_case_studies(index, count=10)
    _bounded(client, django_assert_max_num_queries, QUERY_BOUND)


def test_query_count_is_bounded_at_300_case_studies(
    client, index, themes, principles, councils, django_assert_max_num_queries
):
    generate_case_studies(index, count=300)
    _bounded(client, django_assert_max_num_queries, QUERY_BOUND)


def test_search_puts_title_matches_first_with_and_without_filters(
    client, library, make_case_study, councils, themes
):
    make_case_study(
        "Warm streets",
        lead=councils["kirklees-council"],
        themes=[themes["net-zero-and-energy"]],
        summary="Street by street retrofit, with solar panels on every roof.",
        year=2026,
    )
    plain = titles(client.get("/case-studies/?q=solar"))
    filtered = titles(client.get("/case-studies/?q=solar&nation=england&theme=net-zero-and-energy"))
    # The older case study named for the search comes before the newer one that only
    # mentions it in passing.
    assert plain == filtered == ["Community solar roofs", "Warm streets"]


def test_removing_the_last_filter_links_to_the_bare_library(client, library):
    text = client.get("/case-studies/?theme=housing").content.decode()
    assert (
        '<a href="/case-studies/" class="active-filters__chip">'
        '<span class="visually-hidden">Remove filter: </span>Theme: Housing'
    ) in text


def test_a_search_of_symbols_only_says_so(client, library):
    text = html.unescape(client.get("/case-studies/?q=%2A%2A%2A").content.decode())
    assert "symbols on their own match nothing" in text
    assert "6 case studies" in text


def test_nation_and_year_counts_each_follow_the_other(client, library):
    response = client.get("/case-studies/?year=2026&nation=england")
    assert result_count(response) == 0
    assert options(response, "nation") == {"england": "England (0)", "scotland": "Scotland (2)"}
    assert options(response, "year") == {
        "2026": "2026 (0)",
        "2024": "2024 (2)",
        "2022": "2022 (2)",
    }


# The library and the filter choices are remembered until content changes ---------------


def test_remembered_library_follows_publishing_unpublishing_and_deleting(
    client, library, make_case_study, councils, themes
):
    assert result_count(client.get("/case-studies/?theme=housing")) == 3
    new = make_case_study(
        "Housing co-operative in Kirklees",
        lead=councils["kirklees-council"],
        themes=[themes["housing"]],
        year=2025,
    )
    response = client.get("/case-studies/?theme=housing")
    assert result_count(response) == 4
    assert "Housing co-operative in Kirklees" in titles(response)
    assert options(response, "year")["2025"] == "2025 (1)"
    assert options(response, "council")["kirklees-council"] == "Kirklees Council (2)"
    new.unpublish()
    response = client.get("/case-studies/?theme=housing")
    assert result_count(response) == 3
    assert "2025" not in options(response, "year")
    library["land"].delete()
    response = client.get("/case-studies/?theme=housing")
    assert result_count(response) == 2
    assert "Community land trust" not in titles(response)


def test_remembered_library_follows_a_republished_case_studys_links(
    client, library, themes, councils, principles
):
    assert options(client.get("/case-studies/"), "theme")["housing"] == "Housing (3)"
    homes = library["homes"]
    homes.themes = [themes["young-people"]]
    homes.participating_councils = [councils["inverclyde-council"]]
    homes.principles = [principles["innovation"]]
    homes.year = 2026
    homes.save_revision().publish()
    response = client.get("/case-studies/?theme=young-people")
    assert "Co-operative homes" in titles(response)
    assert options(response, "theme")["housing"] == "Housing (2)"
    assert options(response, "council")["inverclyde-council"] == "Inverclyde Council (2)"
    assert options(response, "year") == {"2026": "2026 (2)", "2022": "2022 (1)"}
    response = client.get("/case-studies/?council=kirklees-council")
    assert "Co-operative homes" not in titles(response)


def test_remembered_choices_follow_snippet_edits(client, library, themes, councils):
    client.get("/case-studies/?theme=culture")
    theme = themes["housing"]
    theme.name = "Homes"
    theme.save()
    council = councils["camden-council"]
    council.name = "London Borough of Camden"
    council.save()
    Theme.objects.create(name="Culture", slug="culture")
    response = client.get("/case-studies/?theme=culture")
    text = html.unescape(response.content.decode())
    # A theme created after the choices were remembered is a filter, not "unknown".
    assert response.status_code == 200
    assert "We don't recognise" not in text
    assert result_count(response) == 0
    assert options(response, "theme")["culture"] == "Culture (0)"
    assert '<option value="culture" selected>Culture (0)</option>' in text
    response = client.get("/case-studies/")
    assert options(response, "theme")["housing"] == "Homes (3)"
    assert options(response, "council")["camden-council"] == "London Borough of Camden (2)"


def test_remembered_library_follows_view_restrictions(client, library):
    assert result_count(client.get("/case-studies/")) == 6
    PageViewRestriction.objects.create(page=library["homes"], restriction_type="login")
    response = client.get("/case-studies/")
    assert result_count(response) == 5
    assert "Co-operative homes" not in titles(response)


def test_selected_option_is_marked_and_labels_escaped(client, library, councils):
    council = councils["camden-council"]
    council.name = 'Camden & "Friends" <Council>'
    council.save()
    text = client.get("/case-studies/?council=camden-council").content.decode()
    assert (
        '<option value="camden-council" selected>'
        "Camden &amp; &quot;Friends&quot; &lt;Council&gt; (2)</option>"
    ) in text
    assert '<option value="kirklees-council">Kirklees Council (3)</option>' in text


@pytest.mark.parametrize(
    "words", ["homes", "school roofs", "community energy", "heat networks homes", "zzzz"]
)
def test_the_search_shortcut_matches_what_the_backend_matches(index, library, words):
    results = (
        CaseStudyPage.objects.child_of(index)
        .live()
        .search(words, operator="and", order_by_relevance=False)
    )
    fast = matched_ids(results)
    expected = set(results.get_queryset().values_list("pk", flat=True))
    if connection.vendor != "sqlite":
        # PostgreSQL's backend already matches in one query: its results are used as they are.
        assert fast is None
        return
    live = set(CaseStudyPage.objects.child_of(index).live().values_list("pk", flat=True))
    assert fast & live == expected


def test_cards_cost_no_query_each(client, library, make_case_study, councils):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_case_study("Partners only", participants=[councils["camden-council"]], year=2023)
    queries("/case-studies/")  # the first request also reads the site's settings
    assert queries("/case-studies/") == queries("/case-studies/?theme=young-people&year=2026")
    text = client.get("/case-studies/").content.decode()
    assert '<p class="card__meta">A community group · 2023</p>' in text
    assert '<p class="card__meta">Kirklees Council · 2022</p>' in text
    assert '<p class="card__summary">About Partners only.</p>' in text


def test_a_search_matching_a_draft_or_private_case_study_shows_only_live_ones(
    client, library, make_case_study, councils
):
    """The SQLite shortcut reads the whole search index, drafts included: a search whose
    words are in a draft still answers, and lists only what is public."""
    make_case_study("Zebra crossings draft", lead=councils["camden-council"], publish=False)
    private = make_case_study("Zebra crossings members", lead=councils["camden-council"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_case_study("Zebra crossings live", lead=councils["camden-council"])

    response = client.get("/case-studies/?q=zebra")

    assert response.status_code == 200
    assert titles(response) == ["Zebra crossings live"]
    assert result_count(response) == 1
