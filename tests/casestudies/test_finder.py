"""The case-study finder: order (?sort=) and year range (?from=&to=) with the search, facets
and their counts; bad values; shareable addresses; the feeds of what it shows."""

from __future__ import annotations

import html
import json
import re

import feedparser
import pytest

from demo.casestudies import generate_case_studies
from tests.casestudies.test_index import QUERY_BOUND, options, result_count, titles

# The library fixture's six case studies and their years:
# Community solar roofs 2022, Young voices in Kirklees 2022, Co-operative homes 2024,
# Community land trust 2024, Youth retention research 2026, Warm homes and heat networks 2026.
BY_TITLE = [
    "Co-operative homes",
    "Community land trust",
    "Community solar roofs",
    "Warm homes and heat networks",
    "Young voices in Kirklees",
    "Youth retention research",
]


def years(response, library) -> list[int]:
    by_title = {page.title: page.year for page in library.values()}
    return [by_title[title] for title in titles(response)]


def text(response) -> str:
    return html.unescape(response.content.decode())


# Order ----------------------------------------------------------------------------------------


def test_the_default_order_is_newest_year_first_and_oldest_reverses_it(client, library):
    newest = years(client.get("/case-studies/"), library)
    assert newest == sorted(newest, reverse=True)
    assert years(client.get("/case-studies/?sort=oldest"), library) == sorted(newest)


def test_sort_by_title_is_alphabetical(client, library):
    assert titles(client.get("/case-studies/?sort=title")) == BY_TITLE


def test_sort_newest_is_the_plain_library(client, library):
    response = client.get("/case-studies/?sort=newest")
    assert response.status_code == 200
    assert titles(response) == titles(client.get("/case-studies/"))
    assert '<link rel="canonical" href="http://testserver/case-studies/">' in text(response)


def test_an_order_combines_with_filters_and_the_search(client, library):
    response = client.get("/case-studies/?theme=housing&sort=title")
    assert titles(response) == [
        "Co-operative homes",
        "Community land trust",
        "Warm homes and heat networks",
    ]
    # Counts are the same whatever the order.
    assert options(response, "nation") == options(
        client.get("/case-studies/?theme=housing"), "nation"
    )
    # With a search, an order the visitor chose wins over "titles that match first".
    searched = client.get("/case-studies/?q=community&sort=oldest")
    assert years(searched, library) == sorted(years(searched, library))
    assert result_count(searched) == 2


def test_an_order_is_kept_by_pagination_and_by_removing_a_filter_but_not_by_the_feed(
    client, index, councils, themes, principles
):
    generate_case_studies(index, count=30)
    page = text(client.get("/case-studies/?nation=england&sort=title"))
    assert "?nation=england&sort=title&page=2" in page
    # Removing the nation keeps the order; the chip for the order takes it away.
    assert 'href="/case-studies/?sort=title"' in page
    assert 'href="/case-studies/?nation=england"' in page
    # The feeds are newest added first: their links leave the order out.
    assert 'href="/case-studies/feed/?nation=england"' in page
    assert "feed/?nation=england&sort" not in page
    # The canonical address is the unsorted one.
    assert '<link rel="canonical" href="http://testserver/case-studies/?nation=england">' in page


# Year range -----------------------------------------------------------------------------------


def test_a_year_range_keeps_the_years_it_covers(client, library):
    assert sorted(years(client.get("/case-studies/?from=2024"), library)) == [
        2024,
        2024,
        2026,
        2026,
    ]
    assert sorted(years(client.get("/case-studies/?to=2024"), library)) == [2022, 2022, 2024, 2024]
    assert years(client.get("/case-studies/?from=2024&to=2024"), library) == [2024, 2024]
    response = client.get("/case-studies/?from=2023&to=2025")
    assert result_count(response) == 2
    heading = re.search(r'id="results-heading"[^>]*>(.*?)</h2>', text(response), re.S).group(1)
    assert re.sub(r"<[^>]+>", "", heading) == "2 case studies for 2023 to 2025"


def test_a_range_combines_with_facets_and_their_counts(client, library):
    response = client.get("/case-studies/?from=2024&theme=housing")
    assert sorted(titles(response)) == [
        "Co-operative homes",
        "Community land trust",
        "Warm homes and heat networks",
    ]
    # Facet counts are within the range: 2022's case studies count nowhere.
    assert options(response, "year") == {"2026": "2026 (1)", "2024": "2024 (2)"}
    assert options(response, "theme")["young-people"] == "Young people (1)"
    assert options(response, "council")["kirklees-council"] == "Kirklees Council (1)"
    # And the range is kept in each chip that removes another filter.
    assert 'href="/case-studies/?from=2024"' in text(response)
    assert 'href="/case-studies/?theme=housing"' in text(response)


def test_the_range_offers_the_years_the_library_has(client, library):
    response = client.get("/case-studies/")
    assert options(response, "from") == {"2026": "2026", "2024": "2024", "2022": "2022"}
    assert options(response, "to") == {"2026": "2026", "2024": "2024", "2022": "2022"}
    # A valid year with no case study is still applied (and kept selected).
    chosen = client.get("/case-studies/?from=2025")
    assert chosen.status_code == 200
    assert '<option value="2025" selected>2025</option>' in chosen.content.decode()
    assert titles(chosen) and set(years(chosen, library)) == {2026}


