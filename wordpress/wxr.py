"""Read a WordPress export (WXR 1.0–1.2, from Tools → Export) into plain Python objects.

Parsed with defusedxml's expat parser: no DTDs, no entity expansion, nothing fetched; expat
also tells us the line each <item> starts on, for messages. Real exports are untidy, so
what can be repaired is, and said: bytes not valid in the declared encoding are replaced,
characters XML forbids (vertical tabs pasted from Word) removed, HTML entities written
outside CDATA turned into characters, an item without a usable id skipped; each becomes a
`Problem`. Only a file that is not a WordPress export at all, or not XML, is a `WXRError`,
with the line where it broke.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.entities import name2codepoint
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.text import slugify

MAX_BYTES = 100 * 2**20
LOCAL = ZoneInfo("Europe/London")
WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(1\.\d+)/$")
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except these.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DECLARATION = re.compile(r"^<\?xml[^>]*?\?>")
DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
# An HTML named entity XML does not know, outside CDATA (older exporters wrote &nbsp; raw).
CDATA_OR_ENTITY = re.compile(r"<!\[CDATA\[.*?\]\]>|&([A-Za-z][A-Za-z0-9]*);", re.DOTALL)
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
WXR_HELP = "Export the site again from WordPress's Tools → Export → All content."
TERM_TAXONOMIES = {"tag": "post_tag"}  # WXR 1.0 wrote domain="tag"


class WXRError(ValueError):
    """The whole file is unusable; the message says why, for a moderator."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Problem:
    message: str
    wp_id: int | None = None
    title: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Term:
    taxonomy: str
    slug: str
    name: str
    parent: str = ""


@dataclass(frozen=True)
class Author:
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class Item:
    wp_id: int
    post_type: str
    title: str
    slug: str
    link: str
    guid: str
    status: str
    date: datetime | None
    modified: datetime | None
    author: str
    content: str
    excerpt: str
    parent_id: int
    menu_order: int
    terms: list[Term]
    meta: dict[str, str]
    attachment_url: str = ""
    comment_status: str = ""
    line: int | None = None


@dataclass
class Export:
    version: str
    title: str
    site_url: str
    blog_url: str
    authors: dict[str, Author] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse(data: bytes) -> Export:
    """The export in `data`; raises WXRError if it cannot be read as one at all."""
    if not isinstance(data, bytes | bytearray):
        raise WXRError("The upload could not be read as a file.")
    if len(data) > MAX_BYTES:
        raise WXRError(f"The file is larger than 100 MB, the most an export may be. {WXR_HELP}")
    problems: list[Problem] = []
    text = _decode(bytes(data), problems)
    text, skipped_lines = _start_of_document(text, problems)
    text, removed = ILLEGAL.subn("", text)
    if removed:
        problems.append(
            Problem(
                f"{removed} character(s) that XML does not allow were removed (often pasted "
                "from a word processor)."
            )
        )
    try:
        builder = _read(text, skipped_lines)
    except _UndefinedEntity:
        text, count = _replace_html_entities(text)
        problems.append(
            Problem(
                f"{count} HTML entit{'y' if count == 1 else 'ies'} (such as &nbsp;) written "
                "outside CDATA were read as the characters they stand for."
            )
        )
        builder = _read(text, skipped_lines)
    return _export(builder, problems)


# Reading the bytes --------------------------------------------------------------------------


def _decode(data: bytes, problems: list[Problem]) -> str:
    if not data.strip():
        raise WXRError(f"The file is empty. {WXR_HELP}")
    if data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b":
        raise WXRError(
            "This is a compressed file (zip or gzip), not the export itself: unpack it and "
            "upload the .xml file inside."
        )
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding, problems)
    declared = DECLARED_ENCODING.match(data[:500])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        problems.append(
            Problem(f"The file declares an unknown encoding “{encoding}”; it was read as UTF-8.")
        )
        encoding = "utf-8"
    return _decode_as(data, encoding, problems)


