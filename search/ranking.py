"""Site search results in relevance order, without a full-text match per result on SQLite.

Wagtail's SQLite (FTS5) backend orders by relevance with a scalar subquery per matching
page, and each runs the full-text MATCH again: 1,650 matches for "council" at the network's
real size, 50 ms. ``ranked_page_ids`` has SQLite score the matches in one scan of the index
(bm25 per entry, weighted by the title as Wagtail weights it), keep the live, public pages
and order them as Wagtail does (score, then newest id), returning only the window a page of
results shows, so the results and their order are Wagtail's own and a page of them costs
one query (the window and the count). ``matched_ids`` is the same scan without the ranking
(the case-study library filters by it). Any other backend (PostgreSQL ranks in one query
already) or query shape returns None, and the caller uses Wagtail's results as they are.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page


class BM25(Func):
    """FTS5's ``bm25(table)``: the matched row's rank in a full-text query (lower is better)."""

    output_field = FloatField()

    def __init__(self, table: str):
        super().__init__(template=f"bm25({table})")


def _sqlite_match(results):
    """(FTS table model, MATCH lookup, matched index entries) of a search, or None.

    None for any backend but Wagtail's SQLite FTS5 one, and for queries that match
    everything or are negated: the caller then uses the backend's results as they are.
    """
    if type(results).__module__ != "modelsearch.backends.database.sqlite.sqlite":
        return None  # importing the SQLite backend elsewhere would fail without FTS5
    from modelsearch.backends.database.sqlite import sqlite as backend
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.query import MatchAll, Not

    if not isinstance(results, backend.SQLiteSearchResults):
        return None
    compiler = results.query_compiler
    query = normalize(compiler.query)
    if isinstance(query, (MatchAll, Not)):
        return None
    search_query = compiler.build_search_query(query, config=compiler.get_config(results.backend))
    match = MatchExpression(compiler.fields or compiler.FTS_TABLE_FIELDS, search_query)
    fts = backend.SQLiteFTSIndexEntry
    # ``id IN (…MATCH…)``: one scan of the FTS table (its rowid is the entry's id). Joined
    # instead, SQLite drives the query from the entries and runs the MATCH once per entry.
    entries = backend.IndexEntry.objects.filter(
        content_type__in=get_descendants_content_types_pks(compiler.queryset.model),
        id__in=fts.objects.filter(match).values("index_entry_id"),
    )
    return fts, match, entries


def matched_ids(results) -> set[int] | None:
    """The ids a search matches, from one scan of the SQLite index (None: ask the backend)."""
    found = _sqlite_match(results)
    if found is None:
        return None
    _fts, _match, entries = found
    return {int(pk) for pk in entries.values_list("object_id", flat=True)}


class RankedPageIds:
    """Ids of the pages a search matches, best first, read a window at a time.

    What Django's paginator asks of it: ``count()``, then one slice. Scores and order are
    Wagtail's (bm25 weighted by the title's norm, plus bm25; then newest id), worked out by
    SQLite, which also counts the matches in the same query: the ``expected`` window (the
    page of results asked for) and the count cost one query, any other window one more.
    Ranking still scores every match (in SQLite's C code), so a search costs more the more
    pages it matches; nothing else here grows with them.
    """

    def __init__(self, pages: QuerySet[Page], fts, match, entries, expected: slice):
        ranks_sql, ranks_params = (
            fts.objects.filter(match)
            .annotate(rank=BM25(fts._meta.db_table))
            .values_list("index_entry_id", "rank")
            .query.sql_with_params()
        )
        # Each match's page looked up by its id (a correlated EXISTS): a list of every live
        # page for an IN would be read from the whole page table on every search.
        allowed_sql, allowed_params = (
            pages.order_by()
            .filter(pk=RawSQL("CAST(e.object_id AS INTEGER)", ()))
            .values("pk")
            .query.sql_with_params()
        )
        types = sorted(get_descendants_content_types_pks(Page))
        table = connection.ops.quote_name(entries.model._meta.db_table)
        # The matches are materialised first: one scan of the full-text index (joined
        # directly, SQLite drives the query from the entries and runs the MATCH per entry).
        # Built from Django's compiled SQL and table names; every value is a parameter.
        self._sql = (
            f"WITH m(entry, rank) AS MATERIALIZED ({ranks_sql}) "  # noqa: S608  # nosec B608
            "SELECT CAST(e.object_id AS INTEGER) AS pk, COUNT(*) OVER () "
            f"FROM m JOIN {table} e ON e.id = m.entry "
            f"WHERE e.content_type_id IN ({', '.join(['%s'] * len(types))}) "
            f"AND EXISTS ({allowed_sql}) "
            "ORDER BY m.rank * e.title_norm + m.rank, pk DESC LIMIT %s OFFSET %s"
        )
        self._params = [*ranks_params, *types, *allowed_params]
        self._expected = (expected.start or 0, expected.stop)
        self._count: int | None = None
        self._rows: dict[tuple[int, int], list[int]] = {}

    def _window(self, start: int, stop: int) -> list[int]:
        if (start, stop) not in self._rows:
            with connection.cursor() as cursor:
                cursor.execute(self._sql, [*self._params, stop - start, start])
                rows = cursor.fetchall()
            self._rows[start, stop] = [pk for pk, _total in rows]
            if rows:
                self._count = rows[0][1]
            elif start == 0:
                self._count = 0
        return self._rows[start, stop]

    def count(self) -> int:
        if self._count is None:
            self._window(*self._expected)
        if self._count is None:  # the window was past the end: count from the start
            self._window(0, 1)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("RankedPageIds takes a slice")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        return self._window(start, stop) if stop > start else []

    def __iter__(self):
        return iter(self[0 : self.count()])


def ranked_page_ids(
    pages: QuerySet[Page], results, expected: slice = slice(0, 10)
) -> RankedPageIds | None:
    """Ids of ``pages`` that ``results`` (a Wagtail search of them) match, best first;
    ``expected``: the window the caller will most likely ask for first."""
    found = _sqlite_match(results)
    if found is None:
        return None
    fts, match, entries = found
    return RankedPageIds(pages, fts, match, entries, expected)
