"""The WordPress exports the import tests and benchmark use are what they claim to be.

`fixtures/councils-coop.xml` holds one raw vertical-tab byte, as pasted from Word, which XML
forbids: the file is parsed here with that byte removed, and shown not to parse with it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from xml.etree import ElementTree  # noqa: S405 - parses this repository's own fixtures

import pytest
from PIL import Image

from tests.wordpress import exports
from tests.wordpress.exports import (
    COUNCILS_COOP_COUNTS,
    COUNCILS_COOP_MISSING_UPLOAD,
    COUNCILS_COOP_UNLISTED_UPLOAD,
    COUNCILS_COOP_V2_ADDED,
    COUNCILS_COOP_V2_DELETED,
    COUNCILS_COOP_V2_EDITED,
    COUNCILS_COOP_WITHOUT_ID,
    FIXTURES,
    write_export,
    write_fixture_uploads,
)

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
MAX_UPLOAD_BYTES = 5 * 1024


def parse(raw: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(raw)  # noqa: S314 - this repository's own files


def items(root: ElementTree.Element) -> list[ElementTree.Element]:
    return root.find("channel").findall("item")


def wp(item: ElementTree.Element, name: str) -> str:
    return item.findtext(f"{WP}{name}") or ""


def meta(item: ElementTree.Element) -> dict[str, str]:
    return {
        wp(entry, "meta_key"): wp(entry, "meta_value") for entry in item.findall(f"{WP}postmeta")
    }


def by_id(root: ElementTree.Element) -> dict[int, ElementTree.Element]:
    return {int(wp(item, "post_id")): item for item in items(root) if wp(item, "post_id")}


def php_unserialize(text: str):
    """PHP's unserialize() for what WordPress keeps in postmeta; fails on a wrong length."""
    data = text.encode()

    def value(at: int):
        kind = data[at : at + 1]
        if kind == b"N":
            return None, at + 2
        if kind in b"bid":
            end = data.index(b";", at)
            raw = data[at + 2 : end].decode()
            return (float(raw) if kind == b"d" else int(raw)), end + 1
        if kind == b"s":
            colon = data.index(b":", at + 2)
            length = int(data[at + 2 : colon])
            start = colon + 2
            assert data[start - 1 : start] == b'"', text
            assert data[start + length : start + length + 2] == b'";', f"bad length in {text}"
            return data[start : start + length].decode(), start + length + 2
        if kind == b"a":
            colon = data.index(b":", at + 2)
            count = int(data[at + 2 : colon])
            at = colon + 2
            result = {}
            for _ in range(count):
                key, at = value(at)
                result[key], at = value(at)
            assert data[at : at + 1] == b"}", text
            return result, at + 1
        raise AssertionError(f"not serialised PHP: {text}")

    result, end = value(0)
    assert end == len(data), text
    return result


def assert_real_file(name: str, data: bytes) -> None:
    """The bytes are a file of the kind its name says, small enough to commit."""
    assert 0 < len(data) < MAX_UPLOAD_BYTES, name
    if name.endswith((".jpg", ".png")):
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == ("JPEG" if name.endswith(".jpg") else "PNG")
            assert image.size == (40, 30)
    elif name.endswith(".pdf"):
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        xref = int(re.search(rb"startxref\n(\d+)", data).group(1))
        assert data[xref : xref + 4] == b"xref"
    elif name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert "word/document.xml" in archive.namelist()
            parse(archive.read("word/document.xml"))
    else:
        raise AssertionError(f"unexpected upload {name}")


# The generator ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    counts = write_export(folder / "export.xml", items=400, uploads=folder / "uploads", seed=1)
    return folder, counts, parse((folder / "export.xml").read_bytes())


def test_generated_export_has_the_mix_and_the_counts_it_reports(generated):
    _folder, counts, root = generated
    assert counts == {
        "case-study": 180,
        "post": 80,
        "publication": 40,
        "attachment": 40,
        "project": 20,
        "page": 20,
        "newsletter": 12,
        "toolkit": 8,
    }
    assert Counter(wp(item, "post_type") for item in items(root)) == counts
    assert root.findtext(f"channel/{WP}wxr_version") == "1.2"
    assert root.findtext(f"channel/{WP}base_site_url") == "https://www.councils.coop"


