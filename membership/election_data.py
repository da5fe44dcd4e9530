"""The election tables as rows: one source for the page's HTML tables, its CSV and JSON
downloads and the API (/api/v2/elections/), so none of them can say what the others do not.

A ``Dataset`` declares a table's columns once (key, label, type, meaning): the CSV header,
the JSON download's ``columns``, the API's items, the page's "About this data" section and
docs/election-data.md all read them. ``Row.values`` holds a record's cells, ready for JSON
(strings, whole numbers, booleans, ISO dates, ``None``); ``Row.record`` is the record the
page's template may also read for presentation (a date in words, a badge).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import HttpResponse, QueryDict
from django.utils.http import content_disposition_header

from caching.versions import remember
from home.listing import MAX_VALUE_LENGTH

from .listings import election_filters, results_table, summary_chart
from .models.elections import (
    NO_ELECTION,
    ControlChange,
    ControlType,
    CouncillorChange,
    ElectionResult,
    classify_outcome,
)
from .models.snippets import LISTED_TIERS, Nation
from .tables import Column, SortableTable

RESULTS = "results"
CONTROL_CHANGES = "control-changes"
COUNCILLOR_CHANGES = "councillor-changes"
FORMATS = ("csv", "json")

# The network's own compilation of its members' results ("Impact to CCIN"), when the page
# names no other source for them.
NETWORK = "Co-operative Councils' Innovation Network"
OPEN_COUNCIL_DATA = "Open Council Data UK"

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class DataColumn:
    """One column of a dataset: its key (CSV header, JSON and API name), what people call
    it, its type ("string", "integer", "boolean", "date", "url") and what it means."""

    key: str
    label: str
    type: str
    description: str
    nullable: bool = False


@dataclass(frozen=True)
class Dataset:
    key: str  # in addresses: results/csv/, /api/v2/elections/results/
    title: str
    filename: str  # the download's name, before the year and the extension
    columns: tuple[DataColumn, ...]
    source_name: str

    @property
    def column_keys(self) -> list[str]:
        return [column.key for column in self.columns]


@dataclass(frozen=True)
class Row:
    values: dict[str, Any]
    record: Any


MEMBER_COLUMNS = (
    DataColumn(
        "member_id",
        "Member id",
        "integer",
        "The member council's id in the members API (/api/v2/members/<id>/); empty where the "
        "council is not a member listed in the directory.",
        nullable=True,
    ),
    DataColumn(
        "member_slug",
        "Member slug",
        "string",
        "The member council's short name in this site's addresses; empty as for member_id.",
    ),
    DataColumn(
        "profile_url",
        "Member profile",
        "url",
        "The member council's profile on this site; empty as for member_id.",
    ),
)

# The columns both change tables start with.
CHANGE_COLUMNS = (
    DataColumn("id", "Id", "integer", "The record's id: stable, and its API address."),
    DataColumn("date", "Date", "date", "When the change happened (YYYY-MM-DD)."),
    DataColumn("council", "Council", "string", "The council as the source names it; any council."),
    DataColumn("is_member", "Member council", "boolean", "Whether the council is a CCIN member."),
    *MEMBER_COLUMNS,
)
DATASETS: dict[str, Dataset] = {
    RESULTS: Dataset(
        RESULTS,
        "Election results for member councils",
        "ccin-election-results",
        (
            DataColumn("id", "Id", "integer", "The record's id: stable, and its API address."),
            DataColumn("council", "Council", "string", "The member council's name."),
            *MEMBER_COLUMNS,
            DataColumn(
                "nation", "Nation", "string", "england, scotland, wales or northern-ireland."
            ),
            DataColumn("year", "Year", "integer", "The year of the elections."),
            DataColumn(
                "outcome",
                "Election result",
                "string",
                'As published, e.g. "Labour Hold", "No Party Maj (Lib Lab)"; "N/A" where the '
                "council had no election that year.",
            ),
            DataColumn(
                "outcome_type",
                "Result type",
                "string",
                'The result grouped for filtering: e.g. "labour-hold", "green-gain", '
                '"no-overall-control", "no-election". The outcome filter takes these.',
            ),
            DataColumn(
                "outcome_type_label",
                "Result type in words",
                "string",
                'e.g. "Labour hold", "No party majority", "No election in 2026".',
            ),
            DataColumn(
                "had_election", "Had an election", "boolean", "Whether the council had one."
            ),
            DataColumn(
                "control_before",
                "Make-up before the election",
                "string",
                'Who ran the council before, e.g. "Labour (Maj)", "Lab / Lib Dem Coal".',
            ),
            DataColumn(
                "next_election",
                "Next election",
                "string",
                'e.g. "May 2027"; "LGR 2027" means local government reorganisation in 2027.',
            ),
            DataColumn(
                "results_url", "Results", "url", "Where to read the full results, if known."
            ),
        ),
        NETWORK,
    ),
    CONTROL_CHANGES: Dataset(
        CONTROL_CHANGES,
        "Changes in control since the elections",
        "ccin-control-changes",
        (
            *CHANGE_COLUMNS,
            DataColumn(
                "control_type",
                "Control type",
                "string",
                "majority, administration or largest-group.",
            ),
            DataColumn(
                "control_type_label",
                "Control type in words",
                "string",
                "Majority, Administration or Largest group.",
            ),
            DataColumn(
                "from_control", "From", "string", 'Before, as the source writes it: "LAB", "NOC".'
            ),
            DataColumn("to_control", "To", "string", 'After: e.g. "NOC", "GRN min".'),
            DataColumn("changed", "Changed", "boolean", "Whether from and to differ."),
        ),
        f"{OPEN_COUNCIL_DATA}, control changes",
    ),
    COUNCILLOR_CHANGES: Dataset(
        COUNCILLOR_CHANGES,
        "Councillor changes since the elections",
        "ccin-councillor-changes",
        (
            *CHANGE_COLUMNS,
            DataColumn("ward", "Ward", "string", "The councillor's ward."),
            DataColumn("councillor", "Name", "string", "The councillor's name."),
            DataColumn(
                "from_party", "From", "string", 'Party before, e.g. "Labour Party", "Vacant".'
            ),
            DataColumn("to_party", "To", "string", 'Party after, e.g. "Reform UK", "Vacant".'),
        ),
        f"{OPEN_COUNCIL_DATA}, councillor changes",
    ),
}


# Rows ------------------------------------------------------------------------------------------


def member_values(member, profile_base: str) -> dict[str, Any]:
    """A member's id, slug and profile, only for members the directory lists: affiliates
    (who can be individuals) and supporters are never identified (as in the members API)."""
    if member is None or not (member.active and member.tier in LISTED_TIERS):
        return {"member_id": None, "member_slug": "", "profile_url": ""}
    return {
        "member_id": member.pk,
        "member_slug": member.slug,
        "profile_url": f"{profile_base}{member.slug}/" if profile_base else "",
    }


def result_rows(results: Iterable[ElectionResult], profile_base: str = "") -> list[Row]:
    """Results (with ``member`` selected) as rows; ``profile_base`` is the directory's URL."""
    rows = []
    for result in results:
        kind = classify_outcome(result.outcome)
        had_election = result.had_election
        values = {
            "id": result.pk,
            "council": result.member.name,
            **member_values(result.member, profile_base),
            "nation": result.member.nation,
            "year": result.year,
            "outcome": result.outcome_display if had_election else "N/A",
            "outcome_type": kind.key,
            "outcome_type_label": kind.label,
            "had_election": had_election,
            "control_before": result.control_before,
            "next_election": result.next_election_short,
            "results_url": result.results_url,
        }
        rows.append(Row(values, result))
    return rows


