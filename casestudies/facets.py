"""Search and facets for the case study library, in a fixed number of SQL queries.

Each facet counts the case studies that match the search and every *other* active
filter (so choosing a theme never hides the other themes), with aggregate queries per
facet rather than per option: one each for themes and principles, two for councils
(leading, taking part) and one shared by nations and years.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.http import QueryDict
from django.utils.http import urlencode

from home.images import card_renditions
from home.views import clean_query, page_number, search_terms
from membership.models import MemberCouncil, Nation, Principle

from .models import CaseStudyIndexPage, CaseStudyPage, Theme
from .models.case_studies import CARD_RENDITION, FIRST_YEAR

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
        self._check_filters()
        self.base = index_page.case_studies()
        self.search_ids = self._search()

    # Filters ------------------------------------------------------------------------

    def _check_filters(self) -> None:
        """Keep the filters that name something real; note the rest (one query at most)."""
        nation = self.raw["nation"]
        if nation in Nation.values:
            self.active["nation"], self.labels["nation"] = nation, Nation(nation).label
        year = self.raw["year"]
        if re.fullmatch(r"\d{4}", year) and FIRST_YEAR <= int(year) <= 2100:
            self.active["year"], self.labels["year"] = year, year
        lookups = []
        for name, model, label_field in (
            ("theme", Theme, "name"),
            ("principle", Principle, "title"),
            ("council", MemberCouncil, "name"),
        ):
            # Only slug-shaped values reach the database (PostgreSQL rejects NUL bytes).
            if SLUG.fullmatch(self.raw[name]):
                lookups.append(
                    model.objects.filter(slug=self.raw[name])
                    .order_by()
                    .values_list(Value(name, output_field=CharField()), "slug", label_field)
                )
        if lookups:
            found = lookups[0].union(*lookups[1:], all=True) if len(lookups) > 1 else lookups[0]
            for name, slug, label in found:
                self.active[name], self.labels[name] = slug, label
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

    def _search(self) -> list[int] | None:
        """Ids of the case studies matching ``?q=``; None when there is no search."""
        if not self.terms:
            return None
        try:
            results = (
                CaseStudyPage.objects.child_of(self.index)
                .live()
                .search(self.terms, operator="and", order_by_relevance=False)
            )
            # The database backends expose the matching queryset: reading ids from it
            # skips building a model instance per match.
            if callable(getattr(results, "get_queryset", None)):
                return list(results.get_queryset().values_list("pk", flat=True))
            return [page.pk for page in results]
        except DatabaseError:
            # A query the search engine cannot parse is the visitor's typo, not an outage.
            logger.warning("Search backend rejected query %r", self.terms, exc_info=True)
            self.search_failed = True
            return []

    def matching(self, *, ignore: str | tuple[str, ...] = ()) -> QuerySet[CaseStudyPage]:
        """Case studies matching the search and every active filter except those ignored."""
        ignored = (ignore,) if isinstance(ignore, str) else ignore
        queryset = self.base
        if self.search_ids is not None:
            queryset = queryset.filter(pk__in=self.search_ids)
        for name, value in self.active.items():
            if name not in ignored:
                queryset = queryset.filter(self._condition(name, value))
        return queryset

    # Results ------------------------------------------------------------------------

    def result_ids(self) -> list[int]:
        """Matching ids, newest year first; with a search, titles that match come first."""
        rows = list(
            self.matching()
            .order_by("-year", "-first_published_at", "-pk")
            .values_list("pk", "title")
        )
        if self.terms:
            # The full-text engine decides what matches; ranking every match there is
            # slow (a scoring subquery per row), so order by how many of the words the
            # title contains, which also reads the same on SQLite and PostgreSQL.
            words = {word.casefold() for word in self.terms.split()}

            def title_hits(row: tuple[int, str]) -> int:
                title = row[1].casefold()
                return -sum(word in title for word in words)

            rows.sort(key=title_hits)  # stable: newest first within equal hits
        return [pk for pk, _title in rows]

    @staticmethod
    def cards(ids: list[int]) -> list[CaseStudyPage]:
        """The case studies for one page of results, ready for cards, in ``ids`` order."""
        renditions = card_renditions(CARD_RENDITION)
        pages = (
            CaseStudyPage.objects.filter(pk__in=ids)
            .defer_streamfields()
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
        """Every facet's options with counts: five aggregate queries, whatever the data.

        Each counts rows of a link table (or of the case studies) WHERE the case study is
        among the matches, grouped by option: a semi-join both SQLite and PostgreSQL plan
        well, where a COUNT ... FILTER over a subquery is evaluated row by row.
        """
        themes = self._count(
            "theme",
            THEMES.objects.filter(casestudypage_id__in=self._matching_pks("theme")),
            "theme__slug",
            "theme__name",
        )
        principles = self._count(
            "principle",
            PRINCIPLES.objects.filter(casestudypage_id__in=self._matching_pks("principle")),
            "principle__slug",
            "principle__title",
            "principle__sort_order",
        )
        councils = self._count_councils()
        nation_options, years = self._count_nations_and_years()
        options = {
            "theme": themes,
            "principle": principles,
            "council": councils,
            "nation": nation_options,
            "year": years,
        }
        return [
            Facet(name, *FACET_LABELS[name], self.active.get(name, ""), options[name])
            for name in FACETS
        ]

    def _count_nations_and_years(self) -> tuple[list[Option], list[Option]]:
        """Both facets from one GROUP BY nation, year over the matches ignoring both.

        Counting nations needs the year filter and counting years the nation filter; each
        is a sum over this one table's rows, so one query serves both.
        """
        nation, year = self.active.get("nation"), self.active.get("year")
        rows = list(
            self.matching(ignore=("nation", "year"))
            .order_by()
            .values_list("nation", "year")
            .annotate(n=Count("pk"))
        )
        nation_counts: dict[str, int] = {}
        year_counts: dict[int, int] = {}
        for row_nation, row_year, n in rows:
            if row_nation and (year is None or str(row_year) == year):
                nation_counts[row_nation] = nation_counts.get(row_nation, 0) + n
            if nation is None or row_nation == nation:
                year_counts[row_year] = year_counts.get(row_year, 0) + n
        nations = [
            Option(value, label, nation_counts.get(value, 0))
            for value, label in Nation.choices
            if nation_counts.get(value) or value == nation
        ]
        years = [Option(str(y), str(y), n) for y, n in sorted(year_counts.items(), reverse=True)]
        if year and year not in {option.value for option in years}:
            years.insert(0, Option(year, year, 0))
        return nations, years

    def _matching_pks(self, ignore: str) -> QuerySet:
        return self.matching(ignore=ignore).values("pk")

    def _count(
        self,
        name: str,
        rows: QuerySet,
        value_field: str,
        label_field: str,
        order_field: str | None = None,
    ) -> list[Option]:
        """One facet's options from a GROUP BY, in order; the selected one is kept even at zero."""
        fields = [value_field, label_field, order_field or label_field]
        grouped = rows.order_by().values_list(*dict.fromkeys(fields)).annotate(n=Count("pk"))
        # Rows are (value, label, [order,] n): sort by the order column, else the label.
        found = sorted(grouped, key=lambda row: row[-2])
        options = [Option(str(row[0]), str(row[1]), row[-1]) for row in found]
        selected = self.active.get(name)
        if selected and selected not in {option.value for option in options}:
            options.insert(0, Option(selected, self.labels[name], 0))
        return options

    def _count_councils(self) -> list[Option]:
        """Lead and participating councils (two queries); a lead listed twice counts once."""
        matching = self.matching(ignore="council")
        led = (
            matching.exclude(lead_council=None)
            .order_by()
            .values_list("lead_council__slug", "lead_council__name")
            .annotate(n=Count("pk"))
        )
        joined = (
            PARTICIPANTS.objects.filter(casestudypage_id__in=matching.values("pk"))
            .exclude(casestudypage__lead_council_id=F("membercouncil_id"))
            .order_by()
            .values_list("membercouncil__slug", "membercouncil__name")
            .annotate(n=Count("pk"))
        )
        counts: dict[tuple[str, str], int] = {}
        for slug, name, n in [*led, *joined]:
            counts[slug, name] = counts.get((slug, name), 0) + n
        options = [
            Option(slug, name, n)
            for (slug, name), n in sorted(counts.items(), key=lambda item: item[0][1])
        ]
        selected = self.active.get("council")
        if selected and selected not in {option.value for option in options}:
            options.insert(0, Option(selected, self.labels["council"], 0))
        return options

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
