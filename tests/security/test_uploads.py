"""Uploads through the admin: an allow-list for documents, no SVG images, safe serving."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

Document = get_document_model()
Image = get_image_model()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


def upload_document(client, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content, content_type), "collection": 1},
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name",
    ["report.pdf", "budget.xlsx", "minutes.docx", "notes.odt", "data.ods", "rows.csv", "deck.pptx"],
)
def test_allowed_document_formats_upload(admin_client, home_page, name):
    response = upload_document(admin_client, name, PDF if name.endswith(".pdf") else b"data")
    assert response.status_code == 302
    assert Document.objects.filter(title=name).exists()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("page.html", "text/html"),
        ("image.svg", "image/svg+xml"),
        ("setup.exe", "application/octet-stream"),
        ("script.js", "text/javascript"),
        ("archive.zip", "application/zip"),
        ("notes.txt", "text/plain"),
        ("report.pdf.html", "text/html"),
    ],
)
def test_other_document_formats_are_refused_with_a_clear_error(
    admin_client, home_page, name, content_type
):
    response = upload_document(admin_client, name, b"<script>alert(1)</script>", content_type)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    extension = name.rsplit(".", 1)[-1]
    assert errors == [
        f"File extension “{extension}” is not allowed. "
        "Allowed extensions are: pdf, docx, xlsx, odt, ods, csv, pptx."
    ]
    assert not Document.objects.filter(title=name).exists()


def test_documents_over_the_size_limit_are_refused(admin_client, home_page, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    assert (
        "This file is too big (2.0\xa0KB). Maximum filesize 1.0\xa0KB."
        in (response.context["form"].errors["file"])
    )
    assert not Document.objects.filter(title="big.pdf").exists()


def test_only_pdfs_open_in_the_browser(admin_client, client, home_page):
    upload_document(admin_client, "report.pdf", PDF)
    upload_document(admin_client, "budget.xlsx", b"xlsx bytes")
    pdf = Document.objects.get(title="report.pdf")
    sheet = Document.objects.get(title="budget.xlsx")

    pdf_response = client.get(pdf.url)
    assert pdf_response.status_code == 200
    assert pdf_response["Content-Disposition"].startswith("inline")
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response["X-Content-Type-Options"] == "nosniff"
    assert pdf_response["Content-Security-Policy"] == "default-src 'none'"

    sheet_response = client.get(sheet.url)
    assert sheet_response["Content-Disposition"].startswith("attachment")
    b"".join(pdf_response.streaming_content)
    b"".join(sheet_response.streaming_content)


def test_svg_images_are_refused(admin_client, home_page):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "logo",
            "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "Not a supported image format" in errors
    assert "svg" not in errors.split("Supported formats:")[-1].lower()
    assert not Image.objects.filter(title="logo").exists()


def test_png_images_upload(admin_client, home_page):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "chart",
            "file": SimpleUploadedFile("chart.png", png_bytes(), "image/png"),
            "collection": 1,
        },
    )
    assert response.status_code == 302
    assert Image.objects.filter(title="chart").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a" + b"\x00" * 20,  # a GIF header and nothing a GIF needs after it
        b"GIF89a\x0a\x00\x0a\x00\x80\x00\x00" + b"\xff" * 30,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 16,  # a PNG signature, then nothing
        b"not an image at all",
    ],
)
def test_a_broken_image_is_a_form_error_and_nothing_is_saved(admin_client, home_page, content):
    before = Image.objects.count()
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Broken",
            "file": SimpleUploadedFile("broken.gif", content, "image/gif"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(message in response.content.decode() for message in errors)
    assert Image.objects.count() == before
