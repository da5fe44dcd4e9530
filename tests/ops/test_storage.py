"""A full or read-only media disk: a clear 503 that says nothing was saved, no partial file
left behind, no image or document row pointing at a missing file (operations/storage.py)."""

import errno
import os
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from operations import storage as storage_module
from operations.storage import MediaStorage, MediaStorageUnavailable


def png_bytes(size=(40, 30)) -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", size, (200, 30, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def disk_fills_after(monkeypatch):
    """os.write takes this many bytes in all, then the disk is full (ENOSPC)."""

    def fill(capacity: int):
        taken = {"bytes": 0}
        real_write = os.write

        def write(descriptor, data):
            room = capacity - taken["bytes"]
            if room <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            written = real_write(descriptor, bytes(data[:room]))
            taken["bytes"] += written
            return written

        monkeypatch.setattr(storage_module.os, "write", write)

    return fill


def test_a_file_is_written_whole_under_its_own_name(tmp_path):
    storage = MediaStorage(location=tmp_path)
    name = storage.save("documents/report.pdf", ContentFile(b"%PDF-1.7 whole"))
    assert storage.open(name).read() == b"%PDF-1.7 whole"
    again = storage.save("documents/report.pdf", ContentFile(b"%PDF-1.7 second"))
    assert again != name and storage.open(name).read() == b"%PDF-1.7 whole"
    assert files_in(tmp_path) == sorted([name, again])
    assert oct((tmp_path / name).stat().st_mode & 0o777) == oct(0o644)


def test_a_disk_that_fills_mid_file_leaves_nothing_behind(tmp_path, disk_fills_after):
    storage = MediaStorage(location=tmp_path)
    disk_fills_after(1000)
    with pytest.raises(MediaStorageUnavailable):
        storage.save("original_images/big.png", ContentFile(b"x" * 50_000))
    assert files_in(tmp_path) == []


def test_a_read_only_disk_is_unavailable_not_an_error(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(storage_module.tempfile, "mkstemp", read_only)
    with pytest.raises(MediaStorageUnavailable):
        MediaStorage(location=tmp_path).save("a.txt", ContentFile(b"a"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no transaction around views
def test_an_image_upload_on_a_full_disk_says_nothing_was_saved(
    admin_client, disk_fills_after, settings
):
    images = get_image_model().objects.count()
    before = files_in(Path(settings.MEDIA_ROOT))
    disk_fills_after(100)
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Council chamber", "file": ContentFile(png_bytes(), name="chamber.png")},
    )
    assert response.status_code == 503
    text = response.content.decode()
    assert "The file could not be stored" in text and "Nothing was saved" in text
    assert get_image_model().objects.count() == images
    assert files_in(Path(settings.MEDIA_ROOT)) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no transaction around views
def test_a_multiple_upload_on_a_read_only_disk_answers_in_wagtails_own_terms(
    admin_client, monkeypatch
):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(storage_module.tempfile, "mkstemp", read_only)
    documents = get_document_model().objects.count()
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": ContentFile(b"%PDF-1.7 report", name="report.pdf")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 503
    assert response.json()["success"] is False
    assert "could not be stored" in response.json()["error_message"]
    assert get_document_model().objects.count() == documents
