"""Several models' results read as one list, a page at a time, each model asked only as far
as a page needs (search/sources.py)."""

from __future__ import annotations

import pytest

from search.sources import SourceResults


class Part:
    """A model's search results: counts and slices, each read recorded."""

    def __init__(self, name: str, size: int):
        self.rows = [f"{name}{n}" for n in range(size)]
        self.reads: list[tuple[int, int]] = []
        self.counted = 0

    def count(self) -> int:
        self.counted += 1
        return len(self.rows)

    def __getitem__(self, window: slice) -> list[str]:
        self.reads.append((window.start or 0, window.stop))
        return self.rows[window]


@pytest.mark.parametrize(("start", "stop"), [(0, 4), (3, 7), (4, 6), (8, 13), (0, 13), (12, 20)])
def test_any_window_is_the_models_one_after_another(start, stop):
    parts = [Part("a", 4), Part("b", 0), Part("c", 3), Part("d", 6)]
    everything = [row for part in parts for row in part.rows]
    assert SourceResults(parts)[start:stop] == everything[start:stop]


def test_a_window_reads_only_the_models_it_covers():
    first, second, third = Part("a", 10), Part("b", 10), Part("c", 10)
    results = SourceResults([first, second, third])
    assert results[12:15] == ["b2", "b3", "b4"]
    assert first.reads == [] and third.reads == []
    assert results.count() == 30
    assert (first.counted, second.counted, third.counted) == (1, 1, 1)  # counted once each


def test_first_counts_a_short_read_without_asking_again():
    small, other = Part("a", 2), Part("b", 5)
    results = SourceResults([small, other])
    assert results.first(3) == ["a0", "a1", "b0"]
    assert small.counted == 0  # two asked-for rows came back short: that is its count
    assert results.count() == 7
