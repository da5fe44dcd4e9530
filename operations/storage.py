"""Media files written whole or not at all, and a clear answer when the disk cannot take them.

Django's ``FileSystemStorage`` writes an upload straight to its final name: on a full disk it
leaves a truncated file there, and a full or read-only disk surfaces as a bare 500. This
storage writes to a hidden temporary file beside the target and links it into place only
once every byte is down, removing it on any failure; an error that means the disk cannot
take files (full, over quota, read-only, not permitted, failing) becomes
``MediaStorageUnavailable``, which ``MediaStorageUnavailableMiddleware`` answers with a page
that says what happened: nothing was saved. Image and document rows are written after their
file (Django saves a ``FileField``'s file before the row), so no record points at a missing
or partial file. ``/readyz`` reports the same condition to the operator (operations/health.py).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Callable

from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils._os import safe_makedirs
from wagtail.images.models import SourceImageIOError

from security.client import is_admin_path

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
TEMPORARY_PREFIX = ".upload-"


class MediaStorageUnavailable(OSError):
    """The media disk cannot take a file now; nothing of it was left behind."""


class RenditionNotStored(MediaStorageUnavailable, SourceImageIOError):
    """A resized image the disk cannot take. Also Wagtail's ``SourceImageIOError``, so its
    image tags draw the image as missing and ``home.images.rendition_or_none`` leaves it out:
    a visitor's page still renders when only a new rendition could not be written."""


RENDITION_FOLDER = "images/"  # Wagtail's AbstractRendition upload_to


class MediaStorage(FileSystemStorage):
    def _save(self, name: str, content) -> str:
        try:
            return self._save_whole(name, content)
        except OSError as error:
            if isinstance(error, MediaStorageUnavailable) or error.errno in UNAVAILABLE_ERRNOS:
                logger.error("Media storage could not store %s: %s", name, error)
                unavailable = (
                    RenditionNotStored
                    if str(name).startswith(RENDITION_FOLDER)
                    else MediaStorageUnavailable
                )
                raise unavailable(error.errno, str(error)) from error
            raise

    def _save_whole(self, name: str, content) -> str:
        directory = os.path.dirname(self.path(name))
        if self.directory_permissions_mode is not None:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=directory)
        try:
            with os.fdopen(descriptor, "wb") as file:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    write_all(file.fileno(), chunk)
                os.fsync(file.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            while True:
                try:
                    place(temporary, self.path(name))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return str(name).replace("\\", "/")


def place(temporary: str, target: str) -> None:
    """Give the finished file its name, never replacing another (FileExistsError if taken)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in {errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}:
            raise
        # A filesystem without hard links: check, then rename (the temporary is unlinked
        # afterwards either way, so a second rename target never loses a file).
        if os.path.exists(target):
            raise FileExistsError(target) from error
        os.rename(temporary, target)


def write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def storage_unavailable_response(request: HttpRequest) -> HttpResponse:
    admin = is_admin_path(request.path_info)
    message = (
        "The file could not be stored: the server's media storage is full or cannot be "
        "written to. Nothing was saved and no part of the file was kept. Please try again "
        "later, and tell the website's operator."
    )
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # Wagtail's multiple upload shows error_message beside the file.
        response = JsonResponse({"success": False, "error_message": message}, status=503)
    else:
        body = loader.get_template("operations/storage_unavailable.html").render(
            {"admin": admin, "message": message}
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class MediaStorageUnavailableMiddleware:
    """Answer ``MediaStorageUnavailable`` from a view with a 503 that says what happened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, MediaStorageUnavailable):
            return storage_unavailable_response(request)
        return None
