"""Fixtures for the case study library: an index, themes, principles, councils."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Theme
from membership.models import MemberCouncil, Nation, Principle


@pytest.fixture
def index(home_page) -> CaseStudyIndexPage:
    page = CaseStudyIndexPage(title="Case studies", slug="case-studies", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def themes(db) -> dict[str, Theme]:
    return {
        slug: Theme.objects.create(name=name, slug=slug)
        for slug, name in [
            ("housing", "Housing"),
            ("net-zero-and-energy", "Net zero and energy"),
            ("young-people", "Young people"),
        ]
    }


@pytest.fixture
def principles(db) -> dict[str, Principle]:
    return {
        slug: Principle.objects.create(title=title, slug=slug, text=title, sort_order=n)
        for n, (slug, title) in enumerate(
            [("co-production", "Co-production"), ("innovation", "Innovation")]
        )
    }


@pytest.fixture
def councils(db) -> dict[str, MemberCouncil]:
    return {
        slug: MemberCouncil.objects.create(name=name, slug=slug, nation=nation)
        for slug, name, nation in [
            ("kirklees-council", "Kirklees Council", Nation.ENGLAND),
            ("camden-council", "Camden Council", Nation.ENGLAND),
            ("inverclyde-council", "Inverclyde Council", Nation.SCOTLAND),
        ]
    }


@pytest.fixture
def make_case_study(index):
    """Create and publish a case study under the index; returns the page."""

    def make(
        title: str,
        *,
        lead: MemberCouncil | None = None,
        participants=(),
        themes=(),
        principles=(),
        year: int = 2024,
        summary: str = "",
        publish: bool = True,
        parent=None,
        **fields,
    ) -> CaseStudyPage:
        page = CaseStudyPage(
            title=title,
            lead_council=lead,
            other_organisations="" if lead else "A community group",
            participating_councils=list(participants),
            themes=list(themes),
            principles=list(principles),
            year=year,
            summary=summary or f"About {title}.",
            **fields,
        )
        (parent or index).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            page.unpublish()
        return page

    return make


@pytest.fixture
def library(make_case_study, themes, principles, councils):
    """Six case studies spread over themes, principles, councils, nations and years."""
    k, c, i = (
        councils["kirklees-council"],
        councils["camden-council"],
        councils["inverclyde-council"],
    )
    h, nz, yp = themes["housing"], themes["net-zero-and-energy"], themes["young-people"]
    cp, inn = principles["co-production"], principles["innovation"]
    return {
        "solar": make_case_study(
            "Community solar roofs",
            lead=k,
            themes=[nz],
            principles=[cp],
            year=2022,
            summary="A community energy co-operative on school roofs.",
        ),
        "homes": make_case_study(
            "Co-operative homes",
            lead=c,
            participants=[k],
            themes=[h],
            principles=[cp, inn],
            year=2024,
        ),
        "land": make_case_study(
            "Community land trust",
            lead=c,
            themes=[h, nz],
            principles=[inn],
            year=2024,
        ),
        "youth": make_case_study(
            "Youth retention research",
            lead=i,
            themes=[yp],
            principles=[inn],
            year=2026,
        ),
        "heat": make_case_study(
            "Warm homes and heat networks",
            lead=i,
            themes=[h, nz],
            principles=[cp],
            year=2026,
        ),
        "voices": make_case_study(
            "Young voices in Kirklees",
            lead=k,
            themes=[yp],
            principles=[cp],
            year=2022,
            first_published_at=timezone.now(),
        ),
    }
