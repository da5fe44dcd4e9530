"""Site search results in relevance order, without a full-text match per result on SQLite.

Wagtail's SQLite (FTS5) backend orders by relevance with a scalar subquery per matching
page, and each runs the full-text MATCH again: 1,650 matches for "council" at the network's
real size, 50 ms. ``ranked_page_ids`` has SQLite score the matches in one scan of the index
(bm25 per entry, weighted by the title as Wagtail weights it), keep the live, public pages
and order them as Wagtail does (score, then newest id), returning only the window a page of
results shows, so the results and their order are Wagtail's own and a page of them costs
two queries (the count and the window) at any number of matches. ``matched_ids`` is the
same scan without the ranking (the case-study library filters by it). Any other backend
(PostgreSQL ranks in one query already) or query shape returns None, and the caller uses
Wagtail's results as they are.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import FloatField, Func, QuerySet
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
    Wagtail's (bm25 weighted by the title's norm, plus bm25; then newest id), worked out
    by SQLite in one query per window, so a page of results reads ten ids however many
    pages match.
    """

    def __init__(self, pages: QuerySet[Page], fts, match, entries):
        ranks_sql, ranks_params = (
            fts.objects.filter(match)
            .annotate(rank=BM25(fts._meta.db_table))
            .values_list("index_entry_id", "rank")
            .query.sql_with_params()
        )
        allowed_sql, allowed_params = pages.values("pk").query.sql_with_params()
        types = sorted(get_descendants_content_types_pks(Page))
        table = connection.ops.quote_name(entries.model._meta.db_table)
        # The matches are materialised first: one scan of the full-text index (joined
        # directly, SQLite drives the query from the entries and runs the MATCH per entry).
        self._with = f"WITH m(entry, rank) AS MATERIALIZED ({ranks_sql}) "
        self._from = (
            f"FROM m JOIN {table} e ON e.id = m.entry "
            f"WHERE e.content_type_id IN ({', '.join(['%s'] * len(types))}) "
            f"AND CAST(e.object_id AS INTEGER) IN ({allowed_sql})"
        )
        self._params = [*ranks_params, *types, *allowed_params]
        self._count: int | None = None

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(self._with + sql, [*self._params, *params])
            return cursor.fetchall()

    def count(self) -> int:
        if self._count is None:
            self._count = self._rows(f"SELECT COUNT(*) {self._from}", [])[0][0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("RankedPageIds takes a slice")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        if stop <= start:
            return []
        rows = self._rows(
            "SELECT CAST(e.object_id AS INTEGER) AS pk "
            f"{self._from} ORDER BY m.rank * e.title_norm + m.rank, pk DESC LIMIT %s OFFSET %s",
            [stop - start, start],
        )
        return [pk for (pk,) in rows]

    def __iter__(self):
        return iter(self[0 : self.count()])


def ranked_page_ids(pages: QuerySet[Page], results) -> RankedPageIds | None:
    """Ids of ``pages`` that ``results`` (a Wagtail search of them) match, best first."""
    found = _sqlite_match(results)
    if found is None:
        return None
    fts, match, entries = found
    return RankedPageIds(pages, fts, match, entries)
