"""Search and facets for the case study library, in a fixed number of SQL queries.

Each facet counts the case studies that match the search and every *other* active
filter (so choosing a theme never hides the other themes).

The library is small (hundreds of case studies), and what the counts are made of is the
same for every visitor: which case studies are live, and each one's themes, principles,
councils, nation and year. That is read once (``Library``, two queries) and kept with
``remember()`` until content next changes, together with the filter choices (every theme,
principle and member council); each request then filters and counts those in Python, by
the same declarations (``CASE_STUDY_FILTERS``) that give the feed its SQL. Counting with
one GROUP BY per facet cost five queries a request, each carrying the search's matches as
a list of ids for Django to compile and the database to parse, which took longer than the
counting itself.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError
from django.db.models import CharField, IntegerField, Prefetch, Q, QuerySet, Value
from django.http import QueryDict
from django.utils.http import urlencode
from wagtail.images import get_image_model

from caching.versions import remember
from home.feeds import feed_links
from home.images import card_renditions
from home.listing import Choice, Filter, FilterSet, SearchBox, UnknownValue, paginate
from membership.models import MemberCouncil, Nation, Principle
from search.query import MAX_QUERY_LENGTH, clean_query, search_terms
from search.ranking import matched_ids

from .models.case_studies import CARD_RENDITION, FIRST_YEAR, CaseStudyPage, listing_meta
from .models.snippets import Theme

if TYPE_CHECKING:
    from .models.library import CaseStudyIndexPage

logger = logging.getLogger(__name__)

PER_PAGE = 12
FACETS = ("theme", "principle", "council", "nation", "year")
FACET_LABELS = {
    "theme": ("Theme", "themes"),
    "principle": ("Principle", "principles"),
    "council": ("Council", "councils"),
    "nation": ("Nation", "nations"),
    "year": ("Year", "years"),
}
THEMES = CaseStudyPage.themes.through
PRINCIPLES = CaseStudyPage.principles.through
PARTICIPANTS = CaseStudyPage.participating_councils.through
# In the keys of what this module remembers: a deploy that changes the shape of ``Library``
# or of the choices bumps it, so values pickled by the previous code are never read.
MEMO_FORMAT = 3
# The facets whose options are records: which records, their label field, their order field.
# Councils are the publicly listed members only: a guessed slug must not reveal an
# affiliate's, a supporter's or a former member's name.
RECORD_FACETS = {
    "theme": (Theme.objects.all, "name", None),
    "principle": (Principle.objects.all, "title", "sort_order"),
    "council": (MemberCouncil.objects.listed, "name", None),
}


@dataclass(frozen=True)
class Card:
    """A case study as a card in the listing shows it (components/card.html)."""

    url: str
    title: str
    summary: str
    image: object
    meta: str


# What every request shares, remembered until content changes ------------------------------


def filter_choices() -> dict[str, list[Choice]]:
    """Every theme, principle and member council, in the order the form lists them (one
    query, then remembered).

    All of them, used or not: a filter naming a real theme that no case study has yet is
    applied (and shows a count of 0), not reported as unknown.
    """
    # Shared (no copy per request): only read, and every council makes it large.
    return remember(f"casestudies:filter-choices:{MEMO_FORMAT}", _load_choices, shared=True)


def _load_choices() -> dict[str, list[Choice]]:
    queries = [
        records()
        .order_by()
        .values_list(
            Value(name, output_field=CharField()),
            "id",
            "slug",
            label_field,
            order_field or Value(None, output_field=IntegerField()),
        )
        for name, (records, label_field, order_field) in RECORD_FACETS.items()
    ]
    rows: dict[str, list[tuple]] = {name: [] for name in RECORD_FACETS}
    for name, pk, slug, label, order in queries[0].union(*queries[1:], all=True):
        rows[name].append((order, label, slug, pk))
    # By label; principles by their order first (those without one last).
    return {
        name: [
            Choice(slug, label, target=pk)
            for order, label, slug, pk in sorted(
                found, key=lambda row: (row[0] is None, row[0] or 0, row[1])
            )
        ]
        for name, found in rows.items()
    }


@dataclass(frozen=True)
class Library:
    """The live, public case studies of one index, as plain data for counting.

    ``order``: ids newest year first (the database's order, NULL dates included);
    ``rows``: id → (title, nation, year); ``links``: facet → id → the theme, principle or
    council ids it has (councils: the lead first, then the others, each once).
    """

    order: tuple[int, ...]
    rows: dict[int, tuple[str, str, int]]
    links: dict[str, dict[int, tuple[int, ...]]]
    # facet → value (a theme, principle or council id, a nation, a year) → the ids that have
    # it: what each filter keeps, looked up rather than found by walking every case study.
    index: dict[str, dict[Any, frozenset[int]]]

    @classmethod
    def of(cls, index: CaseStudyIndexPage) -> Library:
        # Shared: only read, and a copy per request would cost more than reading it once.
        key = f"casestudies:library:{MEMO_FORMAT}:{index.pk}"
        return remember(key, lambda: cls.load(index), shared=True)

    @classmethod
    def load(cls, index: CaseStudyIndexPage) -> Library:
        """Two queries: the case studies, then every link row of the three tables.

        Links are read whole and kept for the live case studies here: a few rows of drafts
        cost less than filtering each table by the visible pages (3 ms against 1).
        """
        found = list(
            index.case_studies()
            .order_by("-year", "-first_published_at", "-pk")
            .values_list("pk", "title", "nation", "year", "lead_council_id")
        )
        link_rows = (
            model.objects.order_by().values_list(
                Value(name, output_field=CharField()), "casestudypage_id", column
            )
            for name, model, column in (
                ("theme", THEMES, "theme_id"),
                ("principle", PRINCIPLES, "principle_id"),
                ("council", PARTICIPANTS, "membercouncil_id"),
            )
        )
        first, *rest = link_rows
        links: dict[str, dict[int, list[int]]] = {"theme": {}, "principle": {}, "council": {}}
        for pk, _title, _nation, _year, lead_id in found:
            links["council"][pk] = [] if lead_id is None else [lead_id]
            links["theme"][pk], links["principle"][pk] = [], []
        for name, pk, target in first.union(*rest, all=True):
            ids = links[name].get(pk)
            if ids is not None and target not in ids:  # a lead taking part counts once
                ids.append(target)
        index: dict[str, dict[Any, set[int]]] = {name: {} for name in FACETS}
        for name, by_page in links.items():
            for pk, targets in by_page.items():
                for target in targets:
                    index[name].setdefault(target, set()).add(pk)
        for pk, _title, nation, year, _lead in found:
            index["nation"].setdefault(nation, set()).add(pk)
            index["year"].setdefault(year, set()).add(pk)
        return cls(
            order=tuple(row[0] for row in found),
            rows={pk: (title, nation, year) for pk, title, nation, year, _lead in found},
            links={
                name: {pk: tuple(ids) for pk, ids in by_page.items() if ids}
                for name, by_page in links.items()
            },
            index={
                name: {value: frozenset(ids) for value, ids in by_value.items()}
                for name, by_value in index.items()
            },
        )


# What each filter keeps: in SQL for the feed, among the remembered Library for the listing.


def _linked(name: str, where) -> Filter:
    """A theme, principle or council filter: the case studies linked to that record (for
    councils, ``Library.links`` holds the lead council too, first)."""
    return Filter(
        name,
        *FACET_LABELS[name],
        where=where,
        picks=lambda library, pk: library.index[name].get(pk, frozenset()),
    )


def _in(table, column: str, pk: int) -> Q:
    return Q(pk__in=table.objects.filter(**{column: pk}).values("casestudypage_id"))


CASE_STUDY_FILTERS = (
    _linked("theme", lambda pk: _in(THEMES, "theme_id", pk)),
    _linked("principle", lambda pk: _in(PRINCIPLES, "principle_id", pk)),
    _linked(
        "council", lambda pk: Q(lead_council_id=pk) | _in(PARTICIPANTS, "membercouncil_id", pk)
    ),
    Filter(
        "nation",
        *FACET_LABELS["nation"],
        where=lambda nation: Q(nation=nation),
        picks=lambda library, nation: library.index["nation"].get(nation, frozenset()),
    ),
    Filter(
        "year",
        *FACET_LABELS["year"],
        where=lambda year: Q(year=year),
        picks=lambda library, year: library.index["year"].get(year, frozenset()),
    ),
)
NATIONS = [Choice(value, label) for value, label in Nation.choices]
YEARS = [Choice(str(year), str(year), target=year) for year in range(2100, FIRST_YEAR - 1, -1)]


# The finder: a year range and an order, beside the facets ---------------------------------


def _years(library: Library, keep) -> frozenset[int]:
    """The ids of the case studies whose year ``keep`` accepts."""
    by_year = library.index["year"]
    return frozenset().union(*(ids for year, ids in by_year.items() if keep(year)))


@dataclass(frozen=True)
class UnknownSort(UnknownValue):
    """An order the address named that does not exist: the default order applies."""

    @property
    def message(self) -> str:
        return f"{self.reason[:-1]}, so the newest are shown first."


@dataclass(frozen=True)
class SortFilter(Filter):
    """``?sort=``: declared as a filter so the form, its chip, the links and the notice for
    a junk value come from ``home.listing`` like every other; it keeps every case study
    (``result_ids`` orders them) and adds nothing to the feed's SQL."""

    def unknown(self, value: str) -> UnknownValue:
        return UnknownSort(self, value)


DEFAULT_SORT = "newest"  # no ``?sort=``: the address of the plain library
SORTS = [Choice("oldest", "Oldest first"), Choice("title", "Title (A to Z)")]
RANGE = ("from", "to")
FINDER_FILTERS = (
    Filter(
        "from",
        "From year",
        "years",
        where=lambda year: Q(year__gte=year),
        picks=lambda library, year: _years(library, lambda y: y >= year),
        all_label="Any year",
        noun="start year",
    ),
    Filter(
        "to",
        "To year",
        "years",
        where=lambda year: Q(year__lte=year),
        picks=lambda library, year: _years(library, lambda y: y <= year),
        all_label="Any year",
        noun="end year",
    ),
    SortFilter(
        "sort",
        "Sort by",
        "orders",
        where=lambda _order: Q(),
        picks=lambda library, _order: library.rows.keys(),
        all_label="Newest first",
        noun="order",
    ),
)


def year_value(raw: str | None) -> int | None:
    """A year the range accepts, from the address; None for anything else."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        return None
    year = int(raw)
    return year if FIRST_YEAR <= year <= 2100 else None


def finder_params(params: QueryDict) -> tuple[QueryDict, str]:
    """The address's parameters as the finder reads them, and a note when it changed them.

    ``?sort=newest`` is the default order, so it is the plain address; a range whose start
    is after its end is turned round (and the page says so) rather than showing nothing.
    """
    params = params.copy()
    if (params.get("sort") or "").strip() == DEFAULT_SORT:
        del params["sort"]
    start, end = year_value(params.get("from")), year_value(params.get("to"))
    if start is not None and end is not None and start > end:
        params["from"], params["to"] = str(end), str(start)
        return params, (
            f"The start year {start} is after the end year {end}, so this shows case "
            f"studies from {end} to {start}."
        )
    return params, ""


class CaseStudySearch:
    """The visitor's search and filters, checked; the matching case studies and facets."""

    def __init__(self, index_page: CaseStudyIndexPage, params: QueryDict):
        self.index = index_page
        params, self.range_note = finder_params(params)
        self.query = clean_query(params.get("q", ""))
        self.terms = search_terms(self.query)
        self.raw_page = params.get("page")
        self.search_failed = False
        self.filters = FilterSet(
            params,
            CASE_STUDY_FILTERS + FINDER_FILTERS,
            {
                **filter_choices(),
                "nation": NATIONS,
                "year": YEARS,
                "from": YEARS,
                "to": YEARS,
                "sort": SORTS,
            },
            base_url=index_page.url,
            search=SearchBox(self.query, label="Search case studies", max_length=MAX_QUERY_LENGTH),
        )
        self.search_ids = self._search()

    @cached_property
    def base(self) -> QuerySet[CaseStudyPage]:
        return self.index.case_studies()

    @cached_property
    def library(self) -> Library:
        return Library.of(self.index)

    def _search(self) -> set[int] | None:
        """Ids of the case studies matching ``?q=``; None when there is no search."""
        if not self.terms:
            return None
        try:
            results = (
                CaseStudyPage.objects.child_of(self.index)
                .live()
                .search(self.terms, operator="and", order_by_relevance=False)
            )
            ids = matched_ids(results)  # SQLite: one scan of the index (search/ranking.py)
            if ids is not None:
                return ids
            # The database backends expose the matching queryset: reading ids from it
            # skips building a model instance per match.
            if callable(getattr(results, "get_queryset", None)):
                return set(results.get_queryset().values_list("pk", flat=True))
            return {page.pk for page in results}
        except DatabaseError:
            # A query the search engine cannot parse is the visitor's typo, not an outage.
            logger.warning("Search backend rejected query %r", self.terms, exc_info=True)
            self.search_failed = True
            return set()

    def matching(self) -> QuerySet[CaseStudyPage]:
        """Case studies matching the search and every applied filter, as a queryset (the
        feed; the listing picks from ``Library`` instead, by the same declarations)."""
        queryset = self.base
        if self.search_ids is not None:
            queryset = queryset.filter(pk__in=sorted(self.search_ids))
        return self.filters.narrow(queryset)

    def matching_ids(self, *, ignore: str = "") -> set[int]:
        """Ids matching the search and every applied filter but ``ignore`` (no query)."""
        rows = self.library.rows.keys()
        # The search index also holds drafts and other libraries' pages (matched_ids reads
        # it directly): only this library's live, public case studies count.
        ids = rows if self.search_ids is None else self.search_ids & rows
        return self.filters.pick(self.library, ids, ignore=ignore)

    # Results ------------------------------------------------------------------------

    @property
    def sort(self) -> str:
        """ "newest" (the default), "oldest" or "title"."""
        return self.filters["sort"].value or DEFAULT_SORT

    def result_ids(self) -> list[int]:
        """Matching ids in the chosen order: by default newest year first and, with a search,
        titles that match first; oldest year first; or by title."""
        matches = self.matching_ids()
        if self.sort == "title":
            rows = self.library.rows
            return sorted(matches, key=lambda pk: (rows[pk][0].casefold(), rows[pk][0], pk))
        order = self.library.order if self.sort == DEFAULT_SORT else reversed(self.library.order)
        ids = [pk for pk in order if pk in matches]
        if self.terms and self.sort == DEFAULT_SORT:
            # The full-text engine decides what matches; ranking every match there is
            # slow (a scoring subquery per row), so order by how many of the words the
            # title contains, which also reads the same on SQLite and PostgreSQL.
            words = {word.casefold() for word in self.terms.split()}
            rows = self.library.rows

            def title_hits(pk: int) -> int:
                title = rows[pk][0].casefold()
                return -sum(word in title for word in words)

            ids.sort(key=title_hits)  # stable: newest first within equal hits
        return ids

    def cards(self, ids: list[int], index_url: str) -> list[Card]:
        """One page of results as cards, in ``ids`` order: rows, not pages (building a
        page costs more than reading it), and their images with the card's renditions.

        ``index_url`` is the library's address for this request: a case study's is that
        and its slug, as its ``url_path`` says.
        """
        rows = CaseStudyPage.objects.filter(pk__in=ids).values_list(
            "pk",
            "url_path",
            "title",
            "summary",
            "listing_image_id",
            "lead_council__name",
            "other_organisations",
            "year",
        )
        by_id = {row[0]: row for row in rows}
        renditions = card_renditions(CARD_RENDITION)
        image_ids = {row[4] for row in by_id.values() if row[4] is not None}
        images = (
            get_image_model()
            .objects.filter(pk__in=image_ids)
            .prefetch_related(
                Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
            )
            .in_bulk()
            if image_ids
            else {}
        )
        prefix = len(self.index.url_path)
        cards = []
        for pk in ids:
            if pk not in by_id:
                continue
            _pk, url_path, title, summary, image_id, lead, others, year = by_id[pk]
            cards.append(
                Card(
                    url=index_url + url_path[prefix:],
                    title=title,
                    summary=summary,
                    image=images.get(image_id),
                    meta=listing_meta(lead or "", others, year),
                )
            )
        return cards

    # Facets -------------------------------------------------------------------------

    def facet_counts(self) -> dict[str, Counter]:
        """Each facet's options with how many case studies each would show, counting within
        the search and every *other* filter (from ``Library``: no query)."""
        rows, links = self.library.rows, self.library.links
        found = {}
        for name in FACETS:
            ids = self.matching_ids(ignore=name)
            # map() over the ids: counting hundreds of them stays in C, with no Python step each
            if name in RECORD_FACETS:
                found[name] = Counter(chain.from_iterable(map(links[name].get, ids, repeat(()))))
            else:
                column = itemgetter(1 if name == "nation" else 2)
                found[name] = Counter(map(column, map(rows.__getitem__, ids)))
        return found

    def results_and_counts(self) -> tuple[list[int], dict[str, Counter]]:
        """``result_ids()`` and ``facet_counts()``: both walk every case study, so for a
        filter combination without a search (the same for every visitor until content
        changes) they are remembered; a search's matches come from the search engine."""
        if self.terms:
            return self.result_ids(), self.facet_counts()
        digest = hashlib.sha256(self.filters.query_string.encode()).hexdigest()[:32]
        ids, counts = remember(
            f"casestudies:results:{MEMO_FORMAT}:{self.index.pk}:{digest}",
            lambda: (tuple(self.result_ids()), self.facet_counts()),
            shared=True,  # only read
        )
        return list(ids), counts

    def count_facets(self, counts: dict[str, Counter] | None = None) -> None:
        """Set each facet's counts on the form (``facet_counts()`` unless given); the range
        offers the years the library has (and a chosen one)."""
        for name, found in (counts if counts is not None else self.facet_counts()).items():
            self.filters.count(name, found, hide_empty=True)
        present = self.library.index["year"]
        for name in RANGE:
            bound = self.filters[name]
            bound.options = [
                choice
                for choice in bound.choices.values()
                if choice.target in present or choice is bound.chosen
            ]

    # What the templates and the feed need ----------------------------------------------

    @property
    def description(self) -> str:
        """ "Housing, Scotland, 2020 to 2024": the search and filters in words, for titles
        (not the order: it changes no result)."""
        applied = self.filters.applied
        parts = [
            bound.chosen.label for name, bound in applied.items() if name not in (*RANGE, "sort")
        ]
        if self.query:
            parts.insert(0, f"“{self.query}”")
        start, end = (applied[name].chosen.label if name in applied else "" for name in RANGE)
        if start and end:
            parts.append(start if start == end else f"{start} to {end}")
        elif start:
            parts.append(f"from {start}")
        elif end:
            parts.append(f"up to {end}")
        return ", ".join(parts)

    @property
    def filter_query(self) -> str:
        """The search and filters without the order: what the feeds and the canonical
        address carry (a feed is always newest added first)."""
        return urlencode(self.filters.params(without="sort"))

    @property
    def feed_url(self) -> str:
        query = self.filter_query
        return self.index.url + "feed/" + (f"?{query}" if query else "")

    def search_messages(self) -> list[str]:
        if self.query and not self.terms:
            return [
                "Search for words, such as a council's name or a theme; symbols on their own "
                "match nothing, so all case studies are shown."
            ]
        return []

    def listing_context(self, index_url: str) -> dict:
        """The listing's template context; ``index_url``: the library's address for this
        request (``pageurl``'s)."""
        ids, counts = self.results_and_counts()
        page_obj = paginate(ids, PER_PAGE, self.raw_page)
        self.count_facets(counts)
        query_string = self.filters.query_string
        # Search engines should index the clean, single-filter addresses only; an order
        # shows the same case studies, so its canonical address is the one without it.
        filtering = [name for name in self.filters.applied if name != "sort"]
        feed_title = "Case studies" + (f": {self.description}" if self.description else "")
        several = len(filtering) > 1 or bool(self.query)
        return {
            "search": self,
            "filters": self.filters,
            "active_filters": self.filters.active,
            "search_messages": self.search_messages(),
            "search_failed": self.search_failed,
            "case_studies": self.cards(list(page_obj.object_list), index_url),
            "page_obj": page_obj,
            "result_count": len(ids),
            "query_string": query_string,
            "feed_url": self.feed_url,
            "feed_title": feed_title,
            "feeds": feed_links(self.feed_url, feed_title),
            # What the alert form follows: the RSS feed's path and filters (alerts.feeds).
            "alert_feed": self.feed_url,
            "alert_label": "case studies"
            + (f" for {self.description}" if self.description else ""),
            "noindex": several,
            "canonical_query": "" if several else self.filter_query,
            "range_note": self.range_note,
            "sort": self.sort,
        }