def _decode_as(data: bytes, encoding: str, problems: list[Problem]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    # surrogateescape turns each undecodable byte into one lone surrogate: exact to count.
    text = data.decode(encoding, errors="surrogateescape")
    text, count = ESCAPED_BYTE.subn("\ufffd", text)
    name = codecs.lookup(encoding).name.upper()
    problems.append(
        Problem(
            f"{count} byte(s) were not valid {name} and were replaced with “\ufffd”; check "
            "the titles and text they were in."
        )
    )
    return text


def _start_of_document(text: str, problems: list[Problem]) -> tuple[str, int]:
    """Text that starts where XML must start, and how many lines were cut to get there.

    A plugin or theme printing blank lines before `<?xml` is a well-known WordPress fault
    that makes the export unreadable to strict parsers; those lines are dropped.
    """
    stripped = text.lstrip()
    head = stripped[:1000].lower()
    if stripped[:1] in ("{", "["):
        raise WXRError(f"This is a JSON file, not a WordPress export (WXR) file. {WXR_HELP}")
    if head.startswith("<!doctype html") or head.startswith("<html"):
        raise WXRError(
            "This is a web page (HTML), not a WordPress export (WXR) file; it may be an error "
            f"page saved instead of the export. {WXR_HELP}"
        )
    if not stripped.startswith("<"):
        raise WXRError(f"This is not a WordPress export (WXR) file: it is not XML. {WXR_HELP}")
    skipped = 0
    if stripped is not text and DECLARATION.match(stripped):
        cut = text[: len(text) - len(stripped)]
        skipped = cut.count("\n")
        problems.append(
            Problem("Blank space before the XML declaration at the top was ignored.", line=1)
        )
        return stripped, skipped
    return text, skipped


def _replace_html_entities(text: str) -> tuple[str, int]:
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        name = match.group(1)
        if name is None or name in XML_ENTITIES or name not in name2codepoint:
            return match.group(0)
        count += 1
        return f"&#{name2codepoint[name]};"

    return CDATA_OR_ENTITY.sub(replace, text), count


class _UndefinedEntity(Exception):
    pass


class _Builder(TreeBuilder):
    """An ElementTree builder that also records the namespaces declared and the line each
    <item> in the channel starts on."""

    def __init__(self, line_offset: int) -> None:
        super().__init__()
        self.expat = None
        self.depth = 0
        self.offset = line_offset
        self.item_lines: list[int] = []
        self.namespaces: list[str] = []
        self.root: Element | None = None

    def start(self, tag, attrs):
        self.depth += 1
        if self.depth == 3 and tag == "item" and self.expat is not None:
            self.item_lines.append(self.expat.CurrentLineNumber + self.offset)
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)

    def start_ns(self, prefix, uri):
        self.namespaces.append(uri)


def _read(text: str, line_offset: int) -> _Builder:
    builder = _Builder(line_offset)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        # A str is handed to expat as UTF-8 whatever the declaration says: already decoded.
        parser.feed(text)
        builder.root = parser.close()
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        reason = str(error).split(":")[0]
        if reason == "undefined entity":
            raise _UndefinedEntity from None
        if line is not None:
            line += line_offset
        raise WXRError(
            f"The file is not valid XML at line {line}, column {column}: {reason}. It may "
            f"have been cut short or edited by hand. {WXR_HELP}",
            line,
        ) from None
    except DefusedXmlException:
        raise WXRError(
            "The file declares a document type or entities, which a WordPress export never "
            "does; it was not read."
        ) from None
    return builder


# Reading the document -----------------------------------------------------------------------


def _export(builder: _Builder, problems: list[Problem]) -> Export:
    root = builder.root
    channel = root.find("channel") if root is not None else None
    versions = [m for m in map(WP_NAMESPACE.match, builder.namespaces) if m]
    if root is None or root.tag != "rss" or channel is None:
        raise WXRError(f"This is not a WordPress export (WXR) file: it is not RSS. {WXR_HELP}")
    if not versions:
        raise WXRError(
            "This is not a WordPress export (WXR) file: it is an RSS feed without WordPress's "
            f"export data. {WXR_HELP}"
        )
    wp = "{" + versions[0].group(0) + "}"
    excerpt = "{" + versions[0].group(0) + "excerpt/}"

    export = Export(
        version=_text(channel, f"{wp}wxr_version") or versions[0].group(1),
        title=_decoded(channel, "title"),
        site_url=(_text(channel, f"{wp}base_site_url") or _text(channel, "link")).rstrip("/"),
        blog_url=(_text(channel, f"{wp}base_blog_url") or _text(channel, "link")).rstrip("/"),
        problems=problems,
    )
    for author in channel.iterfind(f"{wp}author"):
        login = _text(author, f"{wp}author_login")
        if login:
            export.authors[login] = Author(
                login=login,
                email=_text(author, f"{wp}author_email"),
                display_name=_decoded(author, f"{wp}author_display_name") or login,
                first_name=_decoded(author, f"{wp}author_first_name"),
                last_name=_decoded(author, f"{wp}author_last_name"),
            )
    export.terms = _channel_terms(channel, wp)
    parents = {(term.taxonomy, term.slug): term.parent for term in export.terms}

    seen: set[int] = set()
    for index, element in enumerate(channel.iterfind("item")):
        line = builder.item_lines[index] if index < len(builder.item_lines) else None
        item = _item(element, wp, excerpt, line, parents, seen, problems)
        if item is not None:
            seen.add(item.wp_id)
            export.items.append(item)
    return export