def control_rows(changes: Iterable[ControlChange], profile_base: str = "") -> list[Row]:
    """Control changes (with ``member`` selected) as rows."""
    return [
        Row(
            {
                "id": change.pk,
                "date": change.date.isoformat(),
                "council": change.council_name,
                "is_member": change.member_id is not None,
                **member_values(change.member, profile_base),
                "control_type": change.control_type,
                "control_type_label": change.get_control_type_display(),
                "from_control": change.from_control,
                "to_control": change.to_control,
                "changed": change.changed,
            },
            change,
        )
        for change in changes
    ]


def councillor_rows(changes: Iterable[CouncillorChange], profile_base: str = "") -> list[Row]:
    """Councillor changes (with ``member`` selected) as rows."""
    return [
        Row(
            {
                "id": change.pk,
                "date": change.date.isoformat(),
                "council": change.council_name,
                "is_member": change.member_id is not None,
                **member_values(change.member, profile_base),
                "ward": change.ward,
                "councillor": change.councillor,
                "from_party": change.from_party,
                "to_party": change.to_party,
            },
            change,
        )
        for change in changes
    ]


ROW_BUILDERS: dict[str, Callable[[Iterable, str], list[Row]]] = {
    RESULTS: result_rows,
    CONTROL_CHANGES: control_rows,
    COUNCILLOR_CHANGES: councillor_rows,
}


