"""The admin's WordPress import, as a moderator and an editor meet it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Page

from casestudies.models import CaseStudyPage
from wordpress.models import ImportRun

from .conftest import user_in
from .wxr_builder import SITE, Post, export, png

pytestmark = pytest.mark.django_db

STUDY = Post(
    101,
    "Kirklees community energy",
    post_type="case-study",
    slug="kirklees-community-energy",
    link=f"{SITE}/case-study/kirklees-community-energy/",
    content=f'<p>Kirklees Council put solar on schools.</p><img class="wp-image-201" '
    f'src="{SITE}/wp-content/uploads/2021/05/solar.png" alt="Solar panels">',
    categories=[("kirklees", "Kirklees")],
)
IMAGE = Post(
    201,
    "Solar panels",
    post_type="attachment",
    parent=101,
    attachment_url=f"{SITE}/wp-content/uploads/2021/05/solar.png",
)


def uploads_zip(tmp_path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(png(tmp_path / "solar.png"), "wp-content/uploads/2021/05/solar.png")
    return buffer.getvalue()


def upload(client, data: bytes, zip_bytes: bytes | None = None, publish=True):
    form = {"export": SimpleUploadedFile("councils-coop.xml", data, "text/xml")}
    if zip_bytes is not None:
        form["uploads"] = SimpleUploadedFile("uploads.zip", zip_bytes, "application/zip")
    if publish:
        form["publish"] = "on"
    return client.post("/admin/wordpress-import/", form)


def test_a_moderator_previews_then_imports(moderator, library, tmp_path):
    response = upload(moderator, export(STUDY, IMAGE), uploads_zip(tmp_path))
    run = ImportRun.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/admin/wordpress-import/{run.pk}/"
    )
    assert not CaseStudyPage.objects.exists()  # a preview changes nothing

    preview = moderator.get(response["Location"]).content.decode()
    assert "Preview: nothing has been changed yet" in preview
    assert "Created 2," in preview and "Import now" in preview
    assert "Kirklees community energy" in preview

    done = moderator.post(f"/admin/wordpress-import/{run.pk}/import/", follow=True)
    page = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    assert page.live and page.lead_council.name == "Kirklees Council"
    run.refresh_from_db()
    assert run.status == "imported" and run.imported_by.username == "moderator"
    assert "Imported" in done.content.decode()

    again = moderator.post(f"/admin/wordpress-import/{run.pk}/import/", follow=True)
    assert "already been imported" in again.content.decode()
    assert CaseStudyPage.objects.count() == 1


def test_the_moderator_checks_every_old_address(moderator, library, tmp_path):
    upload(moderator, export(STUDY, IMAGE), uploads_zip(tmp_path))
    run = ImportRun.objects.get()
    moderator.post(f"/admin/wordpress-import/{run.pk}/import/")
    response = moderator.post(f"/admin/wordpress-import/{run.pk}/parity/", follow=True)
    text = response.content.decode()
    assert "(100.0%)" in text, text


def test_a_broken_file_is_a_form_error_and_nothing_is_kept(moderator, library):
    response = upload(moderator, export(STUDY)[:700])
    assert response.status_code == 200
    assert "not valid XML at line" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_zip_that_is_not_a_zip_is_refused(moderator, library):
    response = upload(moderator, export(STUDY), b"not a zip at all")
    assert response.status_code == 200
    assert "not a readable zip" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_editor_cannot_import(client, django_user_model, library):
    client.force_login(user_in(django_user_model, "Editors", "editor"))
    assert client.get("/admin/wordpress-import/").status_code in (302, 403)
    pages = Page.objects.count()
    assert upload(client, export(STUDY)).status_code in (302, 403)
    assert Page.objects.count() == pages and not ImportRun.objects.exists()
    assert "WordPress import" not in client.get("/admin/").content.decode()


def test_the_menu_offers_the_import_to_moderators(moderator, library):
    assert "WordPress import" in moderator.get("/admin/").content.decode()


def test_the_preview_of_a_newer_export_lists_what_it_no_longer_has(moderator, library, tmp_path):
    upload(moderator, export(STUDY, IMAGE), uploads_zip(tmp_path))
    first = ImportRun.objects.get()
    moderator.post(f"/admin/wordpress-import/{first.pk}/import/")

    response = upload(moderator, export(IMAGE), uploads_zip(tmp_path))
    text = moderator.get(response["Location"]).content.decode()
    assert "Imported earlier, not in this export (1)" in text
    assert "Kirklees community energy" in text and "(live)" in text
    assert "1 imported earlier, not in this export: left as they are." in text
