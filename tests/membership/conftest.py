"""Fixtures for the membership tests: members, the membership pages and a clean cache."""

import pytest
from django.core.cache import cache

from membership.models import (
    DPSPage,
    ElectionOutcomesPage,
    MemberCouncil,
    MemberDirectoryPage,
    MemberKind,
    MembershipPage,
    Nation,
    PrinciplesPage,
    Tier,
)


@pytest.fixture(autouse=True)
def clear_cache():
    """The join form's rate limit lives in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def make_member(name: str, **fields) -> MemberCouncil:
    from django.utils.text import slugify

    return MemberCouncil.objects.create(name=name, slug=slugify(name), **fields)


@pytest.fixture
def members(db) -> dict[str, MemberCouncil]:
    """Full and associate members in three nations, plus ones the directory must not list."""
    return {
        "kirklees": make_member("Kirklees Council", political_control="Labour (Minor)"),
        "cardiff": make_member("Cardiff Council", nation=Nation.WALES),
        "glasgow": make_member("Glasgow City Council", nation=Nation.SCOTLAND),
        "gmca": make_member(
            "Greater Manchester Combined Authority", kind=MemberKind.COMBINED_AUTHORITY
        ),
        "associate": make_member("Anytown Housing Co-op", tier=Tier.ASSOCIATE),
        "affiliate": make_member("An Affiliate Body", tier=Tier.AFFILIATE),
        "supporter": make_member("A Supporter Org", tier=Tier.SUPPORTER),
        "former": make_member("Formerly Borough Council", active=False),
    }


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def membership_page(home_page) -> MembershipPage:
    return publish_child(
        home_page,
        MembershipPage(title="Membership", slug="membership", join_heading="Ask about joining"),
    )


@pytest.fixture
def directory_page(membership_page) -> MemberDirectoryPage:
    return publish_child(membership_page, MemberDirectoryPage(title="Our members", slug="members"))


@pytest.fixture
def elections_page(membership_page) -> ElectionOutcomesPage:
    return publish_child(
        membership_page,
        ElectionOutcomesPage(title="May 2026 election outcomes", slug="elections-2026"),
    )


@pytest.fixture
def principles_page(home_page) -> PrinciplesPage:
    return publish_child(home_page, PrinciplesPage(title="Our principles", slug="principles"))


@pytest.fixture
def dps_page(home_page) -> DPSPage:
    return publish_child(
        home_page, DPSPage(title="Dynamic Purchasing System", slug="dynamic-purchasing-system")
    )
