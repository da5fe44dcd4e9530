"""Member councils, DPS suppliers and election rows as site search results (search/sources.py).

Only what the site already shows the public is found: listed members (active full and
associate members, as in the directory), active suppliers, and election rows of years with a
live election outcomes page. Each links to where the site shows it: a member's profile, the
supplier's entry on the DPS page, the row's table on the elections page.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.dateformat import format as format_date

from caching.versions import remember
from home.lookups import first_live
from search.sources import Hit, SearchSource

from .listings import result_row_id
from .models.elections import ControlChange, CouncillorChange, ElectionResult
from .models.pages import DPSPage, ElectionOutcomesPage, MemberDirectoryPage
from .models.snippets import DPSSupplier, MemberCouncil


def _record_pages() -> dict:
    directory = first_live(MemberDirectoryPage)
    dps = first_live(DPSPage)
    elections: dict[int, str] = {}
    for page in ElectionOutcomesPage.objects.live().public().order_by("election_year", "pk"):
        if page.url:
            elections.setdefault(page.election_year, page.url)
    return {
        "directory": (directory.url or "") if directory else "",
        "dps": (dps.url or "") if dps else "",
        "elections": elections,
    }


def record_pages() -> dict:
    """Where records are shown: the directory, the DPS page, each year's elections page."""
    return remember("search:record-pages", _record_pages)


class MembersSource(SearchSource):
    name = "members"
    label = "Member councils"
    order = 10

    def querysets(self) -> list[QuerySet]:
        if not record_pages()["directory"]:
            return [MemberCouncil.objects.none()]
        return [MemberCouncil.objects.listed()]

    def hits(self, objects: list) -> list[Hit]:
        base = record_pages()["directory"]
        return [
            Hit(
                title=member.name,
                url=f"{base}{member.slug}/",
                snippet=" · ".join(
                    part
                    for part in (
                        member.get_tier_display(),
                        member.region or member.get_nation_display(),
                        member.political_control,
                    )
                    if part
                ),
                type_label="Member council",
            )
            for member in objects
        ]


class SuppliersSource(SearchSource):
    name = "suppliers"
    label = "DPS suppliers"
    order = 20

    def querysets(self) -> list[QuerySet]:
        if not record_pages()["dps"]:
            return [DPSSupplier.objects.none()]
        return [DPSSupplier.objects.active()]

    def hits(self, objects: list) -> list[Hit]:
        base = record_pages()["dps"]
        return [
            Hit(
                title=supplier.name,
                url=f"{base}#{supplier.slug}",
                snippet=supplier.summary
                or f"On the Dynamic Purchasing System, {supplier.framework_period}",
                type_label="DPS supplier",
            )
            for supplier in objects
        ]


def _day(value) -> str:
    return format_date(value, "j F Y")


class ElectionsSource(SearchSource):
    """Results, then control changes, then councillor changes: the elections page's tables."""

    name = "elections"
    label = "Election results"
    order = 30

    def querysets(self) -> list[QuerySet]:
        years = record_pages()["elections"]
        if not years:
            return [ElectionResult.objects.none()]
        return [
            ElectionResult.objects.filter(year__in=list(years)).select_related("member"),
            # The change tables are on every year's page; they link to the newest.
            ControlChange.objects.all(),
            CouncillorChange.objects.all(),
        ]

    def hits(self, objects: list) -> list[Hit]:
        years = record_pages()["elections"]
        newest = years[max(years)] if years else ""
        found = []
        for row in objects:
            if isinstance(row, ElectionResult):
                facts = [f"{row.year} election result"]
                if row.control_before:
                    facts.append(f"make-up before: {row.control_before}")
                if row.next_election:
                    facts.append(f"next election: {row.next_election_display}")
                found.append(
                    Hit(
                        title=f"{row.member.name}: {row.outcome_display}",
                        url=f"{years.get(row.year, newest)}#{result_row_id(row.member)}",
                        snippet="; ".join(facts) + ".",
                        type_label="Election result",
                    )
                )
            elif isinstance(row, ControlChange):
                found.append(
                    Hit(
                        title=f"{row.council_name}: {row.from_control} to {row.to_control}",
                        url=f"{newest}#control-changes",
                        snippet=f"Change in control ({row.get_control_type_display().lower()}), "
                        f"{_day(row.date)}.",
                        type_label="Control change",
                    )
                )
            else:
                found.append(
                    Hit(
                        title=f"{row.councillor} ({row.council_name}, {row.ward})",
                        url=f"{newest}#councillor-changes",
                        snippet=f"Councillor change, {_day(row.date)}: "
                        f"{row.from_party} to {row.to_party}.",
                        type_label="Councillor change",
                    )
                )
        return found
