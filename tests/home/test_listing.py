"""The listing toolkit (home/listing.py), and the one policy every filtered listing follows."""

from __future__ import annotations

import html

import pytest
from django.db.models import Q
from django.http import QueryDict

from home.listing import Choice, Filter, FilterSet, SearchBox, paginate
from membership.models import ElectionOutcomesPage
from tests.api.conftest import image, published_site  # noqa: F401  (fixtures)

COLOUR = Filter(
    "colour",
    "Colour",
    "colours",
    where=lambda colour: Q(colour=colour),
    picks=lambda rows, colour: {pk for pk, value in rows.items() if value == colour},
)
SIZE = Filter("size", "Size", "sizes", noun="shirt size", where=lambda size: Q(size=size))
CHOICES = {
    "colour": [Choice("red", "Red"), Choice("blue", "Blue")],
    "size": [Choice("s", "Small", target=1), Choice("l", "Large", target=3)],
}


def filter_set(query: str, **kwargs) -> FilterSet:
    return FilterSet(QueryDict(query), (COLOUR, SIZE), CHOICES, base_url="/shirts/", **kwargs)


# The toolkit -------------------------------------------------------------------------------


def test_empty_values_mean_all_and_other_parameters_are_not_filters():
    filters = filter_set("colour=&size=%20&utm_source=x&page=2")
    assert filters.applied == {} and filters.unknown == []
    assert filters.query_string == "" and filters.active == []


def test_valid_values_apply_in_declaration_order_with_chips_that_remove_each():
    filters = filter_set("size=l&colour=+blue+")
    assert [b.name for b in filters.applied.values()] == ["colour", "size"]
    assert filters["size"].target == 3  # what the SQL and the snapshot are given
    assert filters.query_string == "colour=blue&size=l"
    assert [(chip.label, chip.remove_url) for chip in filters.active] == [
        ("Colour: Blue", "/shirts/?size=l"),
        ("Size: Large", "/shirts/?colour=blue"),
    ]
    assert filters.labels == ["Blue", "Large"]


def test_a_repeated_parameter_counts_by_its_last_value():
    assert filter_set("colour=green&colour=red")["colour"].value == "red"
    assert filter_set("colour=red&colour=green").unknown[0].value == "green"


def test_unknown_and_over_long_values_are_reported_and_the_rest_still_apply():
    filters = filter_set("colour=red&size=" + "x" * 101)
    assert filters["colour"].value == "red" and filters["size"].value == ""
    (unknown,) = filters.unknown
    assert unknown.message == (
        "We don't recognise the shirt size “" + "x" * 40 + "…”, so all sizes are shown."
    )
    assert filters.url() == "/shirts/?colour=red"
    filters = filter_set("colour=%00gr%0Aeen")
    assert filters.unknown[0].reason == "We don't recognise the colour “gr een”."


class Conditions(list):
    """Stands in for a queryset: records what ``filter`` was given."""

    def filter(self, condition):
        return Conditions([*self, condition])


def test_sql_and_snapshot_narrowing_come_from_the_declaration():
    filters = filter_set("colour=red&size=s")
    assert filters.narrow(Conditions()) == [Q(colour="red"), Q(size=1)]
    assert filters.narrow(Conditions(), only=["size"]) == [Q(size=1)]
    assert filters.narrow(Conditions(), ignore="size") == [Q(colour="red")]
    rows = {1: "red", 2: "blue", 3: "red"}
    assert filters.pick(rows, rows, only=["colour"]) == {1, 3}
    assert filters.pick(rows, [2, 3], only=["colour"]) == {3}


def test_counts_show_in_option_labels_and_empty_ones_can_hide():
    filters = filter_set("colour=blue")
    filters.count("colour", {"red": 2}, hide_empty=True)
    assert [(o.value, o.count) for o in filters["colour"].options] == [("red", 2), ("blue", 0)]
    assert str(filters["colour"].options_html) == (
        '<option value="red">Red (2)</option>\n<option value="blue" selected>Blue (0)</option>'
    )
    filters.count("size", {1: 4})
    assert [(o.value, o.count) for o in filters["size"].options] == [("s", 4), ("l", 0)]


def test_a_search_box_is_kept_in_links_and_removable_like_a_filter():
    filters = filter_set("colour=red", search=SearchBox("warm & dry"), fragment="results")
    assert filters.query_string == "q=warm+%26+dry&colour=red"
    assert [(chip.label, chip.remove_url) for chip in filters.active] == [
        ("Search: warm & dry", "/shirts/?colour=red#results"),
        ("Colour: Red", "/shirts/?q=warm+%26+dry#results"),
    ]
    assert filters.action == filters.clear_url == "/shirts/#results"


@pytest.mark.parametrize(
    ("raw", "number"), [(None, 1), ("2", 2), ("999", 3), ("-3", 1), ("abc", 1), ("1e9999", 1)]
)
def test_pages_past_the_end_clamp_and_junk_is_the_first(raw, number):
    assert paginate(list(range(25)), 10, raw).number == number


# Every listing follows the same policy ------------------------------------------------------


@pytest.fixture
def site_with_elections(published_site):  # noqa: F811
    page = ElectionOutcomesPage(title="Elections 2026", slug="elections-2026")
    published_site.membership.add_child(instance=page)
    page.save_revision().publish()
    return published_site


# (listing, unknown value and what the notice calls it, a valid filter and its chip)
LISTINGS = [
    ("/news/", "year", "year", "years", "kind=press-release", "Kind: Press release"),
    (
        "/membership/members/",
        "tier",
        "membership type",
        "membership types",
        "nation=wales",
        "Nation: Wales",
    ),
    ("/case-studies/", "theme", "theme", "themes", "year=2024", "Year: 2024"),
    ("/publications/", "theme", "theme", "themes", "year=2022", "Year: 2022"),
    (
        "/membership/elections-2026/",
        "outcome",
        "election result",
        "results",
        "nation=wales",
        "Nation: Wales",
    ),
    ("/policy-labs/", "status", "status", "projects", "", ""),
]


@pytest.mark.parametrize(
    ("url", "name", "noun", "plural", "valid", "chip"),
    LISTINGS,
    ids=[listing[0] for listing in LISTINGS],
)
def test_every_listing_shows_an_unknown_value_as_a_404_with_a_notice(
    client, site_with_elections, url, name, noun, plural, valid, chip
):
    response = client.get(f"{url}?{valid}&{name}=xyz")
    assert response.status_code == 404
    text = html.unescape(response.content.decode())
    assert f"We don't recognise the {noun} “xyz”, so all {plural} are shown." in text
    clean = f"{url}?{valid}" if valid else url
    fragment = "#results" if "elections" in url else ""
    assert f'<a href="{clean}{fragment}">Remove the unrecognised filter</a>' in text
    if chip:  # the other filter still applies
        assert f'<span class="visually-hidden">Remove filter: </span>{chip}' in text
    # Without the unknown value, the same address is an ordinary page.
    assert client.get(clean).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/feed/?theme=xyz",
        "/news/category/xyz/feed/",
        "/news/category/xyz/feed/atom/",
        "/news/tag/xyz/feed/",
    ],
)
def test_feeds_answer_an_unknown_value_with_a_plain_404_that_says_so(
    client, site_with_elections, url
):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("We don't recognise the ")
    assert "“xyz”" in response.content.decode()
