"""The demo content: the URL contract, real names from the seed, idempotent."""

from __future__ import annotations

import io

from wagtail.documents import get_document_model
from wagtail.models import Page

from casestudies.models import CaseStudyPage, PolicyProjectPage, PublicationPage, Theme
from demo import casestudies as demo
from membership.models import MemberCouncil, Principle


def test_demo_builds_the_tree_and_a_second_run_changes_nothing(client, site):
    demo.load(io.StringIO())
    counts = (
        Page.objects.count(),
        MemberCouncil.objects.count(),
        Principle.objects.count(),
        Theme.objects.count(),
        get_document_model().objects.count(),
    )
    demo.load(io.StringIO())
    assert counts == (
        Page.objects.count(),
        MemberCouncil.objects.count(),
        Principle.objects.count(),
        Theme.objects.count(),
        get_document_model().objects.count(),
    )
    assert CaseStudyPage.objects.live().count() >= 12
    assert PolicyProjectPage.objects.live().count() == 10
    assert PublicationPage.objects.live().count() == 10
    assert Principle.objects.count() == 9
    assert Theme.objects.count() == 11
    for url in ("/case-studies/", "/policy-labs/", "/publications/"):
        assert client.get(url).status_code == 200
    inverclyde = CaseStudyPage.objects.get(slug="youth-retention-research-in-inverclyde")
    assert inverclyde.nation == "scotland"
    text = client.get("/case-studies/?nation=scotland").content.decode()
    assert "Youth retention research in Inverclyde" in text
    labs = client.get("/policy-labs/").content.decode()
    assert "£10,000" in labs
    assert "Lead: Brent Council, Stevenage Borough Council" in labs
    report = PublicationPage.objects.get(slug="beyond-asset-transfer")
    assert report.document.title == "Beyond Asset Transfer (placeholder PDF)"
    assert report.document.file.read().startswith(b"%PDF")


def test_volume_generator_is_idempotent(site):
    demo.load(io.StringIO())
    index = CaseStudyPage.objects.first().get_parent().specific
    assert demo.generate_case_studies(index, count=25) == 25
    assert demo.generate_case_studies(index, count=25) == 0
    generated = CaseStudyPage.objects.filter(title__startswith=demo.GENERATED_PREFIX)
    assert generated.count() == 25
    assert generated.filter(themes__isnull=False).distinct().count() == 25


def test_generated_case_studies_are_marked_and_a_third_have_images(site):
    demo.load(io.StringIO())
    index = CaseStudyPage.objects.first().get_parent().specific
    demo.generate_case_studies(index, count=30)
    generated = CaseStudyPage.objects.filter(slug__startswith="generated-case-study-")
    assert all(page.title.startswith(demo.GENERATED_PREFIX) for page in generated)
    assert generated.exclude(listing_image=None).count() == 10