def test_generated_items_have_unique_ids_and_addresses_in_the_old_shapes(generated):
    _folder, _counts, root = generated
    ids = [wp(item, "post_id") for item in items(root)]
    assert len(set(ids)) == len(ids)
    links = [item.findtext("link") for item in items(root)]
    assert len(set(links)) == len(links)
    prefixes = {
        "case-study": "/case-study/",
        "project": "/project/",
        "publication": "/publication/",
        "newsletter": "/newsletter/",
        "toolkit": "/resources/toolkits/",
    }
    for item in items(root):
        kind, link = wp(item, "post_type"), item.findtext("link")
        path = link.removeprefix("https://www.councils.coop")
        if kind in prefixes:
            assert path == f"{prefixes[kind]}{wp(item, 'post_name')}/"
        elif kind == "post":
            assert re.fullmatch(r"/(media|blog)/[a-z0-9-]+/", path), path
        assert path.endswith(f"/{wp(item, 'post_name')}/"), path


def test_generated_pages_hang_under_pages_of_the_export(generated):
    _folder, _counts, root = generated
    pages = {
        int(wp(item, "post_id")): item for item in items(root) if wp(item, "post_type") == "page"
    }
    children = [page for page in pages.values() if wp(page, "post_parent") != "0"]
    assert children, "no page has a parent"
    for page in children:
        parent = pages[int(wp(page, "post_parent"))]
        assert page.findtext("link") == f"{parent.findtext('link')}{wp(page, 'post_name')}/"


def test_generated_attachments_have_their_files_and_wordpress_metadata(generated):
    folder, _counts, root = generated
    found = by_id(root)
    attachments = [item for item in items(root) if wp(item, "post_type") == "attachment"]
    kinds = Counter(wp(item, "attachment_url").rsplit(".", 1)[1] for item in attachments)
    assert kinds["pdf"] and kinds["docx"] and kinds["jpg"] + kinds["png"]
    for item in attachments:
        values = meta(item)
        relative = values["_wp_attached_file"]
        assert (
            wp(item, "attachment_url") == f"https://www.councils.coop/wp-content/uploads/{relative}"
        )
        data = (folder / "uploads" / relative).read_bytes()
        assert_real_file(relative, data)
        assert php_unserialize(values["_wp_attachment_metadata"])["filesize"] == len(data)
        if relative.endswith((".jpg", ".png")):
            assert values["_wp_attachment_image_alt"]
        assert int(wp(item, "post_parent")) in found
    thumbnails = [meta(item).get("_thumbnail_id") for item in items(root)]
    for thumbnail in filter(None, thumbnails):
        assert wp(found[int(thumbnail)], "post_type") == "attachment"


def test_the_same_seed_writes_the_same_export(generated, tmp_path):
    folder, _counts, _root = generated
    write_export(tmp_path / "again.xml", items=400, uploads=tmp_path / "uploads", seed=1)
    write_export(tmp_path / "other.xml", items=400, seed=2)
    assert (tmp_path / "again.xml").read_bytes() == (folder / "export.xml").read_bytes()
    assert (tmp_path / "other.xml").read_bytes() != (folder / "export.xml").read_bytes()


