"""The demo content: the URL contract, real names from the seed, idempotent."""

from __future__ import annotations

import io
import json

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    PolicyProjectPage,
    PublicationPage,
    Theme,
)
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
    assert CaseStudyPage.objects.live().count() == 9
    assert PolicyProjectPage.objects.live().count() == 10
    assert PublicationPage.objects.live().count() == 10
    assert Principle.objects.count() == 9
    assert Theme.objects.count() == 11
    for url in ("/case-studies/", "/policy-labs/", "/publications/"):
        assert client.get(url).status_code == 200
    inverclyde = PolicyProjectPage.objects.get(slug="youth-retention-research")
    assert [c.nation for c in inverclyde.lead_councils.all()] == ["scotland"]
    labs = client.get("/policy-labs/").content.decode()
    assert "£10,000" in labs
    assert "Lead: Brent Council, Stevenage Borough Council" in labs
    report = PublicationPage.objects.get(slug="beyond-asset-transfer")
    assert report.document.title == "Summary sheet: Beyond Asset Transfer"
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


def test_an_earlier_demo_database_is_brought_up_to_date(site, django_user_model):
    """What the first demo left (placeholder PDFs and notes, one-line projects, case studies
    repeating the projects) is replaced, unless an editor has saved it."""
    demo.load(io.StringIO())
    editor = django_user_model.objects.create_user(username="comms", password="x")
    documents = get_document_model()
    old_pdf = documents(title="Beyond Asset Transfer (placeholder PDF)")
    old_pdf.file.save("beyond-asset-transfer-placeholder.pdf", ContentFile(b"%PDF PLACEHOLDER"))
    report = PublicationPage.objects.get(slug="beyond-asset-transfer")
    report.document = old_pdf
    report.body = json.dumps([{"type": "paragraph", "value": "<p>A placeholder.</p>"}])
    report.save_revision().publish()
    project = PolicyProjectPage.objects.get(slug="london-ccin-connect")
    project.body = json.dumps([{"type": "paragraph", "value": "<p>Successful, 2026.</p>"}])
    project.save_revision().publish()
    edited = PolicyProjectPage.objects.get(slug="local-property-partnership")
    edited.body = json.dumps([{"type": "paragraph", "value": "<p>Comms' own words.</p>"}])
    edited.save_revision(user=editor).publish()
    index = CaseStudyIndexPage.objects.get()
    for slug, user in [
        ("london-ccin-connect", None),
        ("faith-young-people-and-resilience", editor),
    ]:
        old = CaseStudyPage(title=slug, slug=slug, summary="A repeat.", other_organisations="X")
        index.add_child(instance=old)
        old.save_revision(user=user).publish()

    demo.load(io.StringIO())

    report = PublicationPage.objects.get(pk=report.pk)
    assert report.has_summary_sheet and not report.body
    assert not documents.objects.filter(title__endswith="(placeholder PDF)").exists()
    project = PolicyProjectPage.objects.get(pk=project.pk)
    assert "on behalf of the network" in str(project.body)
    assert "Comms' own words." in str(PolicyProjectPage.objects.get(pk=edited.pk).body)
    slugs = set(CaseStudyPage.objects.values_list("slug", flat=True))
    assert "london-ccin-connect" not in slugs
    assert "faith-young-people-and-resilience" in slugs  # an editor's: left alone

    revisions = Revision.objects.count()
    demo.load(io.StringIO())
    assert Revision.objects.count() == revisions
