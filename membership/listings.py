"""What the member directory and the election tables list, and how visitors filter them."""

from __future__ import annotations

import string
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from home.listing import Choice, Filter, FilterSet, paginate

from .models.elections import (
    ElectionResult,
    OutcomeType,
    classify_outcome,
)
from .models.snippets import LISTED_TIERS, MemberCouncil, Nation, Tier
from .tables import SortableTable

NATIONS = [Choice(value, label) for value, label in Nation.choices]

# The member directory -------------------------------------------------------------------------

DIRECTORY_FILTERS = (
    Filter(
        "tier",
        "Membership",
        "membership types",
        all_label="Full and associate members",
        noun="membership type",
        where=lambda tier: Q(tier=tier),
    ),
    Filter("nation", "Nation", "nations", where=lambda nation: Q(nation=nation)),
)
DIRECTORY_CHOICES = {"tier": [Choice(t.value, t.label) for t in LISTED_TIERS], "nation": NATIONS}
MEMBER_FIELDS = ("name", "slug", "tier", "nation", "kind", "region", "logo")


# Members per directory page: the network's full members on the first, and a page that
# costs the same however many members the filters match.
DIRECTORY_PAGE_SIZE = 50


def directory_listing(params: QueryDict, base_url: str) -> dict:
    """One page of the listed members the filters keep, A to Z, with live counts on each
    choice and an A–Z index over every page (four queries)."""
    filters = FilterSet(params, DIRECTORY_FILTERS, DIRECTORY_CHOICES, base_url=base_url)
    listed = MemberCouncil.objects.listed()
    matching = filters.narrow(listed)
    # Names and tiers of every match (small rows): the counts and which page each letter is on.
    index = list(matching.values_list("name", "tier"))
    page_obj = paginate(index, DIRECTORY_PAGE_SIZE, params.get("page"))
    start = page_obj.start_index() - 1 if index else 0
    members = list(
        matching.select_related("logo").only(*MEMBER_FIELDS)[start : start + DIRECTORY_PAGE_SIZE]
    )
    # Each filter counts within the other filter's choice.
    for name in ("tier", "nation"):
        within = filters.narrow(listed, ignore=name).order_by()
        filters.count(name, dict(within.values_list(name).annotate(n=Count("pk"))))
    groups = [
        (letter, list(items))
        for letter, items in groupby(members, key=lambda m: initial_letter(m.name))
    ]
    query_string = filters.query_string
    first_page: dict[str, int] = {}
    for position, (member_name, _tier) in enumerate(index):
        first_page.setdefault(initial_letter(member_name), position // DIRECTORY_PAGE_SIZE + 1)

    def letter_link(letter: str) -> str:
        """The letter's heading: on this page, or on the page where its members start."""
        number = first_page[letter]
        if number == page_obj.number:
            return f"#letter-{letter}"
        query = urlencode([*filters.params(), ("page", number)])
        return f"?{query}#letter-{letter}"

    return {
        "filters": filters,
        "active_filters": filters.active,
        "members": members,
        "member_total": len(index),
        "member_groups": groups,
        "page_obj": page_obj,
        "query_string": query_string,
        "alphabet": [
            (letter, letter_link(letter) if letter in first_page else "")
            for letter in string.ascii_uppercase
        ]
        + ([("#", letter_link("#"))] if "#" in first_page else []),
        "full_count": sum(tier == Tier.FULL for _name, tier in index),
        "associate_count": sum(tier == Tier.ASSOCIATE for _name, tier in index),
        # Whether the listing stands beside the network's published associate figure (all
        # nations, associates included), so a shortfall needs saying why.
        "compare_associates": not filters["nation"].value
        and filters["tier"].value in ("", Tier.ASSOCIATE),
    }


def initial_letter(name: str) -> str:
    """The A–Z heading a member sorts under; "Royal Borough of Greenwich" stays under R."""
    first = name[:1].upper()
    return first if first in string.ascii_uppercase else "#"


# The election outcomes page --------------------------------------------------------------------

ELECTION_FILTERS = (
    # Outcomes are grouped in Python (classify_outcome), so this one picks from the results.
    Filter(
        "outcome",
        "Election result",
        "results",
        picks=lambda results, key: {
            result.pk for result in results if classify_outcome(result.outcome).key == key
        },
    ),
    Filter("nation", "Nation", "nations", where=lambda nation: Q(member__nation=nation)),
    Filter(
        "members_only",
        "Changes at member councils only",
        "changes",
        noun="“member councils only” setting",
        checkbox=True,
        # The change tables only say whether a change is at a member council: no join.
        where=lambda _on: Q(member__isnull=False),
    ),
)
MEMBERS_ONLY = [Choice("1", "Member councils only")]


def election_filters(
    params: QueryDict, base_url: str, summary: list[tuple[OutcomeType, int]]
) -> FilterSet:
    """The tables' filters; the outcomes to choose from are those in the summary."""
    outcomes = [Choice(outcome.key, outcome.label) for outcome, _count in summary]
    return FilterSet(
        params,
        ELECTION_FILTERS,
        {"outcome": outcomes, "nation": NATIONS, "members_only": MEMBERS_ONLY},
        base_url=base_url,
        fragment="results",
    )


def summary_chart(summary: list[tuple[OutcomeType, int]], year: int) -> dict:
    """The outcomes-at-a-glance bar chart, each bar linking to its rows of the results."""
    biggest = max((count for _, count in summary), default=0)
    return {
        "summary": summary,
        "summary_caption": f"{year} election outcomes for member councils, by type",
        "summary_bars": [
            {
                "key": outcome.key,
                "label": outcome.label,
                "count": count,
                "percent": round(100 * count / biggest) if biggest else 0,
                "url": f"?{urlencode({'outcome': outcome.key})}#results",
            }
            for outcome, count in summary
        ],
        "result_total": sum(count for _, count in summary),
    }


def result_row_id(member: MemberCouncil) -> str:
    """The id of a member's row in the results table, which its profile links to."""
    return f"result-{member.slug}"


def results_table(
    params: QueryDict, year_results: QuerySet[ElectionResult], filters: FilterSet, columns
) -> dict:
    """The member councils' results, sorted as asked, by nation (SQL) and outcome (Python)."""
    table = SortableTable(
        params, param="sort", columns=columns, default="council", anchor="results"
    )
    results = year_results.select_related("member").order_by(*table.ordering)
    results = list(filters.narrow(results, only=["nation"]))
    kept = filters.pick(results, (result.pk for result in results), only=["outcome"])
    outcome = filters["outcome"].chosen
    return {
        "results": [result for result in results if result.pk in kept],
        "results_headers": table.headers(),
        "selected_outcome_label": outcome.label if outcome else "",
    }
