"""A bulk job (the WordPress import) moves the content version twice, not once per row, and
still never lets anything cached or remembered from before or during it be used after.

Without `one_bump` a 400-item import moved the version thousands of times, a query each.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction

from caching.versions import one_bump, read_version, remember
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def add_pages(home, count: int) -> None:
    for number in range(count):
        home.add_child(instance=StandardPage(title=f"Governance paper {number}", live=True))
        home.refresh_from_db()


def test_changes_outside_a_block_each_move_the_version(home_page):
    before = read_version()
    add_pages(home_page, 3)
    assert read_version() >= before + 3


def test_changes_in_a_block_move_it_twice(home_page):
    before = read_version()
    with one_bump():
        add_pages(home_page, 5)
        assert read_version() == before + 1  # the first change, at once
    assert read_version() == before + 2


def test_a_block_that_changes_nothing_moves_nothing(home_page):
    before = read_version()
    with one_bump():
        StandardPage.objects.count()
    assert read_version() == before


def test_what_was_remembered_before_or_during_the_block_is_not_used_after(home_page):
    compute = mock.Mock(side_effect=lambda: StandardPage.objects.count())
    remember("pages", compute)
    with one_bump():
        add_pages(home_page, 1)
        during = remember("pages", compute)
        add_pages(home_page, 2)
    after = remember("pages", compute)
    assert compute.call_count == 3
    assert after == during + 2


def test_a_failed_block_in_a_transaction_takes_its_move_back(home_page):
    before = read_version()
    with pytest.raises(RuntimeError), transaction.atomic(), one_bump():
        add_pages(home_page, 2)
        raise RuntimeError("the import failed")
    assert read_version() == before


def test_nested_blocks_fold_into_the_outer_one(home_page):
    before = read_version()
    with one_bump():
        add_pages(home_page, 1)
        with one_bump():
            add_pages(home_page, 2)
        assert read_version() == before + 1
    assert read_version() == before + 2
