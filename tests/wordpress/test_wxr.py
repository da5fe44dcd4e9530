"""Reading WordPress exports: what a moderator uploads, tidy or not."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import UTC, datetime

import pytest

from tests.wordpress.wxr_samples import SITE, document, export, item
from wordpress import wxr
from wordpress.wxr import Author, Term, WXRError, parse

CATEGORIES = """
  <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[energy]]></wp:category_nicename>
    <wp:category_parent><![CDATA[themes]]></wp:category_parent>
    <wp:cat_name><![CDATA[Energy &amp; climate]]></wp:cat_name></wp:category>
  <wp:tag><wp:tag_slug><![CDATA[kirklees]]></wp:tag_slug>
    <wp:tag_name><![CDATA[Kirklees]]></wp:tag_name></wp:tag>
  <wp:term><wp:term_taxonomy><![CDATA[council]]></wp:term_taxonomy>
    <wp:term_slug><![CDATA[oldham]]></wp:term_slug>
    <wp:term_name><![CDATA[Oldham Council]]></wp:term_name></wp:term>
"""

META = """
  <category domain="category" nicename="energy"><![CDATA[Energy &amp; climate]]></category>
  <category domain="post_tag" nicename="kirklees"><![CDATA[Kirklees]]></category>
  <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>
    <wp:meta_value><![CDATA[40]]></wp:meta_value></wp:postmeta>
  <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>
    <wp:meta_value><![CDATA[41]]></wp:meta_value></wp:postmeta>