def test_the_command_line_writes_an_export_and_says_what_is_in_it(tmp_path, capsys):
    assert exports.main([str(tmp_path / "small.xml"), "--items", "30"]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert len(items(parse((tmp_path / "small.xml").read_bytes()))) == 30


# The hand-written export ------------------------------------------------------------------


@pytest.fixture(scope="module")
def councils_coop():
    raw = (FIXTURES / "councils-coop.xml").read_bytes()
    return raw, parse(raw.replace(b"\x0b", b""))


def test_councils_coop_is_only_broken_by_the_byte_pasted_from_word(councils_coop):
    raw, _root = councils_coop
    assert raw.count(b"\x0b") == 1
    with pytest.raises(ElementTree.ParseError):
        parse(raw)


def test_councils_coop_has_the_items_it_claims(councils_coop):
    _raw, root = councils_coop
    with_id = [item for item in items(root) if wp(item, "post_id")]
    assert Counter(wp(item, "post_type") for item in with_id) == COUNCILS_COOP_COUNTS
    assert len(items(root)) - len(with_id) == COUNCILS_COOP_WITHOUT_ID
    statuses = Counter(wp(item, "status") for item in with_id if wp(item, "post_type") == "post")
    assert statuses == {"publish": 7, "draft": 1, "private": 1, "trash": 1}


def test_councils_coop_keeps_the_awkward_text_wordpress_writes(councils_coop):
    _raw, root = councils_coop
    found = by_id(root)
    assert found[320].findtext("title") == (
        "Oldham&#8217;s Get Oldham Working &amp; the Fair Employment Charter"
    )
    assert "//]]>" in found[370].findtext(CONTENT)
    assert "🎉" in found[505].findtext(CONTENT)
    assert "“co-operative council”" in found[330].findtext(CONTENT)
    tags = {
        tag.findtext(f"{WP}tag_slug"): tag.findtext(f"{WP}tag_name")
        for tag in root.iter(f"{WP}tag")
    }
    assert tags["ynys-mon"] == "Ynys Môn"
    assert wp(found[508], "post_date") == "0000-00-00 00:00:00"
    shortcodes = "".join(item.findtext(CONTENT) or "" for item in items(root))
    for shortcode in (
        '[contact-form-7 id="5"',
        "[gallery ids=",
        "[embed]https://www.youtube",
        "[caption",
    ):
        assert shortcode in shortcodes


def test_councils_coop_pages_form_the_old_tree(councils_coop):
    _raw, root = councils_coop
    found = by_id(root)
    pages = {key: item for key, item in found.items() if wp(item, "post_type") == "page"}
    paths = {}
    for key in sorted(pages, key=lambda k: wp(pages[k], "post_parent") != "0"):
        page, parent = pages[key], int(wp(pages[key], "post_parent"))
        paths[key] = f"{paths[parent] if parent else '/'}{wp(page, 'post_name')}/"
        assert page.findtext("link") == f"https://www.councils.coop{paths[key]}"
    assert set(paths.values()) >= {
        "/about-us/",
        "/about-us/our-team/",
        "/about-us/governance/",
        "/membership/associate-membership/",
        "/resources/",
    }


def test_councils_coop_uploads_are_there_except_the_one_missing(councils_coop):
    _raw, root = councils_coop
    found = by_id(root)
    uploads = FIXTURES / "uploads"
    listed = set()
    for item in items(root):
        if wp(item, "post_type") != "attachment":
            continue
        values = meta(item)
        relative = values["_wp_attached_file"]
        listed.add(relative)
        metadata = php_unserialize(values["_wp_attachment_metadata"])
        if relative == COUNCILS_COOP_MISSING_UPLOAD:
            assert not (uploads / relative).exists()
            continue
        data = (uploads / relative).read_bytes()
        assert_real_file(relative, data)
        assert metadata["filesize"] == len(data)
        assert int(wp(item, "post_parent")) in found
    on_disk = {str(path.relative_to(uploads)) for path in uploads.rglob("*") if path.is_file()}
    assert on_disk == listed - {COUNCILS_COOP_MISSING_UPLOAD} | {COUNCILS_COOP_UNLISTED_UPLOAD}
    assert_real_file(
        COUNCILS_COOP_UNLISTED_UPLOAD, (uploads / COUNCILS_COOP_UNLISTED_UPLOAD).read_bytes()
    )


def test_the_fixture_uploads_are_what_the_generator_makes(tmp_path):
    write_fixture_uploads(tmp_path)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            committed = FIXTURES / "uploads" / path.relative_to(tmp_path)
            assert committed.read_bytes() == path.read_bytes(), committed


def test_v2_is_a_month_later_with_one_edit_one_addition_and_one_deletion(councils_coop):
    _raw, root = councils_coop
    raw2 = (FIXTURES / "councils-coop-v2.xml").read_bytes()
    assert raw2.count(b"\x0b") == 1
    before, after = by_id(root), by_id(parse(raw2.replace(b"\x0b", b"")))
    assert set(after) == set(before) - {COUNCILS_COOP_V2_DELETED} | {COUNCILS_COOP_V2_ADDED}
    assert wp(after[COUNCILS_COOP_V2_ADDED], "post_type") == "post"
    assert wp(before[COUNCILS_COOP_V2_DELETED], "post_type") == "page"
    edited_before, edited_after = before[COUNCILS_COOP_V2_EDITED], after[COUNCILS_COOP_V2_EDITED]
    assert edited_after.findtext(CONTENT) != edited_before.findtext(CONTENT)
    assert wp(edited_after, "post_modified") > wp(edited_before, "post_modified")
    for key in set(before) & set(after) - {COUNCILS_COOP_V2_EDITED}:
        assert ElementTree.tostring(after[key]) == ElementTree.tostring(before[key]), key


def test_broken_and_not_wxr_are_what_their_names_say():
    with pytest.raises(ElementTree.ParseError):
        parse((FIXTURES / "broken.xml").read_bytes())
    feed = parse((FIXTURES / "not-wxr.xml").read_bytes())
    assert feed.tag == "rss" and items(feed)
    assert not [element for element in feed.iter() if element.tag.startswith(WP)]
