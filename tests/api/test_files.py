"""/api/v2/images/ and /api/v2/documents/: only files that public content uses."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from casestudies.models import PublicationPage

pytestmark = pytest.mark.django_db


def listed_titles(client, endpoint: str) -> set[str]:
    response = client.get(f"/api/v2/{endpoint}/?limit=100")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def new_image(title: str):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(filename="embargoed.png")
    )


def test_images_used_by_live_pages_are_listed(client, published_site):
    assert listed_titles(client, "images") == {"Council chamber"}
    data = client.get(f"/api/v2/images/{published_site.image.pk}/?fields=share_image").json()
    assert "fill-1200x630" in data["share_image"]["url"]


def test_an_embargoed_press_releases_image_stays_hidden_until_release(client, published_site):
    secret = new_image("Leader signs the devolution deal")
    embargoed = published_site.embargoed
    embargoed.listing_image = secret
    embargoed.save_revision().publish()  # still scheduled: the go-live time is in the future
    embargoed.refresh_from_db()
    assert not embargoed.live
    assert "Leader signs the devolution deal" not in listed_titles(client, "images")
    assert client.get(f"/api/v2/images/{secret.pk}/").status_code == 404


def test_unused_images_are_not_listed(client, published_site):
    new_image("Unused photo")
    assert "Unused photo" not in listed_titles(client, "images")


def test_a_draft_reports_pdf_is_not_listed(client, published_site):
    draft_pdf = get_document_model().objects.create(
        title="Draft report (not yet published)",
        file=ContentFile(b"%PDF-1.4 draft", name="draft.pdf"),
    )
    draft = PublicationPage(title="Draft report", slug="draft-report", document=draft_pdf)
    draft.live = False
    published_site.pub_index.add_child(instance=draft)
    draft.save_revision()
    assert listed_titles(client, "documents") == {"Co-operative councils report"}
    assert client.get(f"/api/v2/documents/{draft_pdf.pk}/").status_code == 404


def test_a_private_pages_files_are_not_listed(client, published_site):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=published_site.pub_index,
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    assert listed_titles(client, "documents") == set()


def test_searching_images_finds_the_public_ones_only(client, published_site):
    new_image("Council chamber annex, unused")
    response = client.get("/api/v2/images/?search=chamber")
    assert response.status_code == 200
    assert {item["title"] for item in response.json()["items"]} == {"Council chamber"}


def test_searching_documents_finds_the_public_ones_only(client, published_site):
    get_document_model().objects.create(
        title="Councils report, not linked from any page",
        file=ContentFile(b"%PDF-1.4 unused", name="unused.pdf"),
    )
    response = client.get("/api/v2/documents/?search=report")
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert titles == {"Co-operative councils report"}


def test_original_files_are_served_only_for_public_images(client, published_site):
    """An embargoed press release's picture stays private to someone who guesses its name."""
    public = published_site.image
    assert client.get(f"/media-files/{public.file.name}").status_code == 200

    secret = new_image("Leader signs the devolution deal")
    embargoed = published_site.embargoed
    embargoed.listing_image = secret
    embargoed.save_revision().publish()  # still scheduled: the go-live time is in the future
    assert client.get(f"/media-files/{secret.file.name}").status_code == 404
    assert client.get("/media-files/original_images/no-such-file.png").status_code == 404