def _channel_terms(channel: Element, wp: str) -> list[Term]:
    terms = []
    for category in channel.iterfind(f"{wp}category"):
        terms.append(
            Term(
                "category",
                _text(category, f"{wp}category_nicename"),
                _decoded(category, f"{wp}cat_name"),
                _text(category, f"{wp}category_parent"),
            )
        )
    for tag in channel.iterfind(f"{wp}tag"):
        terms.append(Term("post_tag", _text(tag, f"{wp}tag_slug"), _decoded(tag, f"{wp}tag_name")))
    for term in channel.iterfind(f"{wp}term"):
        terms.append(
            Term(
                _text(term, f"{wp}term_taxonomy"),
                _text(term, f"{wp}term_slug"),
                _decoded(term, f"{wp}term_name"),
                _text(term, f"{wp}term_parent"),
            )
        )
    return [term for term in terms if term.slug or term.name]


def _item(
    element: Element,
    wp: str,
    excerpt: str,
    line: int | None,
    parents: dict[tuple[str, str], str],
    seen: set[int],
    problems: list[Problem],
) -> Item | None:
    title = _decoded(element, "title")
    post_id = _text(element, f"{wp}post_id")
    if not post_id:
        problems.append(Problem("Skipped: it has no post_id.", title=title, line=line))
        return None
    if not post_id.isdigit():
        problems.append(
            Problem(f'Skipped: post_id "{post_id}" is not a number.', title=title, line=line)
        )
        return None
    wp_id = int(post_id)
    if wp_id in seen:
        problems.append(
            Problem("Skipped: an earlier item has the same post_id.", wp_id, title, line)
        )
        return None
    post_type = _text(element, f"{wp}post_type")
    if not post_type:
        problems.append(Problem("Skipped: it has no post_type.", wp_id, title, line))
        return None

    def report(message: str) -> None:
        problems.append(Problem(message, wp_id, title, line))

    meta = {}
    for entry in element.iterfind(f"{wp}postmeta"):
        key = _text(entry, f"{wp}meta_key")
        if key:
            meta[key] = _raw(entry, f"{wp}meta_value")
    return Item(
        wp_id=wp_id,
        post_type=post_type,
        title=title,
        slug=_text(element, f"{wp}post_name"),
        link=_text(element, "link"),
        guid=_text(element, "guid"),
        status=_text(element, f"{wp}status") or "publish",
        date=_date(element, f"{wp}post_date", f"{wp}post_date_gmt", "date", report),
        modified=_date(
            element, f"{wp}post_modified", f"{wp}post_modified_gmt", "modified date", report
        ),
        author=_text(element, f"{DC_NS}creator"),
        content=_raw(element, f"{CONTENT_NS}encoded"),
        excerpt=_raw(element, f"{excerpt}encoded"),
        parent_id=_number(element, f"{wp}post_parent"),
        menu_order=_number(element, f"{wp}menu_order"),
        terms=_item_terms(element, parents),
        meta=meta,
        attachment_url=_text(element, f"{wp}attachment_url"),
        comment_status=_text(element, f"{wp}comment_status"),
        line=line,
    )


def _item_terms(element: Element, parents: dict[tuple[str, str], str]) -> list[Term]:
    """The item's terms; WXR 1.0's bare <category>Name</category> duplicates are dropped."""
    terms: list[Term] = []
    bare: list[str] = []
    for category in element.iterfind("category"):
        name = html.unescape((category.text or "").strip())
        domain = category.get("domain")
        if not domain:
            bare.append(name)
            continue
        taxonomy = TERM_TAXONOMIES.get(domain, domain)
        slug = category.get("nicename", "") or slugify(name)
        term = Term(taxonomy, slug, name, parents.get((taxonomy, slug), ""))
        if term not in terms:
            terms.append(term)
    named = {term.name for term in terms if term.taxonomy == "category"}
    for name in bare:
        if name and name not in named:
            named.add(name)
            slug = slugify(name)
            terms.append(Term("category", slug, name, parents.get(("category", slug), "")))
    return terms


def _raw(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _text(element: Element, tag: str) -> str:
    return _raw(element, tag).strip()


def _decoded(element: Element, tag: str) -> str:
    """Text WordPress stores HTML-escaped (titles, names): &amp; &#8217; &nbsp; as characters."""
    text = html.unescape(_text(element, tag)).replace("\xa0", " ")
    return " ".join(text.split()) if "  " in text or "\n" in text else text


def _number(element: Element, tag: str) -> int:
    found = _text(element, tag)
    return int(found) if found.isdigit() else 0


def _date(element: Element, local: str, gmt: str, what: str, report) -> datetime | None:
    """The GMT date if WordPress wrote one, else the local one read as UK time."""
    bad = ""
    for text_value, zone in ((_text(element, gmt), UTC), (_text(element, local), LOCAL)):
        if not text_value or text_value.startswith("0000-00-00"):
            continue
        try:
            parsed = datetime.fromisoformat(text_value)
        except ValueError:
            bad = bad or text_value
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)
    if bad:
        report(f'Its {what} "{bad}" is not a date; it was left empty.')
    return None
