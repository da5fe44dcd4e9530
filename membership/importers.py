"""Import election tables from CSV in the layout of the seed's tables and opencouncildata.

Every row is checked before anything is written; one bad row means nothing is
imported, and each bad row is reported with its line number. Importing the same
file again changes nothing.

Layouts (header names are matched loosely: case, spaces and punctuation are ignored):

* ``results``: Council, Election 26 (the outcome, e.g. "No Party Maj (Lib Lab)"),
  Make Up on 6 May 26, Next election, Results (a link; optional)
* ``control``: Date, Council, Control Type, From, [">"], To. As on opencouncildata, a row
  with no date and council continues the council above it.
* ``councillors``: Date, Council, Ward, Name, From, To
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from .models import (
    ControlChange,
    ControlType,
    CouncillorChange,
    ElectionResult,
    MemberCouncil,
)

KINDS = ("results", "control", "councillors")
DATE_FORMATS = ("%d %b %y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y")
OUTCOME_WITH_DETAIL = re.compile(r"^(?P<outcome>.*?)\s*\((?P<detail>[^()]*)\)\s*$")
COUNCIL_PREFIXES = ("royal borough of ", "london borough of ", "city of ")
COUNCIL_SUFFIXES = (
    " metropolitan borough council",
    " borough council",
    " district council",
    " county council",
    " city council",
    " combined authority",
    " council",
)

# Canonical column → header spellings accepted (compared after normalise_header()).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "results": {
        "council": ("council", "", "member", "name"),
        "outcome": ("election26", "election", "outcome", "result", "election2026"),
        "control_before": ("makeupon6may26", "makeup", "makeupbefore", "controlbefore"),
        "next_election": ("nextelection",),
        "results_url": ("results", "resultslink", "link", "url"),
    },
    "control": {
        "date": ("date",),
        "council": ("council",),
        "control_type": ("controltype", "type"),
        "from": ("from",),
        "to": ("to",),
    },
    "councillors": {
        "date": ("date",),
        "council": ("council",),
        "ward": ("ward",),
        "name": ("name", "councillor"),
        "from": ("from",),
        "to": ("to",),
    },
}
OPTIONAL_COLUMNS = {"results_url", "next_election", "control_before"}


class ImportFailed(Exception):
    """The file had bad rows; ``errors`` lists them by line, and nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was imported.")
        self.errors = errors


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    unmatched_councils: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


@dataclass
class Row:
    line: int
    key: dict
    values: dict


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def parse_date(raw: str) -> date:
    text = " ".join(raw.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f'"{raw}" is not a date like "06 Jun 26" or "2026-06-06"')


def short_council_name(name: str) -> str:
    """ "Birmingham City Council" → "birmingham", as opencouncildata names councils."""
    text = " ".join(name.lower().split())
    for prefix in COUNCIL_PREFIXES:
        text = text.removeprefix(prefix)
    for suffix in COUNCIL_SUFFIXES:
        if text.endswith(suffix):
            return text.removesuffix(suffix)
    return text


class MemberMatcher:
    """Finds the member council a table means, by full name, slug, short name or alias.

    ``aliases`` maps another spelling of a name (e.g. a published table's typo,
    "Middlesborough Council") to the member's own name ("Middlesbrough Council").
    """

    def __init__(self, members: Iterable[MemberCouncil], aliases: Mapping[str, str] | None = None):
        self.exact: dict[str, MemberCouncil] = {}
        short: dict[str, list[MemberCouncil]] = {}
        for member in members:
            self.exact[member.name.lower()] = member
            self.exact[member.slug.lower()] = member
            short.setdefault(short_council_name(member.name), []).append(member)
        for alias, name in (aliases or {}).items():
            member = self.exact.get(" ".join(name.split()).lower())
            if member is not None:
                self.exact.setdefault(" ".join(alias.split()).lower(), member)
                short.setdefault(short_council_name(alias), []).append(member)
        # A short name that could mean two members matches neither.
        self.short = {
            name: found[0] for name, found in short.items() if len({m.pk for m in found}) == 1
        }

    def __call__(self, name: str) -> MemberCouncil | None:
        text = " ".join(name.split()).lower()
        return self.exact.get(text) or self.short.get(short_council_name(text))