# Source and as-of date ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    name: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "url": self.url}


def sources(page, page_url: str = "") -> dict[str, Source]:
    """Where each table comes from, as the page's source fields say (the results, when the
    page names no other source, are the network's own table at ``page_url``). With no live
    page (``None``) only the names are known."""
    results_url = page.results_source_url if page else ""
    return {
        RESULTS: Source("Published results" if results_url else NETWORK, results_url or page_url),
        CONTROL_CHANGES: Source(
            DATASETS[CONTROL_CHANGES].source_name,
            page.control_changes_source_url if page else "",
        ),
        COUNCILLOR_CHANGES: Source(
            DATASETS[COUNCILLOR_CHANGES].source_name,
            page.councillor_changes_source_url if page else "",
        ),
    }


def _newest_change() -> str:
    """The newest date in either change table (one query), as ISO text; "" if none."""
    dates = ControlChange.objects.order_by().values_list("date", flat=True)
    others = CouncillorChange.objects.order_by().values_list("date", flat=True)
    newest = dates.union(others).order_by("-date").first()
    return newest.isoformat() if newest else ""


def as_of() -> date | None:
    """The date the data runs to: the newest change in either change table (the results
    are the elections' own; the changes since are recorded up to this day). None if the
    tables hold no changes yet. Remembered until election data next changes."""
    text = remember("election-data:as-of", _newest_change) or ""
    return date.fromisoformat(text) if text else None


# The page's tables -------------------------------------------------------------------------------


def outcome_summary(year_results: QuerySet[ElectionResult]) -> tuple[list, bool]:
    """The summary (as ``ElectionResultQuerySet.summary``: counts by outcome type, largest
    first, "no election" last) and whether any result has a results link, in one query."""
    pairs = list(year_results.order_by().values_list("outcome", "results_url"))
    counts = Counter(classify_outcome(outcome) for outcome, _url in pairs)
    summary = sorted(
        counts.items(),
        key=lambda item: (item[0].key == NO_ELECTION, -item[1], item[0].label),
    )
    return summary, any(url for _outcome, url in pairs)


def page_tables(
    params: QueryDict,
    *,
    year: int,
    base_url: str,
    profile_base: str,
    result_columns: list[Column],
    control_columns: list[Column],
    councillor_columns: list[Column],
) -> dict:
    """Everything the elections page shows for this request, its tables as rows: the
    filters, the summary chart, the three tables filtered and sorted as asked, and the date
    the data runs to (``as_of``). The downloads call this too, so they hold exactly the rows
    the page shows.

    ``result_columns`` without the "results" column when no result has a link
    (``has_results_links`` says); the page shows no column of dashes.
    """
    year_results = ElectionResult.objects.for_year(year)
    summary, has_links = outcome_summary(year_results)
    if not has_links:
        result_columns = [column for column in result_columns if column.key != "results"]
    filters = election_filters(params, base_url, summary)
    results = results_table(params, year_results, filters, result_columns)
    control = SortableTable(
        params, param="csort", columns=control_columns, default="-date", anchor="control-changes"
    )
    councillors = SortableTable(
        params,
        param="ksort",
        columns=councillor_columns,
        default="-date",
        anchor="councillor-changes",
    )
    control_changes = ControlChange.objects.select_related("member").order_by(*control.ordering)
    councillor_changes = CouncillorChange.objects.select_related("member").order_by(
        *councillors.ordering
    )
    members_only = ["members_only"]
    control_list = control_rows(filters.narrow(control_changes, only=members_only), profile_base)
    councillor_list = councillor_rows(
        filters.narrow(councillor_changes, only=members_only), profile_base
    )
    if "members_only" in filters.applied:
        day = as_of()
    else:  # every change is on the page: the newest of them, without asking again
        dates = [row.record.date for row in (*control_list, *councillor_list)]
        day = max(dates, default=None)
    return {
        "filters": filters,
        "active_filters": filters.active,
        **summary_chart(summary, year),
        **results,
        "results": result_rows(results["results"], profile_base),
        "has_results_links": has_links,
        "result_column_count": len(result_columns),
        "control_changes": control_list,
        "control_headers": control.headers(),
        "councillor_changes": councillor_list,
        "councillor_headers": councillors.headers(),
        "members_only": "members_only" in filters.applied,
        "as_of": day,
    }


