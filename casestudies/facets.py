"""Search and facets for the case study library, in a fixed number of SQL queries.

Each facet counts the case studies that match the search and every *other* active
filter (so choosing a theme never hides the other themes).

The library is small (hundreds of case studies), and what the counts are made of is the
same for every visitor: which case studies are live, and each one's themes, principles,
councils, nation and year. That is read once (``Library``, two queries) and kept with
``remember()`` until content next changes, together with the filter choices (every theme,
principle and member council by slug); each request then filters and counts those in
Python. Counting with one GROUP BY per facet cost five queries a request, each carrying
the search's matches as a list of ids for Django to compile and the database to parse,
which took longer than the counting itself.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import CharField, IntegerField, Prefetch, Q, QuerySet, Value
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.http import urlencode

from caching.page_cache import remember
from home.images import card_renditions
from home.listing import page_number
from membership.models import MemberCouncil, Nation, Principle
from search.query import clean_query, search_terms
from search.ranking import matched_ids

from .models.case_studies import CARD_FIELDS, CARD_RENDITION, FIRST_YEAR, CaseStudyPage
from .models.snippets import Theme

if TYPE_CHECKING:
    from .models.library import CaseStudyIndexPage

logger = logging.getLogger(__name__)

PER_PAGE = 12
MAX_VALUE_LENGTH = 100
SLUG = re.compile(r"[-\w]+", re.ASCII)
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
MEMO_FORMAT = 1
# The facets whose options are records: (model, label field, order field or None).
RECORD_FACETS = {
    "theme": (Theme, "name", None),
    "principle": (Principle, "title", "sort_order"),
    "council": (MemberCouncil, "name", None),
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@dataclass
class Facet:
    name: str
    label: str
    plural: str
    selected: str
    options: list[Option] = field(default_factory=list)

    @property
    def options_html(self) -> str:
        """The select's ``<option>``s, each "Label (count)", the selected one marked.

        Written here rather than looped over in the template: with 140 councils that loop
        was most of the page's rendering time. Each line ends as the template's own lines
        do (components/casestudies_facet_form.html); every value is escaped.
        """
        return format_html_join(
            "",
            '<option value="{}"{}>{} ({})</option>\n        ',
            (
                (
                    option.value,
                    " selected" if option.value == self.selected else "",
                    option.label,
                    option.count,
                )
                for option in self.options
            ),
        )


# What every request shares, remembered until content changes ------------------------------

# facet → slug → (id, label, order): every theme, principle and member council.
Choices = dict[str, dict[str, tuple[int, str, int | None]]]


def filter_choices() -> Choices:
    """Every theme, principle and member council by slug (one query, then remembered).

    All of them, used or not: a filter naming a real theme that no case study has yet is
    applied (and shows a count of 0), not reported as unknown.
    """
    return remember(f"casestudies:filter-choices:{MEMO_FORMAT}", _load_choices)


def _load_choices() -> Choices:
    queries = [
        model.objects.order_by().values_list(
            Value(name, output_field=CharField()),
            "id",
            "slug",
            label_field,
            order_field or Value(None, output_field=IntegerField()),
        )
        for name, (model, label_field, order_field) in RECORD_FACETS.items()
    ]
    choices: Choices = {name: {} for name in RECORD_FACETS}
    for name, pk, slug, label, order in queries[0].union(*queries[1:], all=True):
        choices[name][slug] = (pk, label, order)
    return choices


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

    @classmethod
    def of(cls, index: CaseStudyIndexPage) -> Library:
        return remember(f"casestudies:library:{MEMO_FORMAT}:{index.pk}", lambda: cls.load(index))

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
        return cls(
            order=tuple(row[0] for row in found),
            rows={pk: (title, nation, year) for pk, title, nation, year, _lead in found},
            links={
                name: {pk: tuple(ids) for pk, ids in by_page.items() if ids}
                for name, by_page in links.items()
            },
        )


class CaseStudySearch:
    """The visitor's search and filters, checked; the matching case studies and facets."""

    def __init__(self, index_page: CaseStudyIndexPage, params: QueryDict):
        self.index = index_page
        self.query = clean_query(params.get("q", ""))
        self.terms = search_terms(self.query)
        self.raw = {name: (params.get(name) or "").strip()[:MAX_VALUE_LENGTH] for name in FACETS}
        self.raw_page = params.get("page")
        self.search_failed = False
        self.labels: dict[str, str] = {}
        self.active: dict[str, str] = {}
        self.invalid: dict[str, str] = {}
        self.choices = filter_choices()
        self._check_filters()
        self.search_ids = self._search()

    @cached_property
    def base(self) -> QuerySet[CaseStudyPage]:
        return self.index.case_studies()

    @cached_property
    def library(self) -> Library:
        return Library.of(self.index)

    # Filters ------------------------------------------------------------------------

    def _check_filters(self) -> None:
        """Keep the filters that name something real; note the rest (no query)."""
        nation = self.raw["nation"]
        if nation in Nation.values:
            self.active["nation"], self.labels["nation"] = nation, Nation(nation).label
        year = self.raw["year"]
        if re.fullmatch(r"\d{4}", year) and FIRST_YEAR <= int(year) <= 2100:
            self.active["year"], self.labels["year"] = year, year
        for name in RECORD_FACETS:
            # Slugs are slug-shaped: nothing else can name a record.
            found = (
                self.choices[name].get(self.raw[name]) if SLUG.fullmatch(self.raw[name]) else None
            )
            if found:
                self.active[name], self.labels[name] = self.raw[name], found[1]
        # Keep a stable order, and remember what did not match so the page can say so.
        self.active = {name: self.active[name] for name in FACETS if name in self.active}
        self.invalid = {
            name: value for name, value in self.raw.items() if value and name not in self.active
        }

    @staticmethod
    def _condition(name: str, value: str) -> Q:
        if name == "theme":
            return Q(pk__in=THEMES.objects.filter(theme__slug=value).values("casestudypage_id"))
        if name == "principle":
            return Q(
                pk__in=PRINCIPLES.objects.filter(principle__slug=value).values("casestudypage_id")
            )
        if name == "council":
            participated = PARTICIPANTS.objects.filter(membercouncil__slug=value)
            return Q(lead_council__slug=value) | Q(pk__in=participated.values("casestudypage_id"))
        return Q(**{name: value})

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

    def matching(self, *, ignore: str | tuple[str, ...] = ()) -> QuerySet[CaseStudyPage]:
        """Case studies matching the search and every active filter except those ignored.

        A queryset, for the feed; the listing counts from ``Library`` instead.
        """
        ignored = (ignore,) if isinstance(ignore, str) else ignore
        queryset = self.base
        if self.search_ids is not None:
            queryset = queryset.filter(pk__in=sorted(self.search_ids))
        for name, value in self.active.items():
            if name not in ignored:
                queryset = queryset.filter(self._condition(name, value))
        return queryset

    @cached_property
    def _passing(self) -> dict[str, set[int]]:
        """Active filter → ids of the live case studies it lets through."""
        rows, links = self.library.rows, self.library.links
        passing = {}
        for name, value in self.active.items():
            if name == "nation":
                passing[name] = {pk for pk, row in rows.items() if row[1] == value}
            elif name == "year":
                year = int(value)
                passing[name] = {pk for pk, row in rows.items() if row[2] == year}
            else:
                target = self.choices[name][value][0]
                passing[name] = {pk for pk, ids in links[name].items() if target in ids}
        return passing

    def matching_ids(self, *, ignore: str = "") -> set[int]:
        """Ids matching the search and every active filter but ``ignore``."""
        ids = set(self.library.rows)
        if self.search_ids is not None:
            ids &= self.search_ids
        others = [found for name, found in self._passing.items() if name != ignore]
        return ids.intersection(*others)

    # Results ------------------------------------------------------------------------

    def result_ids(self) -> list[int]:
        """Matching ids, newest year first; with a search, titles that match come first."""
        matches = self.matching_ids()
        ids = [pk for pk in self.library.order if pk in matches]
        if self.terms:
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

    @staticmethod
    def cards(ids: list[int]) -> list[CaseStudyPage]:
        """The case studies for one page of results, ready for cards, in ``ids`` order."""
        renditions = card_renditions(CARD_RENDITION)
        pages = (
            CaseStudyPage.objects.filter(pk__in=ids)
            .only(*CARD_FIELDS)  # a whole page and council cost a third of the cards' time
            .select_related("lead_council", "listing_image")
            .prefetch_related(Prefetch("listing_image__renditions", queryset=renditions))
        )
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in ids if pk in by_id]

    def paginate(self, ids: list[int]) -> PaginatorPage:
        paginator = Paginator(ids, PER_PAGE)
        # A page past the end shows the last page rather than an error.
        return paginator.page(min(page_number(self.raw_page), paginator.num_pages))

    # Facets -------------------------------------------------------------------------

    def facets(self) -> list[Facet]:
        """Every facet's options with counts, from ``Library`` (no query)."""
        links = self.library.links
        options = {
            name: self._record_options(
                name,
                Counter(
                    chain.from_iterable(
                        links[name].get(pk, ()) for pk in self.matching_ids(ignore=name)
                    )
                ),
            )
            for name in RECORD_FACETS
        }
        options["nation"], options["year"] = self._nations(), self._years()
        return [
            Facet(name, *FACET_LABELS[name], self.active.get(name, ""), options[name])
            for name in FACETS
        ]

    def _record_options(self, name: str, counts: Counter) -> list[Option]:
        """Options with a count, by label (principles by their order); a selected one at 0."""
        by_id = {
            pk: (slug, label, order) for slug, (pk, label, order) in self.choices[name].items()
        }
        found = sorted(
            (by_id[pk] + (n,) for pk, n in counts.items() if pk in by_id),
            key=(lambda row: (row[2] is None, row[2] or 0, row[1]))
            if RECORD_FACETS[name][2]
            else (lambda row: row[1]),
        )
        options = [Option(slug, label, n) for slug, label, _order, n in found]
        return self._keep_selected(name, options)

    def _keep_selected(self, name: str, options: list[Option]) -> list[Option]:
        selected = self.active.get(name)
        if selected and selected not in {option.value for option in options}:
            options.insert(0, Option(selected, self.labels[name], 0))
        return options

    def _nations(self) -> list[Option]:
        """Nations with matches (ignoring the nation filter) in their usual order."""
        rows = self.library.rows
        counts = Counter(rows[pk][1] for pk in self.matching_ids(ignore="nation"))
        nation = self.active.get("nation")
        return [
            Option(value, label, counts.get(value, 0))
            for value, label in Nation.choices
            if counts.get(value) or value == nation
        ]

    def _years(self) -> list[Option]:
        """Years with matches (ignoring the year filter), newest first."""
        rows = self.library.rows
        counts = Counter(rows[pk][2] for pk in self.matching_ids(ignore="year"))
        years = [Option(str(y), str(y), n) for y, n in sorted(counts.items(), reverse=True)]
        return self._keep_selected("year", years)

    # What the templates and the feed need ----------------------------------------------

    def query_string(self, *, without: str | None = None, search: bool = True) -> str:
        params = [("q", self.query)] if self.query and search else []
        params += [(name, value) for name, value in self.active.items() if name != without]
        return urlencode(params)

    def url_with(self, query: str) -> str:
        """A link to the library with this query string (the bare address when it is empty)."""
        return f"?{query}" if query else self.index.url

    @property
    def description(self) -> str:
        """ "Housing, Scotland": the active filters in words, for titles."""
        parts = [self.labels[name] for name in self.active]
        if self.query:
            parts.insert(0, f"“{self.query}”")
        return ", ".join(parts)

    @property
    def feed_url(self) -> str:
        query = self.query_string()
        return self.index.url + "feed/" + (f"?{query}" if query else "")

    def invalid_messages(self) -> list[str]:
        words_only = (
            [
                "Search for words, such as a council's name or a theme; symbols on their own "
                "match nothing, so all case studies are shown."
            ]
            if self.query and not self.terms
            else []
        )
        return words_only + [
            f"We couldn't find the {FACET_LABELS[name][0].lower()} “{value}”, so that filter "
            "was not applied."
            for name, value in self.invalid.items()
        ]

    def listing_context(self) -> dict:
        ids = self.result_ids()
        page_obj = self.paginate(ids)
        facets = self.facets()
        query_string = self.query_string()
        active_filters = [
            {
                "label": f"{FACET_LABELS[name][0]}: {self.labels[name]}",
                "remove_url": self.url_with(self.query_string(without=name)),
            }
            for name in self.active
        ]
        if self.query:
            active_filters.insert(
                0,
                {
                    "label": f"Search: {self.query}",
                    "remove_url": self.url_with(self.query_string(search=False)),
                },
            )
        return {
            "search": self,
            "facets": facets,
            "active_filters": active_filters,
            "filter_messages": self.invalid_messages(),
            "search_failed": self.search_failed,
            "case_studies": self.cards(list(page_obj.object_list)),
            "page_obj": page_obj,
            "result_count": len(ids),
            "query_string": query_string,
            "feed_url": self.feed_url,
            "feed_title": "Case studies" + (f": {self.description}" if self.description else ""),
            # Search engines should index the clean, single-filter addresses only.
            "noindex": len(self.active) > 1 or bool(self.query),
            "canonical_query": "" if len(self.active) > 1 or self.query else query_string,
        }
