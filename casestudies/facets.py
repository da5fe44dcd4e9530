"""Search and facets for the case study library, in a fixed number of SQL queries.

Each facet counts the case studies that match the search and every *other* active
filter (so choosing a theme never hides the other themes), with one aggregate query
per facet rather than one per option.
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
from wagtail.images import get_image_model

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

    def matching(self, *, ignore: str | None = None) -> QuerySet[CaseStudyPage]:
        """Case studies matching the search and every active filter except ``ignore``."""
        queryset = self.base
        if self.search_ids is not None:
            queryset = queryset.filter(pk__in=self.search_ids)
        for name, value in self.active.items():
            if name != ignore:
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
        renditions = (
            get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_RENDITION)
        )
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
        facets = {
            name: Facet(name, *FACET_LABELS[name], selected=self.active.get(name, ""))
            for name in FACETS
        }
        self._count_related(facets["theme"], Theme, "case_studies", "name")
        self._count_related(facets["principle"], Principle, "case_studies", "title")
        self._count_councils(facets["council"])
        nations = dict(
            self.matching(ignore="nation")
            .exclude(nation="")
            .order_by()
            .values_list("nation")
            .annotate(n=Count("pk"))
        )
        facets["nation"].options = [
            Option(value, label, nations.get(value, 0))
            for value, label in Nation.choices
            if nations.get(value) or value == self.active.get("nation")
        ]
        years = (
            self.matching(ignore="year")
            .order_by("-year")
            .values_list("year")
            .annotate(n=Count("pk"))
        )
        facets["year"].options = [Option(str(year), str(year), n) for year, n in years]
        if "year" in self.active and self.active["year"] not in {
            o.value for o in facets["year"].options
        }:
            facets["year"].options.insert(0, Option(self.active["year"], self.active["year"], 0))
        return list(facets.values())

    def _count_related(self, facet: Facet, model, relation: str, label_field: str) -> None:
        matching = self.matching(ignore=facet.name).values("pk")
        rows = model.objects.annotate(
            n=Count(relation, filter=Q(**{f"{relation}__in": matching}))
        ).values_list("slug", label_field, "n")
        facet.options = [
            Option(slug, label, n) for slug, label, n in rows if n or slug == facet.selected
        ]

    def _count_councils(self, facet: Facet) -> None:
        """Lead and participating councils in one query; a lead listed twice counts once."""
        matching = self.matching(ignore="council").values("pk")
        rows = (
            MemberCouncil.objects.annotate(
                led=Count(
                    "case_studies_led",
                    filter=Q(case_studies_led__in=matching),
                    distinct=True,
                ),
                joined=Count(
                    "case_studies_joined",
                    filter=Q(case_studies_joined__in=matching)
                    & ~Q(case_studies_joined__lead_council=F("pk")),
                    distinct=True,
                ),
            )
            .filter(Q(led__gt=0) | Q(joined__gt=0) | Q(slug=facet.selected))
            .order_by("name")
            .values_list("slug", "name", "led", "joined")
        )
        facet.options = [Option(slug, name, led + joined) for slug, name, led, joined in rows]

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
