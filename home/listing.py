"""Listings: the pieces every paginated, filtered page of the site shares.

A listing declares its filters once (``Filter``): the name in the address, the label, and
what a chosen value keeps, as SQL (``where``, a ``Q``) and, for listings that filter a
remembered snapshot in Python, as the ids it keeps there (``picks``), side by side so the
two cannot say different things. Per request, ``FilterSet`` reads ``request.GET`` against
the valid choices and gives the applied filters, the chips that remove them, the query
string for pagination links and what the address named that does not exist.

One policy for bad values, on every listing: an empty value means "all"; a repeated
parameter counts by its last value (as ``QueryDict.get``); a value that is over-long or
names no choice is not applied, the page says so (``unknown``) and answers 404, so
crawlers and the page cache drop the address; the other filters still apply. Parameters
that are not filters are the page's own business (``page`` is clamped by ``paginate``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, KeysView, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseNotFound, QueryDict
from django.utils.html import format_html_join
from django.utils.http import urlencode

# No choice is longer; anything longer is junk, not worth matching.
MAX_VALUE_LENGTH = 100
# No listing has this many pages; a bigger number is the last page, like any past the end.
MAX_PAGE_NUMBER = 100_000
# How much of an unknown value the notice repeats.
SHOWN_VALUE_LENGTH = 40


def page_number(raw: str | None) -> int:
    """A 1-based page number from the query string; junk means the first page."""
    try:
        # Capped: a number past every real page must not overflow the database's integers.
        return min(max(1, int(raw or 1)), MAX_PAGE_NUMBER)
    except ValueError:
        return 1


def paginate(items, per_page: int, raw_page: str | None) -> PaginatorPage:
    """One page of ``items``: junk means the first page, past the end the last one."""
    paginator = Paginator(items, per_page)
    return paginator.page(min(page_number(raw_page), paginator.num_pages))


# Declarations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One value a filter accepts: ``value`` as in the address, ``label`` as people read it,
    ``count`` shown beside it when known, and ``target``, what ``where`` and ``picks`` are
    given (an id or a record; the value itself when None)."""

    value: str
    label: str
    count: int | None = None
    target: Any = None

    @property
    def key(self) -> Any:
        return self.value if self.target is None else self.target


@dataclass(frozen=True)
class Filter:
    """A listing's filter. ``where(target)`` is the SQL condition a chosen value adds;
    ``picks(snapshot, target)`` the ids of a remembered snapshot it keeps."""

    name: str
    label: str
    plural: str  # "themes": "All themes", "so all themes are shown"
    where: Callable[[Any], Q] | None = None
    picks: Callable[[Any, Any], Collection[int]] | None = None
    all_label: str = ""  # the empty option's text, when not "All <plural>"
    noun: str = ""  # what the notice calls it, when not the label in lower case
    checkbox: bool = False  # one choice, shown as a checkbox

    @property
    def everything(self) -> str:
        return self.all_label or f"All {self.plural}"

    def unknown(self, value: str) -> UnknownValue:
        return UnknownValue(self, value)


@dataclass(frozen=True)
class SearchBox:
    """A listing's free-text search, kept in its links and shown as a chip like a filter.

    ``value`` is the query as the app cleaned it (home knows nothing of search)."""

    value: str
    name: str = "q"
    label: str = "Search"
    chip: str = "Search"
    max_length: int = 200


# What a request asked for --------------------------------------------------------------------


@dataclass(frozen=True)
class UnknownValue:
    """A value the address gave a filter that names nothing."""

    filter: Filter
    value: str

    @property
    def shown(self) -> str:
        printable = "".join(ch if ch.isprintable() else " " for ch in self.value).strip()
        if len(printable) > SHOWN_VALUE_LENGTH:
            return printable[:SHOWN_VALUE_LENGTH] + "…"
        return printable

    @property
    def reason(self) -> str:
        """For feeds: "We don't recognise the theme “xyz”."."""
        noun = self.filter.noun or self.filter.label.lower()
        return f"We don't recognise the {noun} “{self.shown}”."

    @property
    def message(self) -> str:
        """For listings, which go on without it."""
        return f"{self.reason[:-1]}, so all {self.filter.plural} are shown."


