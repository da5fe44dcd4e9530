"""A small site with records to find: the membership pages, members, suppliers, election rows
and documents, including ones the public must never find."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from home.models import StandardPage
from membership.models import (
    ControlChange,
    ControlType,
    CouncillorChange,
    DPSPage,
    DPSSupplier,
    ElectionOutcomesPage,
    ElectionResult,
    MemberCouncil,
    MemberDirectoryPage,
    MembershipPage,
    Tier,
)


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def document(title: str, *, collection=None):
    model = get_document_model()
    doc = model(title=title, file=ContentFile(b"%PDF-1.4 report", name=f"{title[:20]}.pdf"))
    if collection is not None:
        doc.collection = collection
    doc.save()
    return doc


@dataclass
class Records:
    directory: MemberDirectoryPage
    elections: ElectionOutcomesPage
    dps: DPSPage
    kirklees: MemberCouncil


@pytest.fixture
def records(home_page) -> Records:
    membership = publish_child(
        home_page, MembershipPage(title="Membership", slug="membership", join_heading="Join")
    )
    directory = publish_child(membership, MemberDirectoryPage(title="Our members", slug="members"))
    elections = publish_child(
        membership,
        ElectionOutcomesPage(title="May 2026 election outcomes", slug="elections-2026"),
    )
    dps = publish_child(
        home_page, DPSPage(title="Dynamic Purchasing System", slug="dynamic-purchasing-system")
    )
    kirklees = MemberCouncil.objects.create(
        name="Kirklees Council",
        slug="kirklees-council",
        region="Yorkshire and the Humber",
        political_control="No overall control",
    )
    MemberCouncil.objects.create(name="Oldham Council", slug="oldham-council")
    MemberCouncil.objects.create(
        name="Quietshire Affiliate Trust", slug="quietshire", tier=Tier.AFFILIATE
    )
    MemberCouncil.objects.create(
        name="Quietshire Supporters", slug="quietshire-supporters", tier=Tier.SUPPORTER
    )
    MemberCouncil.objects.create(name="Quietshire Council", slug="quietshire-council", active=False)
    red = DPSSupplier.objects.create(
        name="RedQuadrant", slug="redquadrant", summary="Public service transformation."
    )
    red.specialisms.add("systems thinking")
    red.save()
    DPSSupplier.objects.create(name="Quietshire Consulting", slug="quietshire-co", active=False)
    ElectionResult.objects.create(
        member=kirklees,
        year=2026,
        outcome="No Party Maj",
        outcome_detail="Ref",
        control_before="Labour (Minor)",
    )
    ControlChange.objects.create(
        date=datetime.date(2026, 6, 6),
        council_name="Kirklees",
        member=kirklees,
        control_type=ControlType.MAJORITY,
        from_control="LAB",
        to_control="NOC",
    )
    CouncillorChange.objects.create(
        date=datetime.date(2026, 6, 9),
        council_name="Kirklees",
        member=kirklees,
        ward="Dewsbury East",
        councillor="Pat Example",
        from_party="Labour Party",
        to_party="Reform UK",
    )
    # Documents: one a live page links to; one in a private collection (linked too); one
    # no page links to (a draft report's PDF, say).
    public = document("Kirklees community wealth report")
    private_root = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private_root, restriction_type="password", password="x"
    )
    inner = private_root.add_child(name="2026")
    private = document("Kirklees board minutes", collection=inner)
    document("Kirklees draft report")
    publish_child(
        home_page,
        StandardPage(
            title="Reports",
            slug="reports",
            body=[
                ("document", {"document": public, "title": ""}),
                ("document", {"document": private, "title": ""}),
            ],
        ),
    )
    return Records(directory, elections, dps, kirklees)
