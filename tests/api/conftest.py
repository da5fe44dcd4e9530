"""A small published site for the API and SEO tests: one of every public page type, plus
the pages and records the public must never see (drafts, embargoes, private pages,
affiliates, supporters, former members, inactive suppliers)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    PolicyLabsIndexPage,
    PolicyProjectPage,
    PublicationIndexPage,
    PublicationPage,
    Theme,
)
from demo.shell import paragraphs, stream
from home.models import StandardPage
from membership.models import (
    DPSSupplier,
    MemberCouncil,
    MemberDirectoryPage,
    MembershipPage,
    Nation,
    Principle,
    Tier,
)
from news.models import NewsCategory, NewsIndexPage, NewsKind, NewsPage, NewsPageAuthor


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def member(name: str, slug: str, **fields) -> MemberCouncil:
    return MemberCouncil.objects.create(name=name, slug=slug, **fields)


def make_image():
    return get_image_model().objects.create(
        title="Council chamber", file=get_test_image_file(filename="chamber.png")
    )


@pytest.fixture
def published_site(_shared_published_site, db) -> SimpleNamespace:
    """Every public page type under the home page, with the records it links to.

    Built once per module (``_shared_published_site`` in tests/conftest.py); each test gets
    its own copy of the objects, and what it writes to the database is rolled back after it.
    A test that also asks for ``home_page`` gets this site's home.
    """
    return copy.deepcopy(_shared_published_site)


@pytest.fixture
def image(published_site):
    return published_site.image


def build_published_site(home_page, image) -> SimpleNamespace:
    """Every public page type under the home page, with the records it links to."""
    s = SimpleNamespace(home=home_page, image=image)

    # Members: listed (full, associate), and those never listed individually.
    s.oldham = member(
        "Oldham Council",
        "oldham-council",
        nation=Nation.ENGLAND,
        region="North West",
        population=242_100,
        political_control="Labour (Maj)",
        logo=image,
    )
    s.cardiff = member("Cardiff Council", "cardiff-council", nation=Nation.WALES)
    s.glasgow = member(
        "Glasgow City Council", "glasgow-city-council", nation=Nation.SCOTLAND, tier=Tier.ASSOCIATE
    )
    s.affiliate = member("An Affiliate Person", "an-affiliate-person", tier=Tier.AFFILIATE)
    s.supporter = member("A Supporter Org", "a-supporter-org", tier=Tier.SUPPORTER)
    s.former = member("Formerly Borough Council", "formerly-borough-council", active=False)

    s.supplier = DPSSupplier.objects.create(
        name="RedQuadrant", slug="redquadrant", summary="Public service transformation."
    )
    s.supplier.specialisms.set(["procurement", "evaluation"])
    s.supplier.save()
    s.old_supplier = DPSSupplier.objects.create(name="Gone Ltd", slug="gone-ltd", active=False)

    # Newsroom.
    s.news_index = publish(home_page, NewsIndexPage(title="News", slug="news"))
    s.governance = NewsCategory.objects.create(name="Governance", slug="governance")
    article = NewsPage(
        title="Co-operative councils respond to the 2026 local elections",
        slug="elections-2026",
        kind=NewsKind.PRESS_RELEASE,
        category=s.governance,
        summary="The network's response to the local election results.",
        body=stream(*paragraphs("Co-operative councils held their ground.")),
        listing_image=image,
        release_date=timezone.now() - timezone.timedelta(days=2),
    )
    article.authors = [NewsPageAuthor(name="Cllr Jim McMahon", role="Chair of the CCIN")]
    article.tags.set(["local elections 2026", "Devolution"])
    s.article = publish(s.news_index, article)
    s.draft = NewsPage(
        title="Draft statement", slug="draft-statement", category=s.governance, live=False
    )
    s.news_index.add_child(instance=s.draft)
    s.draft.save_revision()
    s.embargoed = NewsPage(
        title="Embargoed statement",
        slug="embargoed-statement",
        category=s.governance,
        live=False,
        go_live_at=timezone.now() + timezone.timedelta(hours=2),
    )
    s.news_index.add_child(instance=s.embargoed)
    s.embargoed.save_revision().publish()  # scheduled, not live
    s.embargoed.refresh_from_db()
    s.private = publish(
        s.news_index,
        NewsPage(title="Members-only briefing", slug="members-only", category=s.governance),
    )
    PageViewRestriction.objects.create(
        page=s.private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    # Case studies.
    s.housing = Theme.objects.create(name="Housing", slug="housing")
    s.principle = Principle.objects.create(title="Co-production", slug="co-production", text="x")
    s.cs_index = publish(home_page, CaseStudyIndexPage(title="Case studies", slug="case-studies"))
    s.case_study = publish(
        s.cs_index,
        CaseStudyPage(
            title="Community-led housing in Oldham",
            slug="community-led-housing",
            lead_council=s.oldham,
            participating_councils=[s.cardiff, s.affiliate],
            other_organisations="Co-operative Futures, A housing co-op",
            year=2024,
            themes=[s.housing],
            principles=[s.principle],
            summary="Homes built and run by the people who live in them.",
            body=stream(*paragraphs("Tenants designed the homes.")),
            listing_image=image,
        ),
    )

    # Policy labs.
    s.labs_index = publish(home_page, PolicyLabsIndexPage(title="Policy labs", slug="policy-labs"))
    s.project = publish(
        s.labs_index,
        PolicyProjectPage(
            title="Community wealth building lab",
            slug="community-wealth-building",
            round="2026",
            lead_councils=[s.oldham],
            summary="Councils testing community wealth building.",
        ),
    )

    # Publications with a PDF.
    s.document = get_document_model().objects.create(
        title="Co-operative councils report",
        file=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
    )
    s.pub_index = publish(
        home_page, PublicationIndexPage(title="Publications", slug="publications")
    )
    s.publication = publish(
        s.pub_index,
        PublicationPage(
            title="The co-operative council report",
            slug="co-operative-council-report",
            year=2022,
            month=2,
            partner_councils=[s.oldham],
            partner_organisations="Co-operatives UK",
            themes=[s.housing],
            document=s.document,
            summary="What co-operative councils do differently.",
        ),
    )

    # Membership pages with the directory and its routable profiles.
    s.membership = publish(
        home_page,
        MembershipPage(title="Membership", slug="membership", join_heading="Ask about joining"),
    )
    s.directory = publish(s.membership, MemberDirectoryPage(title="Our members", slug="members"))

    s.about = publish(
        home_page,
        StandardPage(title="About the network", slug="about", summary="Who we are."),
    )
    return s