# Which context key holds each table's rows, and which sort parameter orders it.
PAGE_ROWS = {
    RESULTS: "results",
    CONTROL_CHANGES: "control_changes",
    COUNCILLOR_CHANGES: "councillor_changes",
}
SORT_PARAMS = {RESULTS: "sort", CONTROL_CHANGES: "csort", COUNCILLOR_CHANGES: "ksort"}
# The page's filters that narrow each table.
TABLE_FILTERS = {
    RESULTS: ("outcome", "nation"),
    CONTROL_CHANGES: ("members_only",),
    COUNCILLOR_CHANGES: ("members_only",),
}


def download_query(params: QueryDict, filters, dataset: str) -> str:
    """The query string for a table's download links: the filters that narrow it and its sort."""
    pairs = [(name, bound.value) for name, bound in filters.applied.items()]
    pairs = [(name, value) for name, value in pairs if name in TABLE_FILTERS[dataset]]
    sort = params.get(SORT_PARAMS[dataset])
    if sort:
        pairs.append((SORT_PARAMS[dataset], sort[:40]))
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query[name] = value
    return query.urlencode()


# Files -------------------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A CSV cell: booleans as true/false, None as empty, and text a spreadsheet would run as
    a formula ("=HYPERLINK(…)", "+1", "-2", "@SUM") neutralised with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(dataset: Dataset, rows: list[Row], source: Source, as_of_date: date | None) -> str:
    """The CSV: a header row of column keys, then one line per row; each line also says its
    source and as-of date, so a copy passed on without this site still says both."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*dataset.column_keys, "source", "as_of"])
    tail = [safe_cell(source.url or source.name), as_of_date.isoformat() if as_of_date else ""]
    for row in rows:
        writer.writerow([*(safe_cell(row.values[key]) for key in dataset.column_keys), *tail])
    return out.getvalue()


def schema(dataset: Dataset) -> list[dict[str, Any]]:
    return [
        {
            "key": column.key,
            "label": column.label,
            "type": column.type,
            "nullable": column.nullable,
            "description": column.description,
        }
        for column in dataset.columns
    ]


def json_document(
    dataset: Dataset,
    rows: list[Row],
    source: Source,
    as_of_date: date | None,
    filters: Mapping[str, str],
) -> dict[str, Any]:
    """The JSON download: what it is, where from, as of when, its columns and its rows."""
    return {
        "title": dataset.title,
        "source": source.as_dict(),
        "as_of": as_of_date.isoformat() if as_of_date else None,
        "filters": dict(filters),
        "count": len(rows),
        "columns": schema(dataset),
        "rows": [{key: row.values[key] for key in dataset.column_keys} for row in rows],
    }


def download_response(
    dataset: Dataset,
    rows: list[Row],
    fmt: str,
    *,
    source: Source,
    as_of_date: date | None,
    filters: Mapping[str, str],
    year: int,
) -> HttpResponse:
    """A CSV or JSON attachment of ``rows``, named for the table, the year and its filters."""
    suffix = "".join(f"-{value}" for value in filters.values() if value != "1")
    if filters.get("members_only"):
        suffix += "-members"
    filename = f"{dataset.filename}-{year}{suffix}.{fmt}"
    if fmt == "csv":
        # The byte-order mark lets Excel, which many councils open these in, read UTF-8.
        body = "\ufeff" + csv_text(dataset, rows, source, as_of_date)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8; header=present")
    else:
        document = json_document(dataset, rows, source, as_of_date, filters)
        body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The API's filters -------------------------------------------------------------------------------


class BadFilter(ValueError):
    """A filter value that names nothing; the message says what would have."""


def _choose(name: str, value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise BadFilter(f"field filter error. {name} must be one of: {', '.join(allowed)}")
    return value


def _year(value: str) -> int:
    if not value.isdigit() or len(value) != 4:
        raise BadFilter("field filter error. year must be a four-digit year, e.g. 2026")
    return int(value)


MEMBERS_ONLY_VALUES = {"1": True, "true": True, "0": False, "false": False}

API_FILTERS = {
    RESULTS: ("year", "outcome", "nation", "council"),
    CONTROL_CHANGES: ("year", "council", "members_only", "control_type"),
    COUNCILLOR_CHANGES: ("year", "council", "members_only"),
}
API_ORDER = {
    RESULTS: {
        "council": ("member__name", "-year"),
        "year": ("year", "member__name"),
        "outcome": ("outcome", "outcome_detail", "member__name"),
    },
    CONTROL_CHANGES: {
        "date": ("date", "council_name", "id"),
        "council": ("council_name", "date", "id"),
        "id": ("id",),
    },
    COUNCILLOR_CHANGES: {
        "date": ("date", "council_name", "id"),
        "council": ("council_name", "date", "id"),
        "councillor": ("councillor", "id"),
        "id": ("id",),
    },
}
API_DEFAULT_ORDER = {RESULTS: "council", CONTROL_CHANGES: "-date", COUNCILLOR_CHANGES: "-date"}

MODELS = {
    RESULTS: ElectionResult,
    CONTROL_CHANGES: ControlChange,
    COUNCILLOR_CHANGES: CouncillorChange,
}


def api_ordering(dataset: str, raw: str | None) -> list[str]:
    options = API_ORDER[dataset]
    value = raw or API_DEFAULT_ORDER[dataset]
    key = value.removeprefix("-")
    if key not in options:
        allowed = ", ".join(f"{name}, -{name}" for name in options)
        raise BadFilter(f"order must be one of: {allowed}")
    fields = options[key]
    if value.startswith("-"):
        return [name[1:] if name.startswith("-") else f"-{name}" for name in fields]
    return list(fields)


def _outcome_types() -> list[str]:
    outcomes = ElectionResult.objects.values_list("outcome", flat=True).distinct()
    return sorted({classify_outcome(outcome).key for outcome in outcomes})


def _listed_member_slugs(model) -> list[str]:
    """The listed members that have a row in ``model``'s table: what ``council`` takes."""
    listed = model.objects.filter(member__active=True, member__tier__in=LISTED_TIERS)
    return sorted(set(listed.values_list("member__slug", flat=True)))


