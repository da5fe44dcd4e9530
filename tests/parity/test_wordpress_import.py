"""The WordPress import as production meets it: `manage.py import_wordpress` in a process of
its own, with Redis stalled while it runs, against the lane's servers, which have the
listings cached. Every server must then show the imported content and send every old
address to it; nothing cached before the import may hide it.

Runs after test_production.py (file order): the import adds content the earlier tests would
otherwise see.
"""

import urllib.request

import pytest

from tests.ops.servers import get, manage
from tests.wordpress.wxr_builder import SITE, Post, export, png

from .conftest import wait_for

pytestmark = pytest.mark.parity

STUDY = Post(
    9101,
    "Oldham: a community energy co-operative",
    post_type="case-study",
    slug="oldham-community-energy",
    link=f"{SITE}/case-study/oldham-community-energy/",
    content=(
        "Oldham Council helped residents set up an energy co-operative.\n\n"
        f'<img class="wp-image-9201" src="{SITE}/wp-content/uploads/2022/03/roof.png" '
        'alt="Solar panels on a community centre">'
    ),
    categories=[("energy", "Energy")],
)
ROOF = Post(
    9201,
    "Community centre roof",
    post_type="attachment",
    slug="roof",
    link=f"{SITE}/case-study/oldham-community-energy/roof/",
    parent=9101,
    attachment_url=f"{SITE}/wp-content/uploads/2022/03/roof.png",
    meta={"_wp_attachment_image_alt": "Solar panels on a community centre"},
)
RELEASE = Post(
    9102,
    "Network welcomes the energy co-operatives report",
    slug="energy-co-operatives-report",
    link=f"{SITE}/media/energy-co-operatives-report/",
    content="<p>The network welcomes the report on energy co-operatives.</p>",
    categories=[("press-release", "Press Release")],
)


def everywhere(stack, path: str, times: int = 6) -> list[tuple[int, str]]:
    """(status, body) from every server, both workers each; redirects followed."""
    return [get(server + path)[::2] for server in stack.servers for _ in range(times)]


def all_show(stack, path: str, text: str) -> bool:
    return all(status == 200 and text in body for status, body in everywhere(stack, path))


def cached_somewhere(stack, path: str) -> bool:
    return any(
        get(server + path)[1].get("X-Page-Cache") == "hit"
        for server in stack.servers
        for _ in range(6)
    )


def test_an_import_during_a_redis_stall_reaches_every_server_and_every_old_address(stack, tmp_path):
    for listing in ("/case-studies/", "/news/"):
        wait_for(
            lambda listing=listing: cached_somewhere(stack, listing), what="the listing cached"
        )
    assert {status for status, _ in everywhere(stack, "/case-study/oldham-community-energy/")} == {
        404
    }
    (tmp_path / "export.xml").write_bytes(export(STUDY, ROOF, RELEASE))
    png(tmp_path / "uploads/2022/03/roof.png")

    assert stack.redis.cli("CLIENT", "PAUSE", "4000", "ALL") == "OK"
    output = manage(
        stack.env,
        "import_wordpress",
        str(tmp_path / "export.xml"),
        "--uploads",
        str(tmp_path / "uploads"),
        "--publish",
    )
    assert "Created 3," in output
    wait_for(lambda: stack.redis.cli("ping") == "PONG", what="Redis to answer again")

    title = "Oldham: a community energy co-operative"
    wait_for(lambda: all_show(stack, "/case-studies/", title), what="every listing to show it")
    wait_for(
        lambda: all_show(stack, "/news/", "Network welcomes the energy co-operatives report"),
        what="the news listing to show the release",
    )
    for old in (
        "/case-study/oldham-community-energy/",
        "/?p=9101",
        "/case-study/oldham-community-energy",
    ):
        assert all_show(stack, old, "helped residents set up an energy co-operative"), old
    assert all_show(stack, "/media/energy-co-operatives-report/", "welcomes the report")
    with urllib.request.urlopen(stack.servers[0] + "/wp-content/uploads/2022/03/roof.png") as file:  # noqa: S310
        assert file.status == 200 and file.headers["Content-Type"] == "image/png"
        assert file.read().startswith(b"\x89PNG")

    # Searchable on every server at once: the import indexed what it wrote.
    assert all_show(stack, "/search/?q=energy+co-operative", title)

    # Run again from another process: nothing changes, nothing is duplicated.
    again = manage(
        stack.env,
        "import_wordpress",
        str(tmp_path / "export.xml"),
        "--uploads",
        str(tmp_path / "uploads"),
        "--publish",
    )
    assert "Created 0, updated 0, unchanged 3," in again
    assert all(body.count(title) == 1 for _, body in everywhere(stack, "/case-studies/", 2))
