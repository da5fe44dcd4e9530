"""A media disk that fills up or turns read-only under a live production server: the
operator's /readyz says so, an editor's upload is refused with a message that says nothing
was saved, no partial file or orphan record is left, and uploads work again once it is fixed.

The disk is a small tmpfs mounted for the test (the lane runs as root, as CI does), so it
really fills and really turns read-only; the server is a third one on the lane's database.
"""

import json
import os
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from tests.ops.servers import get, manage, start_gunicorn, stop

from .conftest import wait_for
from .test_production import Browser

pytestmark = pytest.mark.parity

DISK_BYTES = 4 * 1024 * 1024
MIN_FREE_BYTES = 256 * 1024
EDITOR = ("parity-ed", "an-editor-parity-passphrase")


def mount(folder: Path, options: str) -> None:
    result = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        pytest.fail(f"The lane needs to mount a small tmpfs (as root): {result.stderr.strip()}")


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)  # noqa: S603, S607


@pytest.fixture(scope="module")
def small_disk(stack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("small-media")
    mount(folder, f"size={DISK_BYTES},mode=0755")
    env = {**stack.env, "MEDIA_ROOT": str(folder), "CCIN_MEDIA_MIN_FREE_BYTES": str(MIN_FREE_BYTES)}
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user({EDITOR[0]!r}, 'ed@councils.coop', {EDITOR[1]!r}); "
        "u.groups.add(Group.objects.get(name='Editors'))",
    )
    process, url = start_gunicorn(env, workers=2)
    try:
        yield url, folder, env
    finally:
        stop(process)
        subprocess.run(["umount", str(folder)], check=False)  # noqa: S603, S607


def signed_in(url: str) -> Browser:
    browser = Browser(url)
    _, _, html = browser.request("/admin/login/")
    status, _, _ = browser.request(
        "/admin/login/",
        {"csrfmiddlewaretoken": browser.csrf(html), "username": EDITOR[0], "password": EDITOR[1]},
    )
    assert status == 302, "the editor could not sign in"
    return browser


def png(side: int, noise: bool = False) -> bytes:
    image = (
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        if noise
        else Image.new("RGB", (side, side), (180, 20, 70))
    )
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(browser: Browser, title: str, content: bytes):
    _, _, html = browser.request("/admin/images/add/")
    return browser.request(
        "/admin/images/add/",
        {"csrfmiddlewaretoken": browser.csrf(html), "title": title},
        files={"file": (f"{title.lower().replace(' ', '-')}.png", content)},
    )


def images_titled(env, title: str) -> int:
    return int(
        manage(
            env,
            "shell",
            "-c",
            f"from wagtail.images.models import Image; "
            f"print(Image.objects.filter(title={title!r}).count())",
        ).split()[-1]
    )


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def readiness(url: str) -> tuple[int, dict]:
    status, _, body = get(url + "/readyz")
    return status, json.loads(body)


def refused_cleanly(browser, env, folder, title, content) -> None:
    before = files(folder)
    status, _, html = upload(browser, title, content)
    assert status == 503, f"expected the storage message, got {status}"
    assert "The file could not be stored" in html and "Nothing was saved" in html
    assert images_titled(env, title) == 0, "a record was left for a file that was not stored"
    assert files(folder) == before, "a partial or temporary file was left behind"


def test_a_full_media_disk_is_reported_and_refused_cleanly_then_recovers(small_disk):
    url, folder, env = small_disk
    browser = signed_in(url)
    assert readiness(url)[0] == 200

    # An image bigger than the room left: the write fails part-way.
    refused_cleanly(browser, env, folder, "Too big for the disk", png(1400, noise=True))

    # The disk filled by something else: /readyz tells the operator before editors find out.
    filler = folder / "filler.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    filler.write_bytes(b"\0" * (free - 64 * 1024))
    status, report = readiness(url)
    assert status == 503 and report["checks"]["storage"] != "ok", report
    refused_cleanly(browser, env, folder, "No room at all", png(300, noise=True))

    filler.unlink()
    wait_for(lambda: readiness(url)[0] == 200, what="/readyz to recover")
    status, headers, _ = upload(browser, "Room again", png(64))
    assert status == 302, "an upload after the disk was cleared did not save"
    assert images_titled(env, "Room again") == 1


def test_a_read_only_media_disk_is_reported_and_refused_cleanly_then_recovers(small_disk):
    url, folder, env = small_disk
    browser = signed_in(url)
    remount(folder, "ro")
    try:
        status, report = readiness(url)
        assert status == 503 and report["checks"]["storage"] != "ok", report
        refused_cleanly(browser, env, folder, "Read only disk", png(64))
        assert get(url + "/")[0] == 200, "the public site stopped serving"
    finally:
        remount(folder, "rw")
    wait_for(lambda: readiness(url)[0] == 200, what="/readyz to recover")
    assert upload(browser, "Writable again", png(64))[0] == 302
    assert images_titled(env, "Writable again") == 1