def shown_years() -> frozenset[int]:
    """Election years with a live, public elections page: the API serves only rows the site
    shows (a draft or unpublished year's page keeps its rows private too)."""

    def read() -> frozenset[int]:
        # By name: the page model's module imports this one.
        page_model = apps.get_model("membership", "ElectionOutcomesPage")
        pages = page_model.objects.live().public()
        return frozenset(pages.values_list("election_year", flat=True))

    return remember("elections:shown-years", read)


def shown_records(dataset: str) -> QuerySet:
    """A table's rows of the years the site shows."""
    years = shown_years()
    by_year = Q(year__in=years) if dataset == RESULTS else Q(date__year__in=years)
    return MODELS[dataset].objects.filter(by_year)


def api_records(dataset: str, params: Mapping[str, str]) -> tuple[QuerySet | list, dict[str, str]]:
    """The records the API's filters keep, in the order asked for, and the filters applied.

    The changes come back as a queryset, so a page of them is one slice; the results, when
    filtered by outcome type (worked out in Python, as on the page), as a list.
    Raises ``BadFilter`` for a value that names nothing, before any is applied.
    """
    model = MODELS[dataset]
    ordering = api_ordering(dataset, params.get("order"))
    records = shown_records(dataset).select_related("member").order_by(*ordering)
    applied: dict[str, str] = {}
    outcome = ""
    for name in API_FILTERS[dataset]:
        value = params.get(name) or ""
        if not value:
            continue
        if not value.isprintable() or len(value) > MAX_VALUE_LENGTH:
            raise BadFilter(f"field filter error. that is not a valid value for {name}")
        if name == "year":
            year = _year(value)
            by_year = Q(year=year) if dataset == RESULTS else Q(date__year=year)
            records = records.filter(by_year)
        elif name == "nation":
            records = records.filter(member__nation=_choose(name, value, Nation.values))
        elif name == "control_type":
            records = records.filter(control_type=_choose(name, value, ControlType.values))
        elif name == "members_only":
            if MEMBERS_ONLY_VALUES[_choose(name, value, MEMBERS_ONLY_VALUES)]:
                records = records.filter(member__isnull=False)
        elif name == "council":
            records = records.filter(member__slug=_choose(name, value, _listed_member_slugs(model)))
        elif name == "outcome":
            outcome = _choose(name, value, _outcome_types())
        applied[name] = value
    if outcome:
        records = [r for r in records if classify_outcome(r.outcome).key == outcome]
    return records, applied