"""


def messages(result) -> str:
    return " | ".join(problem.message for problem in result.problems)


def test_a_wxr_1_2_export_is_read_into_its_site_authors_terms_and_items():
    result = parse(export(item(extra=META), channel_extra=CATEGORIES))

    assert result.version == "1.2"
    assert result.title == "Co-operative Councils\u2019 Innovation Network"
    assert result.site_url == SITE
    assert result.authors == {
        "pvallance": Author("pvallance", "pete@example.org", "Pete Vallance", "Pete", "Vallance")
    }
    assert result.terms == [
        Term("category", "energy", "Energy & climate", "themes"),
        Term("post_tag", "kirklees", "Kirklees"),
        Term("council", "oldham", "Oldham Council"),
    ]
    [post] = result.items
    assert (post.wp_id, post.post_type, post.slug, post.status) == (
        101,
        "post",
        "kirklees-community-energy",
        "publish",
    )
    assert post.title == "Kirklees: community energy"
    assert post.link == f"{SITE}/case-study/kirklees-community-energy/"
    assert post.author == "pvallance"
    assert post.content == "<p>Kirklees Council and local co-operatives.</p>"
    assert post.date == datetime(2021, 5, 12, 8, 30, tzinfo=UTC)
    assert post.menu_order == 3
    assert post.comment_status == "closed"
    assert post.meta == {"_thumbnail_id": "41"}  # the last value wins
    assert post.terms == [
        Term("category", "energy", "Energy & climate", "themes"),
        Term("post_tag", "kirklees", "Kirklees"),
    ]
    assert result.problems == []


def test_each_item_records_the_line_its_item_element_starts_on():
    raw = export(
        item(101), item(102, content="<p>one</p>\n<p>two</p>\n<item>not</item>"), item(103)
    )
    lines = raw.decode().splitlines()

    result = parse(raw)

    starts = [number for number, text in enumerate(lines, 1) if text.strip() == "<item>"]
    assert [post.line for post in result.items] == starts


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_accepted(version):
    result = parse(export(item(), version=version))

    assert result.version == version
    assert [post.wp_id for post in result.items] == [101]


def test_wxr_1_0_bare_categories_and_tag_domain_are_read_as_terms():
    extra = """
      <category><![CDATA[News]]></category>
      <category domain="category" nicename="news"><![CDATA[News]]></category>
      <category><![CDATA[Co-op Congress]]></category>
      <category domain="tag" nicename="plymouth"><![CDATA[Plymouth]]></category>
    """
    [post] = parse(export(item(extra=extra), version="1.0")).items

    assert post.terms == [
        Term("category", "news", "News"),
        Term("post_tag", "plymouth", "Plymouth"),
        Term("category", "co-op-congress", "Co-op Congress"),
    ]


def test_a_date_without_gmt_is_read_as_uk_local_time():
    [post] = parse(export(item(date="2021-01-12 09:30:00", date_gmt="0000-00-00 00:00:00"))).items
    [summer] = parse(export(item(date="2021-07-12 09:30:00", date_gmt=""))).items

    assert post.date == datetime(2021, 1, 12, 9, 30, tzinfo=UTC)
    assert summer.date == datetime(2021, 7, 12, 8, 30, tzinfo=UTC)


def test_a_missing_date_is_none_and_a_bad_one_is_none_with_a_problem():
    result = parse(
        export(
            item(101, date="0000-00-00 00:00:00", date_gmt="0000-00-00 00:00:00"),
            item(102, title="Oldham", date="12/05/2021", date_gmt="yesterday"),
        )
    )

    assert [post.date for post in result.items] == [None, None]
    [problem] = [p for p in result.problems if "date" in p.message and "modified" not in p.message]
    assert (problem.wp_id, problem.title) == (102, "Oldham")
    assert '"yesterday" is not a date' in problem.message


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"wp_id": None}, "has no post_id"),
        ({"wp_id": "abc"}, 'post_id "abc" is not a number'),
        ({"post_type": None}, "has no post_type"),
        ({"wp_id": 101}, "same post_id"),
    ],
)
def test_a_malformed_item_is_skipped_with_its_reason_and_the_rest_are_read(bad, reason):
    raw = export(
        item(101), item(**{"wp_id": 102, "title": "Plymouth &amp; the sea", **bad}), item(103)
    )
    broken_line = [n for n, t in enumerate(raw.decode().splitlines(), 1) if t == "<item>"][1]

    result = parse(raw)

    assert [post.wp_id for post in result.items] == [101, 103]
    [problem] = result.problems
    assert reason in problem.message
    assert problem.title == "Plymouth & the sea"
    assert problem.line == broken_line


def test_entities_in_titles_and_names_become_text_but_content_is_kept_as_stored():
    content = "<p>Rock &amp; roll&nbsp;council</p>"
    raw = export(item(title="Stevenage&#8217;s plan &amp;&nbsp;more", content=content))

    [post] = parse(raw).items

    assert post.title == "Stevenage\u2019s plan & more"
    assert post.content == content


def test_html_entities_outside_cdata_are_read_with_a_problem():
    raw = export(item(), title="Councils&nbsp;&amp;&nbsp;co&#8209;ops &eacute;")

    result = parse(raw)

    assert result.title == "Councils & co\u2011ops \u00e9"
    assert "HTML entities" in messages(result)


def test_cdata_that_holds_the_cdata_end_marker_is_joined_the_wordpress_way():
    raw = export(item(content="<p>x]]]]><![CDATA[>y</p>"))

    [post] = parse(raw).items

    assert post.content == "<p>x]]>y</p>"


def test_a_byte_order_mark_is_ignored():
    result = parse(b"\xef\xbb\xbf" + export(item()))

    assert [post.wp_id for post in result.items] == [101]
    assert result.problems == []


@pytest.mark.parametrize("encoding", ["windows-1252", "ISO-8859-1"])
def test_a_declared_single_byte_encoding_is_honoured(encoding):
    text = document(
        item(title="Caf\u00e9 co-op \u00a3200", content="<p>\u00bd of Preston</p>"),
        declaration=f'<?xml version="1.0" encoding="{encoding}" ?>',
    )

    result = parse(text.encode(encoding))

    [post] = result.items
    assert post.title == "Caf\u00e9 co-op \u00a3200"
    assert post.content == "<p>\u00bd of Preston</p>"
    assert result.problems == []


def test_windows_1252_smart_quotes_are_read():
    text = document(
        item(title="Lambeth\u2019s \u201cco-operative\u201d"),
        declaration=('<?xml version="1.0" encoding="windows-1252" ?>'),
    )

    [post] = parse(text.encode("cp1252")).items

    assert post.title == "Lambeth\u2019s \u201cco-operative\u201d"


def test_bytes_that_are_not_utf_8_are_replaced_and_counted_in_one_problem():
    raw = export(item(title="Sunderland CAFE", content="<p>Salford BAD</p>"))
    raw = raw.replace(b"CAFE", b"Caf\xe9").replace(b"BAD", b"\xff\xfe\x80")

    result = parse(raw)

    [post] = result.items
    assert post.title == "Sunderland Caf\ufffd"
    assert post.content == "<p>Salford \ufffd\ufffd\ufffd</p>"
    [problem] = result.problems
    assert problem.message.startswith("4 byte(s) were not valid UTF-8")


def test_characters_xml_forbids_are_removed_with_one_problem():
    raw = export(item(title="Rochdale\x0b plan", content="<p>Pasted\x0c from\x1f Word</p>"))

    result = parse(raw)

    [post] = result.items
    assert post.title == "Rochdale plan"
    assert post.content == "<p>Pasted from Word</p>"
    [problem] = result.problems
    assert problem.message.startswith("3 character(s) that XML does not allow were removed")


def test_blank_lines_before_the_declaration_are_dropped_and_lines_still_count_from_the_top():
    raw = b"\n\n" + export(item())
    start = [n for n, t in enumerate(raw.decode().splitlines(), 1) if t == "<item>"][0]

    result = parse(raw)

    assert [post.line for post in result.items] == [start]
    assert "Blank space before the XML declaration" in messages(result)


def test_malformed_xml_names_the_line_and_column():
    raw = export(item()).replace(b"</wp:post_name>", b"</wp:post_nam>")
    line = [n for n, t in enumerate(raw.decode().splitlines(), 1) if "</wp:post_nam>" in t][0]

    with pytest.raises(WXRError) as caught:
        parse(raw)

    assert caught.value.line == line
    assert str(caught.value).startswith(f"The file is not valid XML at line {line}, column ")
    assert "mismatched tag" in str(caught.value)


def test_a_file_cut_short_is_a_clear_error():
    raw = export(item())

    with pytest.raises(WXRError, match="not valid XML at line"):
        parse(raw[: len(raw) // 2])


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("councils.xml", export(item()))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"", "The file is empty"),
        (b"  \n ", "The file is empty"),
        (b"<!DOCTYPE html><html><body>Error 500</body></html>", "web page (HTML)"),
        (b"<html><head><title>Log in</title></head></html>", "web page (HTML)"),
        (zipped(), "compressed file"),
        (json.dumps({"posts": [1, 2]}).encode(), "JSON file"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "it is not XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "it is not XML"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "not RSS"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
            b"<item><title>x</title></item></channel></rss>",
            "RSS feed without WordPress",
        ),
    ],
)
def test_files_that_are_not_exports_are_a_clear_wxr_error(raw, says):
    with pytest.raises(WXRError) as caught:
        parse(raw)

    assert says in str(caught.value)


def test_a_document_type_or_entity_declaration_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<rss><channel><title>&lol2;</title></channel></rss>"
    )

    with pytest.raises(WXRError, match="document type or entities"):
        parse(laughs)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    raw = export(item())
    monkeypatch.setattr(wxr, "MAX_BYTES", len(raw) - 1)

    with pytest.raises(WXRError, match="larger than 100 MB"):
        parse(raw)


def test_a_large_export_parses_quickly():
    paragraph = "<p>Kirklees Council worked with local co-operatives &amp; residents.</p>\n"
    raw = export(*(item(wp_id, content=paragraph * 110) for wp_id in range(1, 601)))
    assert len(raw) > 5_000_000

    started = time.perf_counter()
    result = parse(raw)
    elapsed = time.perf_counter() - started

    assert len(result.items) == 600
    assert elapsed < 2.0
