"""What site search finds besides pages: records (members, suppliers, election rows, documents).

Search sits below the content apps, so it cannot import their models. Each app that has
records worth finding registers a ``SearchSource`` with the ``register_search_source``
Wagtail hook (membership does in its ``wagtail_hooks.py``; documents, a Wagtail core model,
are registered by search itself). A source says which records the public may see, how to
search them with Wagtail's search backend, and how one found record reads in the results.

A source may cover several models (the elections source: results, control changes and
councillor changes); its results are the models' results one after another, in the order
the source lists them, each in the backend's relevance order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, QuerySet, Window
from wagtail import hooks
from wagtail.search.backends import get_search_backend

HOOK = "register_search_source"

# Records per type on the first page of "All" results; "See all" leads to the rest.
GROUP_SIZE = 3


@dataclass(frozen=True)
class Hit:
    """One found record as the results page shows it."""

    title: str
    url: str
    snippet: str
    type_label: str


class SearchSource:
    """A kind of record site search finds, with the rule for which ones the public may see."""

    name: ClassVar[str]  # in the address: ?type=<name>
    label: ClassVar[str]  # plural, as the type filter shows it: "Member councils"
    order: ClassVar[int] = 100  # lower comes first in the type filter and the results

    def querysets(self) -> Sequence[QuerySet]:
        """The records the public may see, one queryset per model, before searching."""
        raise NotImplementedError

    def hits(self, objects: list) -> list[Hit]:
        """The found records (of any of this source's models) as results, in their order."""
        raise NotImplementedError

    def search(self, terms: str) -> SourceResults:
        """Wagtail search of every model's public records for all of ``terms``."""
        backend = get_search_backend()
        return SourceResults(
            [backend.search(terms, queryset, operator="and") for queryset in self.querysets()]
        )


class SourceResults:
    """Several models' search results read as one sequence: what a ``Paginator`` asks for.

    ``count()`` and slices ask each model's results only as far as they are needed; a
    model whose first read came back short is counted from that read, without a query.
    """

    def __init__(self, parts: Iterable):
        self._parts = list(parts)
        self._counts: dict[int, int] = {}

    def _count(self, index: int) -> int:
        if index not in self._counts:
            self._counts[index] = self._parts[index].count()
        return self._counts[index]

    def count(self) -> int:
        return sum(self._count(index) for index in range(len(self._parts)))

    def uncounted(self) -> list[tuple[SourceResults, int, QuerySet]]:
        """(self, index, queryset) of each model not counted yet that can be counted in SQL."""
        found = []
        for index, part in enumerate(self._parts):
            queryset = _queryset(part)
            if index not in self._counts and queryset is not None:
                found.append((self, index, queryset))
        return found

    def __len__(self) -> int:
        return self.count()

    def first(self, size: int) -> list:
        """Up to ``size`` results from the start, each model counted in the same query."""
        found: list = []
        for index, part in enumerate(self._parts):
            if len(found) >= size:
                break
            rows, total = first_with_total(part, size - len(found))
            self._counts[index] = total
            found += rows
        return found

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("SourceResults takes a slice")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        found: list = []
        offset = 0
        for index, part in enumerate(self._parts):
            if stop <= start:
                break
            size = self._count(index)
            if start < offset + size:
                found += list(part[start - offset : min(stop, offset + size) - offset])
                start = min(stop, offset + size)
            offset += size
        return found

    def __iter__(self) -> Iterator:
        return iter(self[0 : self.count()])


def first_with_total(results, size: int) -> tuple[list, int]:
    """The first ``size`` of a Wagtail search's results and how many there are, in one query.

    Wagtail's database backends (SQLite, PostgreSQL, MySQL) build their results as a
    queryset (``get_queryset()``), so the count is a window over the same query. Any other
    backend's results are read and, if the read was full, counted.
    """
    queryset = _queryset(results)
    if queryset is not None:
        rows = list(queryset.annotate(search_total=Window(Count("pk")))[:size])
        return rows, (rows[0].search_total if rows else 0)
    rows = list(results[:size])
    return rows, (len(rows) if len(rows) < size else results.count())


def _queryset(results) -> QuerySet | None:
    """The queryset Wagtail's database backends build for a whole (unsliced) search."""
    queryset = results.get_queryset() if hasattr(results, "get_queryset") else None
    if isinstance(queryset, QuerySet) and not queryset.query.is_sliced:
        return queryset
    return None


def count_together(results: Iterable[SourceResults]) -> None:
    """Count every model of these results not yet counted, in one query for them all.

    Each count is a scalar subquery over the backend's own compiled search query (the
    same SQL ``count()`` would run), so the counts are the backend's; the SQL is Django's,
    every value a parameter. Anything left (another backend) counts itself when asked.
    """
    pending, selects, params = [], [], []
    for source_results in results:
        for owner, index, queryset in source_results.uncounted():
            try:
                sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # e.g. .none(): nothing to count
                owner._counts[index] = 0
                continue
            selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(selects)})")  # noqa: S608  # nosec B608
            params += sql_params
            pending.append((owner, index))
    if not selects:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)  # noqa: S608  # nosec B608
        row = cursor.fetchone()
    for (owner, index), total in zip(pending, row, strict=True):
        owner._counts[index] = int(total)


def search_sources() -> list[SearchSource]:
    """Every registered source, in their order: each hook returns a source or a list of them."""
    found: list[SearchSource] = []
    for hook in hooks.get_hooks(HOOK):
        registered = hook()
        found += registered if isinstance(registered, (list, tuple)) else [registered]
    return sorted(found, key=lambda source: (source.order, source.label))
