"""The old site's wp-content/uploads, from a folder or a zip, read only on demand.

Files are found by their path under uploads/ ("2021/05/kirklees-energy.jpg"), whatever
folders the zip or folder wraps them in. Nothing is extracted to disk, so a zip cannot write
outside its folder, and a member larger than the limit is refused rather than read.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 50 * 1024 * 1024
UPLOADS_MARKER = re.compile(r"(?:^|/)(?:wp-content/)?uploads/")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class UploadsError(ValueError):
    pass


def relative_upload_path(url_or_path: str) -> str:
    """ "https://x/wp-content/uploads/2021/05/a.jpg" -> "2021/05/a.jpg"; "" if not an upload."""
    path = url_or_path.split("?", 1)[0].split("#", 1)[0]
    match = UPLOADS_MARKER.search(path)
    if not match:
        return ""
    rest = path[match.end() :]
    parts = [part for part in PurePosixPath(rest).parts if part not in ("", ".", "/")]
    if not parts or ".." in parts:
        return ""
    return "/".join(parts)


def original_of(relative: str) -> str:
    """A resized copy's original: "2021/05/a-300x200.jpg" -> "2021/05/a.jpg"."""
    return SIZE_SUFFIX.sub("", relative)


class Uploads:
    """Files by relative path; `read` returns None for a file that is not there."""

    def __init__(self, files: dict[str, object], opener) -> None:
        self._files = files
        self._open = opener

    def __contains__(self, relative: str) -> bool:
        return relative in self._files

    def __len__(self) -> int:
        return len(self._files)

    def read(self, relative: str) -> bytes | None:
        entry = self._files.get(relative)
        if entry is None:
            return None
        return self._open(entry)

    @classmethod
    def empty(cls) -> Uploads:
        return cls({}, lambda entry: None)

    @classmethod
    def from_path(cls, path: Path) -> Uploads:
        if path.is_dir():
            return cls.from_folder(path)
        return cls.from_zip(path.read_bytes())

    @classmethod
    def from_folder(cls, folder: Path) -> Uploads:
        files: dict[str, object] = {}
        for file in folder.rglob("*"):
            if file.is_file():
                name = file.relative_to(folder).as_posix()
                relative = relative_upload_path(name) or name
                files.setdefault(relative, file)

        def opener(file: Path) -> bytes | None:
            if file.stat().st_size > MAX_FILE_BYTES:
                return None
            return file.read_bytes()

        return cls(files, opener)

    @classmethod
    def from_zip(cls, data: bytes) -> Uploads:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError) as error:
            raise UploadsError(
                f"The uploads file is not a readable zip archive ({error})."
            ) from None
        files: dict[str, object] = {}
        for info in archive.infolist():
            if info.is_dir():
                continue
            relative = relative_upload_path(info.filename) or "/".join(
                part for part in PurePosixPath(info.filename).parts if part not in ("..", "/")
            )
            files.setdefault(relative, info)

        def opener(info: zipfile.ZipInfo) -> bytes | None:
            if info.file_size > MAX_FILE_BYTES:
                return None
            try:
                return archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
                return None

        return cls(files, opener)
