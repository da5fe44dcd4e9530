"""Site search results in relevance order, without a full-text match per result on SQLite.

Wagtail's SQLite (FTS5) backend orders by relevance with a scalar subquery per matching
page, and each runs the full-text MATCH again: 1,650 matches for "council" at the network's
real size, 50 ms. ``ranked_page_ids`` reads the same scores from one scan of the index
(bm25 per entry, weighted by the title as Wagtail weights it), keeps the live, public
pages, and orders them as Wagtail does (score, then newest id), so the results and their
order are Wagtail's own. ``matched_ids`` is the same scan without the ranking (the
case-study library filters by it). Any other backend (PostgreSQL ranks in one query already) or
query shape returns None, and the caller uses Wagtail's results as they are.
"""

from __future__ import annotations

from django.db.models import FloatField, Func, QuerySet
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
    from modelsearch.utils import get_descendants_content_types_pks

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


def ranked_page_ids(pages: QuerySet[Page], results) -> list[int] | None:
    """Ids of ``pages`` that ``results`` (a Wagtail search of them) match, best first."""
    found = _sqlite_match(results)
    if found is None:
        return None
    fts, match, entries = found
    ranks = dict(
        fts.objects.filter(match)
        .annotate(rank=BM25(fts._meta.db_table))
        .values_list("index_entry_id", "rank")
    )
    # Wagtail's score: bm25 weighted by the title's norm, plus bm25 for the body.
    scores = {
        int(object_id): ranks[entry_id] * title_norm + ranks[entry_id]
        for entry_id, object_id, title_norm in entries.values_list("id", "object_id", "title_norm")
        if entry_id in ranks
    }
    allowed = pages.filter(pk__in=entries.values("object_id")).values_list("pk", flat=True)
    return sorted((pk for pk in allowed if pk in scores), key=lambda pk: (scores[pk], -pk))