@dataclass(frozen=True)
class ActiveFilter:
    """A chip: "Theme: Housing", with the address of the listing without it."""

    label: str
    remove_url: str

    def __getitem__(self, key: str) -> str:  # templates and tests read chips as dicts too
        return getattr(self, key)


@dataclass
class BoundFilter:
    """One filter for this request: its valid choices, what is shown, what was chosen."""

    filter: Filter
    choices: dict[str, Choice]
    chosen: Choice | None = None
    options: list[Choice] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.filter.name

    @property
    def label(self) -> str:
        return self.filter.label

    @property
    def everything(self) -> str:
        return self.filter.everything

    @property
    def checkbox(self) -> bool:
        return self.filter.checkbox

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def value(self) -> str:
        """The chosen value, or "" for all."""
        return self.chosen.value if self.chosen else ""

    @property
    def target(self) -> Any:
        return self.chosen.key if self.chosen else None

    @property
    def on_value(self) -> str:
        """A checkbox's value: its one choice."""
        return next(iter(self.choices), "")

    @property
    def options_html(self) -> str:
        """The ``<option>``s after "All …": "Label (count)", the chosen one selected.

        Written here rather than looped over in the template: with 140 councils a template
        loop was most of the library's rendering time. Every value is escaped.
        """
        selected = self.value
        return format_html_join(
            "\n",
            '<option value="{}"{}>{}{}</option>',
            (
                (
                    option.value,
                    " selected" if option.value == selected else "",
                    option.label,
                    "" if option.count is None else f" ({option.count})",
                )
                for option in self.options
            ),
        )