def _read(stream: IO[str], kind: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows as (line number, {canonical column: value}) and any header errors."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return [], ["line 1: the file is empty; it needs a header row."]
    wanted = COLUMNS[kind]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        normal = normalise_header(name)
        for column, spellings in wanted.items():
            if column not in positions and normal in spellings:
                positions[column] = index
                break
    missing = [c for c in wanted if c not in positions and c not in OPTIONAL_COLUMNS]
    if missing:
        expected = ", ".join(missing)
        return [], [f"line 1: the header is missing the column(s): {expected}."]
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = {
            column: (values[index].strip() if index < len(values) else "")
            for column, index in positions.items()
        }
        rows.append((line, row))
    return rows, []


def _parse_results(rows, year: int, match: MemberMatcher, report: ImportReport):
    parsed, errors = [], []
    url_validator = URLValidator(schemes=["http", "https"])
    for line, row in rows:
        problems = []
        member = match(row["council"]) if row["council"] else None
        if not row["council"]:
            problems.append("the council is empty")
        elif member is None:
            problems.append(f'there is no member council called "{row["council"]}"')
        raw_outcome = row["outcome"]
        detail = ""
        found = OUTCOME_WITH_DETAIL.match(raw_outcome)
        if found:
            raw_outcome, detail = found["outcome"], found["detail"].strip()
        if not raw_outcome:
            problems.append('the outcome is empty (use "N/A" where there was no election)')
        url = row.get("results_url", "")
        if url.lower() == "results":
            url = ""  # the published table's link text, without its address
        if url:
            try:
                url_validator(url)
            except ValidationError:
                problems.append(f'the results link "{url}" is not a web address')
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems) + ".")
            continue
        parsed.append(
            Row(
                line,
                key={"member": member, "year": year},
                values={
                    "outcome": raw_outcome,
                    "outcome_detail": detail,
                    "control_before": row.get("control_before", ""),
                    "next_election": row.get("next_election", ""),
                    "results_url": url,
                },
            )
        )
    return parsed, errors


CONTROL_TYPES = {
    **{normalise_header(label): value for value, label in ControlType.choices},
    **{normalise_header(value): value for value in ControlType.values},
}


def _parse_control(rows, year: int, match: MemberMatcher, report: ImportReport):
    parsed, errors = [], []
    last_date_text, last_council = "", ""
    for line, row in rows:
        problems = []
        # A continuation row (no date and council) belongs to the council above it.
        date_text = row["date"] or (last_date_text if not row["council"] else "")
        council = row["council"] or last_council
        last_date_text, last_council = date_text, council
        when = None
        if not date_text:
            problems.append("the date is empty")
        else:
            try:
                when = parse_date(date_text)
            except ValueError as error:
                problems.append(str(error))
        if not council:
            problems.append("the council is empty")
        control_type = CONTROL_TYPES.get(normalise_header(row["control_type"]))
        if control_type is None:
            problems.append(
                f'the control type "{row["control_type"]}" is not one of '
                "Majority, Administration or Largest Group"
            )
        for column in ("from", "to"):
            if not row[column]:
                problems.append(f'"{column}" is empty')
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems) + ".")
            continue
        member = match(council)
        if member is None:
            report.unmatched_councils.add(council)
        parsed.append(
            Row(
                line,
                key={"date": when, "council_name": council, "control_type": control_type},
                values={"member": member, "from_control": row["from"], "to_control": row["to"]},
            )
        )
    return parsed, errors


def _parse_councillors(rows, year: int, match: MemberMatcher, report: ImportReport):
    parsed, errors = [], []
    for line, row in rows:
        problems = []
        when = None
        try:
            when = parse_date(row["date"]) if row["date"] else None
        except ValueError as error:
            problems.append(str(error))
        for column in ("date", "council", "ward", "name", "from", "to"):
            if not row[column]:
                problems.append(f'"{column}" is empty')
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems) + ".")
            continue
        member = match(row["council"])
        if member is None:
            report.unmatched_councils.add(row["council"])
        parsed.append(
            Row(
                line,
                key={
                    "date": when,
                    "council_name": row["council"],
                    "ward": row["ward"],
                    "councillor": row["name"],
                    "from_party": row["from"],
                    "to_party": row["to"],
                },
                values={"member": member},
            )
        )
    return parsed, errors


PARSERS: dict[str, tuple[type, Callable]] = {
    "results": (ElectionResult, _parse_results),
    "control": (ControlChange, _parse_control),
    "councillors": (CouncillorChange, _parse_councillors),
}


def import_csv(
    stream: IO[str], kind: str, *, year: int = 2026, aliases: Mapping[str, str] | None = None
) -> ImportReport:
    """Check every row, then write them all in one transaction (or raise ImportFailed).

    ``aliases`` maps other spellings of members' names to their names (see MemberMatcher).
    """
    if kind not in PARSERS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    model, parse = PARSERS[kind]
    report = ImportReport()
    rows, errors = _read(stream, kind)
    if errors:
        raise ImportFailed(errors)
    match = MemberMatcher(MemberCouncil.objects.all(), aliases)
    parsed, errors = parse(rows, year, match, report)
    seen: dict[tuple, int] = {}
    for row in parsed:
        signature = tuple(sorted((k, getattr(v, "pk", v)) for k, v in row.key.items()))
        if signature in seen:
            errors.append(f"line {row.line}: repeats line {seen[signature]}.")
        else:
            seen[signature] = row.line
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: int(e.split()[1].rstrip(":"))))
    report.rows = len(parsed)
    with transaction.atomic():
        for row in parsed:
            existing = model.objects.filter(**row.key).first()
            if existing is None:
                model.objects.create(**row.key, **row.values)
                report.created += 1
            elif any(getattr(existing, name) != value for name, value in row.values.items()):
                for name, value in row.values.items():
                    setattr(existing, name, value)
                existing.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report
