"""Fixtures for the case study library: an index, themes, principles, councils.

A test that uses ``library`` gets the six case studies and everything under them built once
per module (``module_atomic`` in tests/conftest.py): its ``home_page``, ``index``,
``themes``, ``principles`` and ``councils`` are copies of that module's, and what it writes
is rolled back after it. A test without ``library`` builds its own, as before.
"""

from __future__ import annotations

import copy

import pytest
from django.utils import timezone

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Theme
from membership.models import MemberCouncil, Nation, Principle
from tests.conftest import make_home_page


def uses_library(request) -> bool:
    return "library" in request.fixturenames


@pytest.fixture
def home_page(request):
    if uses_library(request):
        return request.getfixturevalue("_library_copy")["home_page"]
    request.getfixturevalue("db")
    return make_home_page()


@pytest.fixture
def index(request) -> CaseStudyIndexPage:
    if uses_library(request):
        return request.getfixturevalue("_library_copy")["index"]
    return make_index(request.getfixturevalue("home_page"))


@pytest.fixture
def themes(request) -> dict[str, Theme]:
    if uses_library(request):
        return request.getfixturevalue("_library_copy")["themes"]
    request.getfixturevalue("db")
    return make_themes()


@pytest.fixture
def principles(request) -> dict[str, Principle]:
    if uses_library(request):
        return request.getfixturevalue("_library_copy")["principles"]
    request.getfixturevalue("db")
    return make_principles()


@pytest.fixture
def councils(request) -> dict[str, MemberCouncil]:
    if uses_library(request):
        return request.getfixturevalue("_library_copy")["councils"]
    request.getfixturevalue("db")
    return make_councils()


def make_index(home_page) -> CaseStudyIndexPage:
    page = CaseStudyIndexPage(title="Case studies", slug="case-studies", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_themes() -> dict[str, Theme]:
    return {
        slug: Theme.objects.create(name=name, slug=slug)
        for slug, name in [
            ("housing", "Housing"),
            ("net-zero-and-energy", "Net zero and energy"),
            ("young-people", "Young people"),
        ]
    }


def make_principles() -> dict[str, Principle]:
    return {
        slug: Principle.objects.create(title=title, slug=slug, text=title, sort_order=n)
        for n, (slug, title) in enumerate(
            [("co-production", "Co-production"), ("innovation", "Innovation")]
        )
    }


def make_councils() -> dict[str, MemberCouncil]:
    return {
        slug: MemberCouncil.objects.create(name=name, slug=slug, nation=nation)
        for slug, name, nation in [
            ("kirklees-council", "Kirklees Council", Nation.ENGLAND),
            ("camden-council", "Camden Council", Nation.ENGLAND),
            ("inverclyde-council", "Inverclyde Council", Nation.SCOTLAND),
        ]
    }


def create_case_study(
    index,
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


@pytest.fixture
def make_case_study(index):
    """Create and publish a case study under the index; returns the page."""

    def make(title: str, **kwargs) -> CaseStudyPage:
        return create_case_study(index, title, **kwargs)

    return make


@pytest.fixture(scope="module")
def _shared_library(module_atomic) -> dict:
    """The library and what it stands on, built once for the module (rolled back after it)."""
    home_page = make_home_page()
    index = make_index(home_page)
    themes, principles, councils = make_themes(), make_principles(), make_councils()

    def make(title: str, **kwargs) -> CaseStudyPage:
        return create_case_study(index, title, **kwargs)

    return {
        "home_page": home_page,
        "index": index,
        "themes": themes,
        "principles": principles,
        "councils": councils,
        "library": build_library(make, themes, principles, councils),
    }


@pytest.fixture
def _library_copy(_shared_library, db) -> dict:
    """This test's own copy of the module's library objects (the rows are shared)."""
    return copy.deepcopy(_shared_library)


@pytest.fixture
def library(_library_copy):
    """Six case studies spread over themes, principles, councils, nations and years."""
    return _library_copy["library"]


def build_library(make_case_study, themes, principles, councils) -> dict[str, CaseStudyPage]:
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
