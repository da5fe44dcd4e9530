"""Election data for member councils: results, control changes and councillor changes.

Managed with wagtail-modeladmin and imported from CSV in the opencouncildata layout
(see ``membership.importers``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.utils.text import slugify
from wagtail.search import index

from .snippets import MemberCouncil

NO_ELECTION = "no-election"
NO_OVERALL_CONTROL = "no-overall-control"

# How the published tables spell parties in "<party> Hold/Gain" outcomes.
PARTY_NAMES = {
    "labour": "Labour",
    "lab": "Labour",
    "conservative": "Conservative",
    "conservatives": "Conservative",
    "con": "Conservative",
    "green": "Green",
    "greens": "Green",
    "reform": "Reform UK",
    "reform uk": "Reform UK",
    "lib dem": "Liberal Democrat",
    "lib dems": "Liberal Democrat",
    "liberal democrat": "Liberal Democrat",
    "liberal democrats": "Liberal Democrat",
    "snp": "SNP",
    "plaid cymru": "Plaid Cymru",
    "independent": "Independent",
}
NEXT_MONTH_YEAR = re.compile(r"^(?P<month>[A-Za-z]{3})[-\s]?(?P<year>\d{2}|\d{4})$")
NEXT_LGR = re.compile(r"^LGR\s*(?P<year>\d{4})$", re.IGNORECASE)
MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
HOLD_OR_GAIN = re.compile(r"^(?P<party>.+?)\s+(?P<change>hold|gain)$", re.IGNORECASE)


@dataclass(frozen=True)
class OutcomeType:
    """A kind of result, for the summary: e.g. ("labour-hold", "Labour hold")."""

    key: str
    label: str


def classify_outcome(outcome: str) -> OutcomeType:
    """Group a published outcome ("REFORM Gain", "No Party Maj", "N/A") into a summary type."""
    text = " ".join(outcome.split())
    lowered = text.lower()
    if lowered in {"", "n/a", "na", "none", "no election"}:
        return OutcomeType(NO_ELECTION, "No election in 2026")
    if lowered.startswith(("no party maj", "no overall control", "noc")):
        return OutcomeType(NO_OVERALL_CONTROL, "No party majority")
    match = HOLD_OR_GAIN.match(text)
    if match:
        party_text = match["party"].lower()
        party = PARTY_NAMES.get(party_text, match["party"].title())
        change = match["change"].lower()
        return OutcomeType(f"{slugify(party)}-{change}", f"{party} {change}")
    return OutcomeType(slugify(text) or "other", text)


def next_election_words(published: str, *, short: bool = False) -> str:
    """ "May-27" → "May 2027"; "LGR 2027" → "Local government reorganisation, 2027" (or, with
    ``short``, "LGR 2027", which the table's note explains); anything else as published."""
    text = " ".join(published.split())
    month = NEXT_MONTH_YEAR.match(text)
    if month and month["month"].lower() in MONTHS:
        year = month["year"] if len(month["year"]) == 4 else f"20{month['year']}"
        return f"{MONTHS[month['month'].lower()]} {year}"
    lgr = NEXT_LGR.match(text)
    if lgr:
        return f"LGR {lgr['year']}" if short else f"Local government reorganisation, {lgr['year']}"
    return text


class ElectionResultQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def summary(self) -> list[tuple[OutcomeType, int]]:
        """Counts by outcome type, largest first (ties in name order); "no election" last."""
        counts = Counter(
            classify_outcome(outcome) for outcome in self.values_list("outcome", flat=True)
        )
        return sorted(
            counts.items(),
            key=lambda item: (item[0].key == NO_ELECTION, -item[1], item[0].label),
        )


class ElectionResult(index.Indexed, models.Model):
    """One member council's local election outcome ("Impact to CCIN")."""

    member = models.ForeignKey(
        MemberCouncil,
        on_delete=models.PROTECT,
        related_name="election_results",
        help_text="The member council this result is for.",
    )
    year = models.PositiveSmallIntegerField(default=2026, help_text="The election year.")
    outcome = models.CharField(
        max_length=60,
        help_text='As published, e.g. "Labour Hold", "Green Gain", "No Party Maj", or "N/A" '
        "where the council had no election that year.",
    )
    outcome_detail = models.CharField(
        max_length=60,
        blank=True,
        help_text='Extra detail shown in brackets, e.g. "Lib Lab" for a Lib–Lab arrangement.',
    )
    control_before = models.CharField(
        "make-up before the election",
        max_length=100,
        blank=True,
        help_text='e.g. "Labour (Maj)", "SNP (Minority)", "Lab / Lib Dem Coal".',
    )
    next_election = models.CharField(
        max_length=40,
        blank=True,
        help_text='As published, e.g. "May-27", "LGR 2027" (local government reorganisation), '
        '"2028".',
    )
    results_url = models.URLField(
        "results link", blank=True, help_text="Where to read the full results."
    )

    objects = ElectionResultQuerySet.as_manager()

    # Site search finds a council's row by the member's name (search/sources.py).
    search_fields = [
        index.RelatedFields("member", [index.SearchField("name")]),
        index.SearchField("outcome"),
        index.SearchField("control_before"),
        index.FilterField("year"),
    ]

    class Meta:
        ordering = ["-year", "member__name"]
        verbose_name = "election result"
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_result_per_member_year")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.outcome_display}"

    @property
    def outcome_display(self) -> str:
        """ "No Party Maj (Lib Lab)", as the published table shows it."""
        if self.outcome_detail:
            return f"{self.outcome} ({self.outcome_detail})"
        return self.outcome

    @property
    def next_election_display(self) -> str:
        """ "May-27" → "May 2027", "LGR 2027" → "Local government reorganisation, 2027"."""
        return next_election_words(self.next_election)

    @property
    def next_election_short(self) -> str:
        """For the results table: "May 2027", "LGR 2027"."""
        return next_election_words(self.next_election, short=True)

    @property
    def outcome_type(self) -> OutcomeType:
        return classify_outcome(self.outcome)

    @property
    def had_election(self) -> bool:
        return self.outcome_type.key != NO_ELECTION


class ControlType(models.TextChoices):
    MAJORITY = "majority", "Majority"
    ADMINISTRATION = "administration", "Administration"
    LARGEST_GROUP = "largest-group", "Largest group"


class ControlChange(index.Indexed, models.Model):
    """A change in who controls a council after the elections (opencouncildata's table)."""

    date = models.DateField(help_text="When the change happened.")
    council_name = models.CharField(
        "council",
        max_length=200,
        help_text='As the source names it, e.g. "Birmingham". Any council, member or not.',
    )
    member = models.ForeignKey(
        MemberCouncil,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="control_changes",
        help_text="The member council, if the council is a member.",
    )
    control_type = models.CharField(max_length=20, choices=ControlType.choices)
    from_control = models.CharField("from", max_length=100, help_text='e.g. "LAB", "LD/LAB".')
    to_control = models.CharField("to", max_length=100, help_text='e.g. "NOC", "GRN min".')

    search_fields = [
        index.SearchField("council_name"),
        index.RelatedFields("member", [index.SearchField("name")]),
        index.SearchField("from_control"),
        index.SearchField("to_control"),
    ]

    class Meta:
        ordering = ["-date", "council_name", "id"]
        verbose_name = "control change"
        constraints = [
            models.UniqueConstraint(
                fields=["date", "council_name", "control_type"],
                name="one_control_change_per_type",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.council_name} {self.get_control_type_display().lower()}: "
            f"{self.from_control} → {self.to_control}"
        )

    @property
    def changed(self) -> bool:
        return self.from_control != self.to_control


class CouncillorChange(index.Indexed, models.Model):
    """A councillor changing party, resigning or being elected (opencouncildata's table)."""

    date = models.DateField(help_text="When the change happened.")
    council_name = models.CharField(
        "council", max_length=200, help_text='As the source names it, e.g. "Sunderland".'
    )
    member = models.ForeignKey(
        MemberCouncil,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="councillor_changes",
        help_text="The member council, if the council is a member.",
    )
    ward = models.CharField(max_length=200)
    councillor = models.CharField("name", max_length=200, help_text="The councillor's name.")
    from_party = models.CharField("from", max_length=120, help_text='e.g. "Labour Party".')
    to_party = models.CharField("to", max_length=120, help_text='e.g. "Vacant", "Reform UK".')

    search_fields = [
        index.SearchField("council_name"),
        index.RelatedFields("member", [index.SearchField("name")]),
        index.SearchField("ward"),
        index.SearchField("councillor"),
        index.SearchField("from_party"),
        index.SearchField("to_party"),
    ]

    class Meta:
        ordering = ["-date", "council_name", "id"]
        verbose_name = "councillor change"
        constraints = [
            models.UniqueConstraint(
                fields=["date", "council_name", "ward", "councillor", "from_party", "to_party"],
                name="unique_councillor_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.councillor} ({self.council_name}): {self.from_party} → {self.to_party}"