class FilterSet:
    """The filters of one listing for one request.

    ``choices`` gives each filter's valid values in the order the form lists them.
    ``base_url`` is the listing's address, ``fragment`` an anchor its links end with.
    Iterate for the form's filters; ``set[name]`` for one of them.
    """

    def __init__(
        self,
        params: QueryDict | Mapping[str, str],
        filters: Sequence[Filter],
        choices: Mapping[str, Iterable[Choice]],
        *,
        base_url: str,
        search: SearchBox | None = None,
        fragment: str = "",
    ):
        self.base_url = base_url or ""
        self.fragment = f"#{fragment}" if fragment else ""
        self.search = search if search and search.value else None
        self.search_box = search
        self.bound: dict[str, BoundFilter] = {}
        self.unknown: list[UnknownValue] = []
        for declared in filters:
            valid = {choice.value: choice for choice in choices.get(declared.name, ())}
            bound = BoundFilter(declared, valid, options=list(valid.values()))
            raw = (params.get(declared.name) or "").strip()
            if raw:
                bound.chosen = valid.get(raw) if len(raw) <= MAX_VALUE_LENGTH else None
                if bound.chosen is None:
                    self.unknown.append(declared.unknown(raw))
            self.bound[declared.name] = bound
        # The filters with a valid value, in declaration order.
        self.applied = {name: bound for name, bound in self.bound.items() if bound.chosen}
        self._picked: dict[str, set[int]] = {}
        self._snapshot: Any = None

    def __iter__(self):
        return iter(self.bound.values())

    def __getitem__(self, name: str) -> BoundFilter:
        return self.bound[name]

    @property
    def labels(self) -> list[str]:
        """The chosen values in words ("Housing", "Scotland"), for titles."""
        return [bound.chosen.label for bound in self.applied.values()]

    # Narrowing ------------------------------------------------------------------------------

    def _selected(self, only, ignore) -> list[BoundFilter]:
        ignored = (ignore,) if isinstance(ignore, str) else tuple(ignore)
        names = self.applied if only is None else [n for n in only if n in self.applied]
        return [self.bound[name] for name in names if name not in ignored]

    def narrow(self, queryset: QuerySet, *, only=None, ignore=()) -> QuerySet:
        """The queryset with the applied filters' SQL (all, or ``only`` these, but ``ignore``)."""
        for bound in self._selected(only, ignore):
            queryset = queryset.filter(bound.filter.where(bound.target))
        return queryset

    def pick(self, snapshot: Any, ids: Iterable[int], *, only=None, ignore=()) -> set[int]:
        """Those of ``ids`` that the applied filters keep in ``snapshot`` (each filter's ids
        are worked out once per request). Intersected smallest first, so the cost follows
        the fewest ids any filter keeps, not the size of ``ids``."""
        if snapshot is not self._snapshot:
            self._snapshot, self._picked = snapshot, {}
        kept_by = []
        for bound in self._selected(only, ignore):
            if bound.name not in self._picked:
                self._picked[bound.name] = frozenset(bound.filter.picks(snapshot, bound.target))
            kept_by.append(self._picked[bound.name])
        if not kept_by:
            return set(ids)
        kept_by.sort(key=len)
        kept = set(kept_by[0])
        for other in kept_by[1:]:
            kept &= other
        within = ids if isinstance(ids, (set, frozenset, KeysView)) else set(ids)
        return {pk for pk in kept if pk in within}

    # Counts ---------------------------------------------------------------------------------

    def count(self, name: str, counts: Mapping[Any, int], *, hide_empty: bool = False) -> None:
        """Show each of a filter's options with its count (keyed by target); with
        ``hide_empty``, only those with some, and the chosen one."""
        bound = self.bound[name]
        options = []
        for choice in bound.choices.values():
            n = counts.get(choice.key, 0)
            if n or not hide_empty or choice is bound.chosen:
                options.append(replace(choice, count=n))
        bound.options = options

    # Addresses ------------------------------------------------------------------------------

    def params(self, *, without: str | None = None) -> list[tuple[str, str]]:
        """The search and applied filters as query parameters (``without`` one of them)."""
        pairs = []
        if self.search and without != self.search.name:
            pairs.append((self.search.name, self.search.value))
        pairs += [(name, b.value) for name, b in self.applied.items() if name != without]
        return pairs

    @property
    def query_string(self) -> str:
        """For pagination links and feeds: the search and applied filters, no page."""
        return urlencode(self.params())

    def url(self, *, without: str | None = None) -> str:
        """The listing with the search and applied filters (``without`` one)."""
        query = urlencode(self.params(without=without))
        return f"{self.base_url}{'?' + query if query else ''}{self.fragment}"

    @property
    def action(self) -> str:
        return f"{self.base_url}{self.fragment}"

    @property
    def clear_url(self) -> str:
        return self.action

    @cached_property
    def active(self) -> list[ActiveFilter]:
        """A chip for the search and each applied filter, each removing just that one."""
        chips = []
        if self.search:
            label = f"{self.search.chip}: {self.search.value}"
            chips.append(ActiveFilter(label, self.url(without=self.search.name)))
        for name, bound in self.applied.items():
            label = bound.label if bound.checkbox else f"{bound.label}: {bound.chosen.label}"
            chips.append(ActiveFilter(label, self.url(without=name)))
        return chips

    def not_found(self) -> HttpResponse:
        """For feeds: a plain 404 saying which values were not recognised."""
        return not_found(self.unknown)


def not_found(unknown: Iterable[UnknownValue]) -> HttpResponse:
    """A plain-text 404 naming the values not recognised (a feed of "everything" would
    surprise someone who asked for one theme)."""
    text = "\n".join(value.reason for value in unknown) + "\n"
    return HttpResponseNotFound(text, content_type="text/plain; charset=utf-8")


class FilteredListingMixin:
    """For a page whose listing reads a ``FilterSet`` into its context as ``filters``: an
    address naming an unknown value still shows the page, with its notice, as a 404."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        filters = (getattr(response, "context_data", None) or {}).get("filters")
        if isinstance(filters, FilterSet) and filters.unknown:
            response.status_code = 404
        return response
