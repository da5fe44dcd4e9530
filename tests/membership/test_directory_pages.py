"""The member directory in pages: the same work per page however many members match."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from membership.listings import DIRECTORY_PAGE_SIZE

from .conftest import make_member
from .test_directory import listed_names

LOGO_COLUMN = '"membership_membercouncil"."logo_id"'


def add_members(count: int, batch: str = "") -> None:
    """``count`` full members in England: "Alder …" councils, then ten "Zeal …" ones."""
    for n in range(count - 10):
        make_member(f"Alder Council {batch}{n:03}")
    for n in range(10):
        make_member(f"Zeal Council {batch}{n:03}")


def test_the_directory_lists_a_page_at_a_time_with_the_total(client, directory_page, members):
    add_members(DIRECTORY_PAGE_SIZE + 10)  # 5 members already: 65 listed
    html = client.get(directory_page.url).content.decode()
    names = listed_names(html)
    assert len(names) == DIRECTORY_PAGE_SIZE
    assert names[:2] == ["Alder Council 000", "Alder Council 001"]
    assert "65 listed members: 64 full members and 1 associate member." in html
    assert f"Members 1 to {DIRECTORY_PAGE_SIZE} of 65." in html
    assert "Page 1 of 2" in html

    second = client.get(directory_page.url, {"page": 2}).content.decode()
    rest = listed_names(second)
    assert len(rest) == 15
    assert not set(rest) & set(names)
    assert "Zeal Council 009" in rest
    assert f"Members {DIRECTORY_PAGE_SIZE + 1} to 65 of 65." in second


def test_the_a_to_z_links_to_the_page_a_letter_starts_on(client, directory_page, members):
    add_members(DIRECTORY_PAGE_SIZE + 10)
    html = client.get(directory_page.url, {"nation": "england"}).content.decode()
    # A is on this page; Z (and K, Kirklees, after fifty "Alder" councils) on the next,
    # with the filters kept.
    assert '<a href="#letter-A">A</a>' in html
    assert '<a href="?nation=england&amp;page=2#letter-Z">Z</a>' in html
    second = client.get(directory_page.url, {"nation": "england", "page": 2}).content.decode()
    assert '<a href="#letter-Z">Z</a>' in second
    assert '<a href="?nation=england&amp;page=1#letter-A">A</a>' in second
    assert '<h2 id="letter-Z" class="az-group__letter">Z</h2>' in second


def test_each_page_is_its_own_canonical_address(client, directory_page, members):
    add_members(DIRECTORY_PAGE_SIZE + 10)
    first = client.get(directory_page.url).content.decode()
    assert '<link rel="canonical" href="http://testserver/membership/members/">' in first
    second = client.get(directory_page.url, {"page": 2}).content.decode()
    assert '<link rel="canonical" href="http://testserver/membership/members/?page=2">' in second
    filtered = client.get(directory_page.url, {"nation": "england", "page": 2}).content.decode()
    assert '<link rel="canonical" href="http://testserver/membership/members/">' in filtered


def test_a_page_past_the_end_shows_the_last_one(client, directory_page, members):
    add_members(DIRECTORY_PAGE_SIZE + 10)
    response = client.get(directory_page.url, {"page": 99999999999999999999})
    assert response.status_code == 200
    assert "Page 2 of 2" in response.content.decode()


def test_a_page_of_members_costs_the_same_queries_at_any_size(client, directory_page, members):
    client.get(directory_page.url)  # warm: menus and settings remembered
    queries = []
    for batch, extra in (("a", DIRECTORY_PAGE_SIZE), ("b", 3 * DIRECTORY_PAGE_SIZE)):
        add_members(extra, batch)
        client.get(directory_page.url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(directory_page.url).content.decode()
        assert len(listed_names(html)) == DIRECTORY_PAGE_SIZE
        queries.append(len(captured))
        # Members are read whole (with their logos) one page at a time; the query that
        # reads every match reads names and tiers only.
        whole = [q["sql"] for q in captured.captured_queries if LOGO_COLUMN in q["sql"]]
        assert whole and all(re.search(r"LIMIT \d+", sql) for sql in whole), whole
    assert queries[0] == queries[1]
