"""An import indexes what it wrote for search and for references once, at its end, and the
result is what Wagtail's own per-save indexing gives.

The deferral wraps two module-level names Wagtail's signal handlers call
(wordpress/indexing.py); if Wagtail renames or stops calling them, these tests fail rather
than the import silently indexing nothing (or everything three times).
"""

import pytest
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from caching.versions import read_version
from casestudies.models import CaseStudyPage, PublicationPage
from news.models import NewsPage
from wordpress import indexing

from .test_import import EVERYTHING, run
from .wxr_builder import export

pytestmark = pytest.mark.django_db


def entry_for(page) -> IndexEntry | None:
    page = page.specific
    return IndexEntry.objects.filter(
        content_type__model=page._meta.model_name, object_id=str(page.pk)
    ).first()


def test_the_wrapping_is_in_place_on_the_wagtail_we_run():
    assert indexing.installed()


def test_an_imported_page_is_found_by_site_search_and_its_files_know_where_they_are_used(
    demo, uploads, client
):
    report = run(export(*EVERYTHING), uploads, publish=True)
    assert not report.failed, report.failed

    study = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    found = Page.objects.live().search("solar panels schools")
    assert study.pk in [page.pk for page in found]
    # Related fields are indexed too: the theme and the tag.
    assert study.pk in [page.pk for page in CaseStudyPage.objects.live().search("Energy")]
    assert study.pk in [page.pk for page in CaseStudyPage.objects.live().search("solar")]
    press = NewsPage.objects.get(slug="statement-on-the-local-elections")
    assert press.pk in [page.pk for page in NewsPage.objects.live().search("congratulates")]
    html = client.get("/search/?q=solar+panels").content.decode()
    assert "Kirklees community energy" in html

    image = get_image_model().objects.get(title="Solar panels")
    used_by = {int(ref.object_id) for ref in ReferenceIndex.get_references_to(image)}
    assert study.pk in used_by
    publication = PublicationPage.objects.get(slug="energy-report")
    used_by = {int(ref.object_id) for ref in ReferenceIndex.get_references_to(publication.document)}
    assert publication.pk in used_by
    used_by = {int(ref.object_id) for ref in ReferenceIndex.get_references_to(publication)}
    assert study.pk in used_by  # the case study links to the report


def test_bulk_indexing_writes_what_wagtails_own_indexing_writes(demo, uploads):
    run(export(*EVERYTHING), uploads, publish=True)
    study = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    bulk = entry_for(study)
    bulk_refs = sorted(
        ReferenceIndex.objects.filter(object_id=str(study.pk)).values_list(
            "to_content_type_id", "to_object_id", "model_path"
        )
    )
    assert bulk is not None and bulk_refs

    IndexEntry.objects.filter(pk=bulk.pk).delete()
    ReferenceIndex.objects.filter(object_id=str(study.pk)).delete()
    study.save_revision().publish()  # Wagtail's own signal handlers, outside any import

    own = entry_for(study)
    assert (own.title, own.autocomplete, own.body) == (bulk.title, bulk.autocomplete, bulk.body)
    assert (
        sorted(
            ReferenceIndex.objects.filter(object_id=str(study.pk)).values_list(
                "to_content_type_id", "to_object_id", "model_path"
            )
        )
        == bulk_refs
    )


def test_inside_the_block_saves_wait_and_each_object_is_indexed_once(demo):
    news = NewsPage.objects.live().first()
    with indexing.deferred_indexing():
        for word in ("first", "second", "third"):
            news.title = f"Election night, {word} edition"
            news.save_revision().publish()
        assert "third" not in str(entry_for(news).title)  # not yet
    assert "third" in str(entry_for(news).title)


def test_a_dry_run_indexes_nothing(demo, uploads):
    run(export(*EVERYTHING), uploads, publish=True, dry_run=True)
    assert not CaseStudyPage.objects.filter(slug="kirklees-community-energy").exists()
    assert not IndexEntry.objects.filter(title__icontains="Kirklees community energy").exists()


def test_outside_an_import_a_save_is_indexed_at_once(demo):
    news = NewsPage.objects.live().first()
    news.title = "Election night, late edition"
    news.save_revision().publish()
    assert "late" in str(entry_for(news).title)


def test_an_import_moves_the_content_version_twice_not_per_row(demo, uploads):
    before = read_version()
    report = run(export(*EVERYTHING), uploads, publish=True)
    assert report.counts()["created"] == 7
    assert read_version() == before + 2