def test_a_start_after_the_end_is_turned_round_and_explained(client, library):
    response = client.get("/case-studies/?from=2026&to=2024")
    assert response.status_code == 200
    page = text(response)
    assert (
        "The start year 2026 is after the end year 2024, so this shows case studies from 2024 "
        "to 2026."
    ) in page
    assert sorted(years(response, library)) == [2024, 2024, 2026, 2026]
    assert '<option value="2024" selected>2024</option>' in response.content.decode()
    assert "feed/?from=2024&to=2026" in page


def test_a_range_and_a_year_together_keep_what_both_allow(client, library):
    response = client.get("/case-studies/?from=2024&year=2022")
    assert result_count(response) == 0
    assert "Try removing a filter" in text(response)


# Bad values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "named", "then"),
    [
        ("from=abc", "start year “abc”", "so all years are shown"),
        ("to=1999", "end year “1999”", "so all years are shown"),
        ("from=20240", "start year “20240”", "so all years are shown"),
        ("to=%3Cscript%3E", "end year “<script>”", "so all years are shown"),
        ("sort=random", "order “random”", "so the newest are shown first"),
        ("sort=title%00", "order “title”", "so the newest are shown first"),
    ],
)
def test_unknown_orders_and_years_are_a_404_that_says_so(client, library, query, named, then):
    response = client.get(f"/case-studies/?{query}")
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()
    assert f"We don't recognise the {named}, {then}." in text(response)
    assert result_count(response) == 6


def test_a_bad_value_leaves_the_other_choices_applied(client, library):
    response = client.get("/case-studies/?sort=sideways&from=2024&theme=housing")
    assert response.status_code == 404
    assert result_count(response) == 3
    assert (
        '<a href="/case-studies/?theme=housing&amp;from=2024">Remove the unrecognised filter'
        in (response.content.decode())
    )


@pytest.mark.parametrize("query", ["page=99999&sort=title", "page=-3&from=2022", "sort=&from=&to="])
def test_huge_page_numbers_and_empty_values_never_break_the_finder(client, library, query):
    response = client.get(f"/case-studies/?{query}")
    assert response.status_code == 200
    assert result_count(response) == 6


# The form ---------------------------------------------------------------------------------------


def test_the_order_and_range_controls_are_labelled(client, library):
    page = client.get("/case-studies/").content.decode()
    for name, label in (("from", "From year"), ("to", "To year"), ("sort", "Sort by")):
        assert f'<label for="id_{name}">{label}</label>' in page
        assert f'<select name="{name}" id="id_{name}">' in page
    assert '<option value="">Newest first</option>' in page
    assert "<legend>Search and filter case studies</legend>" in page
    # The results heading, which the finder's script focuses after each update, says the count.
    assert re.search(r'<h2 id="results-heading"[^>]*tabindex="-1">6 case studies', page)


def test_a_sorted_range_is_noindexed_and_titled_by_what_it_shows(client, library):
    page = text(client.get("/case-studies/?from=2022&to=2024&sort=title"))
    assert '<meta name="robots" content="noindex, follow">' in page
    assert "<title>Case studies: 2022 to 2024 |" in re.sub(r"\s+", " ", page)


# Feeds of what the finder shows -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["", "atom/", "json/"])
def test_every_feed_honours_the_range_and_ignores_the_order(client, library, kind):
    url = f"/case-studies/feed/{kind}?from=2024&theme=housing&sort=title"
    response = client.get(url)
    assert response.status_code == 200
    if kind == "json/":
        document = json.loads(response.content)
        found = [item["title"] for item in document["items"]]
        title, link = document["title"], document["home_page_url"]
    else:
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        found = [entry.title for entry in feed.entries]
        title, link = feed.feed.title, feed.feed.link
    assert sorted(found) == [
        "Co-operative homes",
        "Community land trust",
        "Warm homes and heat networks",
    ]
    assert title == "CCIN case studies: Housing, from 2024"
    assert link == "http://testserver/case-studies/?theme=housing&from=2024"


@pytest.mark.parametrize("kind", ["", "atom/", "json/"])
def test_every_feed_404s_on_a_bad_range_or_order(client, library, kind):
    response = client.get(f"/case-studies/feed/{kind}?to=nineteen")
    assert response.status_code == 404
    assert response.content.decode() == "We don't recognise the end year “nineteen”.\n"
    assert client.get(f"/case-studies/feed/{kind}?sort=random").status_code == 404


def _bounded(client, django_assert_max_num_queries) -> None:
    urls = [
        "/case-studies/?sort=title",
        "/case-studies/?from=2010&to=2020&theme=housing&sort=oldest",
        "/case-studies/?q=case&from=2012&nation=england&sort=title&page=2",
        "/case-studies/feed/json/?from=2010&theme=housing",
        "/case-studies/feed/atom/?to=2020",
    ]
    for url in urls:
        client.get(url)  # warm: site root paths and settings cached as in production
        with django_assert_max_num_queries(QUERY_BOUND):
            assert client.get(url).status_code == 200


def test_the_finder_stays_within_the_librarys_query_budget_at_300_case_studies(
    client, index, themes, principles, councils, django_assert_max_num_queries
):
    generate_case_studies(index, count=300)
    _bounded(client, django_assert_max_num_queries)
