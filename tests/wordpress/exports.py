"""WordPress exports (WXR 1.2) at any size, shaped like the live site's, and their uploads.

`write_export` writes what WordPress 6.x's Tools → Export ("All content") would write for a
site like councils.coop with N items: the custom post types (case studies, projects,
publications, Members' Update newsletters, toolkits), news posts under a category-based
permalink structure, a page tree and the media library, with text made from the network's own
names and figures (the 2026 Co-op Congress presentation in ../shared/seed, as transcribed in
demo/data/). The same seed gives the same bytes. The tests and `bench/wordpress_import.py`
share it; `fixtures/councils-coop.xml` is the hand-written export it imitates, and
`write_fixture_uploads` makes that export's uploads folder.

    python -m tests.wordpress.exports OUT.xml [--items 400] [--uploads DIR] [--seed 1]
    python -m tests.wordpress.exports --fixture-uploads tests/wordpress/fixtures/uploads
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

SITE = "https://www.councils.coop"
UPLOADS_URL = f"{SITE}/wp-content/uploads"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORDPRESS_VERSION = "6.5.3"
LONDON = ZoneInfo("Europe/London")  # the site's timezone: post_date is local time

# fixtures/councils-coop.xml: items per wp:post_type (items with a wp:post_id), the one item
# without one, and its attachment whose file is not in fixtures/uploads.
COUNCILS_COOP_COUNTS = {
    "attachment": 8,
    "page": 6,
    "case-study": 8,
    "project": 4,
    "publication": 4,
    "newsletter": 3,
    "toolkit": 2,
    "post": 10,
    "nav_menu_item": 3,
    "wp_block": 1,
    "revision": 1,
}
COUNCILS_COOP_WITHOUT_ID = 1
COUNCILS_COOP_MISSING_UPLOAD = "2021/05/sunderland-community-hub.jpg"
# A PDF in the uploads folder that no attachment describes (publication 426 links it).
COUNCILS_COOP_UNLISTED_UPLOAD = "2021/05/ccin-action-learning-cooperation-through-covid-19.pdf"
# fixtures/councils-coop-v2.xml is the same site a month later: one case study edited (its
# text and modified date), one news post added, one page deleted; everything else the same.
COUNCILS_COOP_V2_EDITED = 310
COUNCILS_COOP_V2_ADDED = 511
COUNCILS_COOP_V2_DELETED = 16

# Share of each post type in a generated export (rounded to whole items, largest remainder).
MIX = {
    "case-study": 45,
    "post": 20,
    "publication": 10,
    "attachment": 10,
    "project": 5,
    "page": 5,
    "newsletter": 3,
    "toolkit": 2,
}

# Names, figures and dates from the seed; the councils are members in demo/data/members.toml.
COUNCILS = [
    "Birmingham City Council",
    "Brent Council",
    "Bury Council",
    "Camden Council",
    "Canterbury City Council",
    "Cardiff Council",
    "Cheshire West and Chester Council",
    "Chorley Council",
    "Glasgow City Council",
    "Greater Manchester Combined Authority",
    "Royal Borough of Greenwich",
    "Hackney Council",
    "High Peak Borough Council",
    "Hounslow Council",
    "Hull City Council",
    "Inverclyde Council",
    "Kirklees Council",
    "Knowsley Council",
    "Lewes District Council",
    "Lewisham Council",
    "Liverpool City Council",
    "Manchester City Council",
    "Medway Council",
    "Middlesbrough Council",
    "Milton Keynes City Council",
    "North Hertfordshire District Council",
    "Oldham Council",
    "Oxford City Council",
    "Peterborough City Council",
    "Plymouth City Council",
    "Preston City Council",
    "Rochdale Borough Council",
    "South Ribble Borough Council",
    "Stevenage Borough Council",
    "Sunderland City Council",
    "Swindon Borough Council",
    "Tamworth Borough Council",
    "Telford & Wrekin Council",
    "Trafford Council",
    "Warrington Borough Council",
    "Westminster City Council",
    "Wigan Council",
]
THEMES = [
    "Community wealth building",
    "Co-operative placemaking",
    "Consensus building",
    "Democratic engagement",
    "Co-production",
    "Health and care",
    "Housing",
    "Net zero and energy",
    "Digital inclusion",
    "Young people",
    "Local economy and procurement",
]
PRINCIPLES = [
    "Social Partnership",
    "Democratic Engagement",
    "Co-production",
    "Enterprise and social economy",
    "Maximising social value",
    "Community leadership and a new role for councillors",
    "New models of meeting priority needs",
    "Innovation",
    "Learning",
]
# (title words, the theme it files under, a tag)
TOPICS = [
    ("community energy", "Net zero and energy", "community energy"),
    ("participatory budgeting", "Democratic engagement", "participatory budgeting"),
    ("a progressive procurement policy", "Local economy and procurement", "procurement"),
    ("an Inclusive Economy Charter", "Community wealth building", "inclusive economy"),
    ("a regional mutual bank", "Community wealth building", "community banking"),
    ("insourcing council services", "Local economy and procurement", "insourcing"),
    ("a co-operative development network", "Co-operative placemaking", "co-op development"),
    ("community land trusts", "Housing", "community land trust"),
    ("worker co-operatives", "Community wealth building", "worker co-ops"),
    ("the Real Living Wage", "Local economy and procurement", "living wage"),
    ("the circular economy", "Net zero and energy", "circular economy"),
    ("community asset transfer", "Co-operative placemaking", "asset transfer"),
    ("community-led housing", "Housing", "community-led housing"),
    ("closing the digital divide", "Digital inclusion", "digital exclusion"),
    ("keeping young people in the area", "Young people", "youth"),
    ("social care co-operatives", "Health and care", "social care"),
    ("a food partnership", "Co-operative placemaking", "food"),
    ("co-operative parks", "Co-operative placemaking", "parks"),
    ("tackling health inequalities", "Health and care", "health inequalities"),
    ("cross-party working", "Consensus building", "no overall control"),
]
ACTIONS = [
    "develop an Inclusive Economy Charter",
    "promote a progressive procurement policy",
    "support the creation of a regional mutual or community bank",
    "work with local anchor institutions to buy and recruit local",
    "offer business rate rebates to businesses that become Living Wage accredited",
    "champion local employment schemes",
    "commit to community engagement in local decision making, including participatory budgeting",
    "invest in local community production, particularly community energy",
    "promote the circular economy",
    "support local enterprises to convert into co-ops and worker co-ops",
    "have an asset transfer policy that supports community land trusts",
]
PROJECTS = [
    ("A co-operative approach to development corporations", "Camden Council", 2026),
    (
        "Leveraging local investment for community wealth building",
        "Greater Manchester Combined Authority",
        2026,
    ),
    ("Youth retention research", "Inverclyde Council", 2026),
    ("London CCIN Connect", "Royal Borough of Greenwich", 2026),
    ("Local Property Partnership", "Trafford Council", 2026),
    ("Taking a co-op approach to tackling health inequalities", "Westminster City Council", 2024),
    ("Co-operative approaches to post-16 transition", "Manchester City Council", 2024),
    ("Treating care experience as a protected characteristic", "Swindon Borough Council", 2024),
    ("Faith, young people and resilience", "Greater Manchester Combined Authority", 2024),
    ("Sustaining local leadership and place-based innovation", "Stevenage Borough Council", 2024),
]
PUBLICATIONS = [
    ("Understanding the Digital Divide", 2022, 2),
    ("The Co-operative Difference in Care", 2022, 2),
    ("Co-operative Approaches to Reaching Net Zero", 2022, 2),
    ("Community Economic Development Plans", 2022, 3),
    ("Co-operatives Unleashed from the Grassroots", 2020, 7),
    ("CCIN Action Learning: Cooperation through Covid-19", 2020, 11),
    ("Community-Led Housing: a Key Role for Local Authorities", 2019, 6),
    ("Beyond Asset Transfer", 2021, 3),
    ("Members' Pack", 2025, 9),
    ("Review of the Year", 2025, 8),
]
FIGURES = [
    "The network's 44 full members serve 12.27m citizens with budgets of £20.94bn between them.",
    "There are now 44 full members, 28 associate members, 45 affiliates and 23 supporters.",
    "Policy Labs are eligible for between £10,000 and £20,000 of funding; Policy Prototypes "
    "for up to £2,000.",
    "The network's Dynamic Purchasing System runs from 2020 to 2029.",
]
PAGE_TITLES = [
    "About us",
    "Membership",
    "Resources",
    "Our principles",
    "Our team",
    "Governance",
    "Associate membership",
    "Affiliate membership",
    "Officer network",
    "Dynamic Purchasing System",
    "Policy Labs",
    "Policy Prototypes",
    "Members' pack",
    "Contact us",
    "Privacy notice",
    "Accessibility statement",
]
AUTHORS = [
    (1, "ccinadmin", "ccin@example.org", "CCIN", "", ""),
    (2, "pvallance", "pete.vallance@example.org", "Pete Vallance", "Pete", "Vallance"),
    (3, "pcassidy", "paul.cassidy@example.org", "Cllr Paul Cassidy", "Paul", "Cassidy"),
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# WXR pieces -------------------------------------------------------------------------------


def cdata(text: str) -> str:
    """What WordPress's wxr_cdata() writes: "]]>" split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def php_serialize(value) -> str:
    """PHP's serialize() for the values WordPress keeps in postmeta (lengths in UTF-8 bytes)."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{value!r};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    items = value.items() if isinstance(value, dict) else enumerate(value)
    body = "".join(php_serialize(key) + php_serialize(item) for key, item in items)
    return f"a:{len(value)}:{{{body}}}"


def image_metadata(relative: str, width: int, height: int, filesize: int) -> dict:
    """`_wp_attachment_metadata` as WordPress 6.x writes it for an image too small to resize."""
    return {
        "width": width,
        "height": height,
        "file": relative,
        "filesize": filesize,
        "sizes": {},
        "image_meta": {
            "aperture": "0",
            "credit": "",
            "camera": "",
            "caption": "",
            "created_timestamp": "0",
            "copyright": "",
            "focal_length": "0",
            "iso": "0",
            "shutter_speed": "0",
            "title": "",
            "orientation": "0",
            "keywords": [],
        },
    }


def file_metadata(filesize: int) -> dict:
    """`_wp_attachment_metadata` for a document (WordPress 6.x keeps only the size)."""
    return {"filesize": filesize}


def gmt(when: datetime | None) -> datetime | None:
    """A local (London) time as UTC, as WordPress keeps it beside the local one."""
    return when.replace(tzinfo=LONDON).astimezone(UTC) if when else None


def rss_date(when: datetime | None) -> str:
    """An item's pubDate from its local time; this for a post that never had a date."""
    return format_datetime(gmt(when)) if when else "Mon, 30 Nov -0001 00:00:00 +0000"


def mysql_date(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S") if when else "0000-00-00 00:00:00"


def header(title: str, created: datetime) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of "
        "your site. -->\n"
        f'<!-- generator="WordPress/{WORDPRESS_VERSION}" created="{created:%Y-%m-%d %H:%M}" -->\n'
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n'
        ">\n\n<channel>\n"
        f"\t<title>{title}</title>\n"
        f"\t<link>{SITE}</link>\n"
        "\t<description>People-centred councils driving social innovation putting people "
        "first</description>\n"
        f"\t<pubDate>{format_datetime(created.replace(tzinfo=UTC))}</pubDate>\n"
        "\t<language>en-GB</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n"
    )


def author_xml(wp_id: int, login: str, email: str, display: str, first: str, last: str) -> str:
    return (
        f"\t<wp:author><wp:author_id>{wp_id}</wp:author_id>"
        f"<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(display)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n"
    )


@dataclass
class Term:
    term_id: int
    taxonomy: str  # category, post_tag, or a custom taxonomy
    slug: str
    name: str
    parent: str = ""  # the parent's slug

    def channel_xml(self) -> str:
        if self.taxonomy == "category":
            return (
                f"\t<wp:category>\n\t\t<wp:term_id>{self.term_id}</wp:term_id>\n"
                f"\t\t<wp:category_nicename>{cdata(self.slug)}</wp:category_nicename>\n"
                f"\t\t<wp:category_parent>{cdata(self.parent)}</wp:category_parent>\n"
                f"\t\t<wp:cat_name>{cdata(self.name)}</wp:cat_name>\n\t</wp:category>\n"
            )
        if self.taxonomy == "post_tag":
            return (
                f"\t<wp:tag>\n\t\t<wp:term_id>{self.term_id}</wp:term_id>\n"
                f"\t\t<wp:tag_slug>{cdata(self.slug)}</wp:tag_slug>\n"
                f"\t\t<wp:tag_name>{cdata(self.name)}</wp:tag_name>\n\t</wp:tag>\n"
            )
        return (
            f"\t<wp:term>\n\t\t<wp:term_id>{self.term_id}</wp:term_id>\n"
            f"\t\t<wp:term_taxonomy>{cdata(self.taxonomy)}</wp:term_taxonomy>\n"
            f"\t\t<wp:term_slug>{cdata(self.slug)}</wp:term_slug>\n"
            f"\t\t<wp:term_parent>{cdata(self.parent)}</wp:term_parent>\n"
            f"\t\t<wp:term_name>{cdata(self.name)}</wp:term_name>\n\t</wp:term>\n"
        )

    def item_xml(self) -> str:
        return (
            f'\t\t<category domain="{self.taxonomy}" nicename="{self.slug}">'
            f"{cdata(self.name)}</category>\n"
        )


@dataclass
class Post:
    wp_id: int
    post_type: str
    title: str
    slug: str
    link: str
    date: datetime | None
    content: str = ""
    excerpt: str = ""
    status: str = "publish"
    author: str = "pvallance"
    parent: int = 0
    menu_order: int = 0
    terms: list[Term] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    attachment_url: str = ""
    modified: datetime | None = None

    @property
    def guid(self) -> str:
        if self.attachment_url:
            return self.attachment_url
        if self.post_type == "post":
            return f"{SITE}/?p={self.wp_id}"
        if self.post_type == "page":
            return f"{SITE}/?page_id={self.wp_id}"
        return f"{SITE}/?post_type={self.post_type}&#038;p={self.wp_id}"

    def xml(self) -> str:
        modified = self.modified or self.date
        lines = [
            "\t<item>",
            f"\t\t<title>{cdata(self.title)}</title>",
            f"\t\t<link>{self.link}</link>",
            f"\t\t<pubDate>{rss_date(self.date)}</pubDate>",
            f"\t\t<dc:creator>{cdata(self.author)}</dc:creator>",
            f'\t\t<guid isPermaLink="false">{self.guid}</guid>',
            "\t\t<description></description>",
            f"\t\t<content:encoded>{cdata(self.content)}</content:encoded>",
            f"\t\t<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>",
            f"\t\t<wp:post_id>{self.wp_id}</wp:post_id>",
            f"\t\t<wp:post_date>{cdata(mysql_date(self.date))}</wp:post_date>",
            f"\t\t<wp:post_date_gmt>{cdata(mysql_date(gmt(self.date)))}</wp:post_date_gmt>",
            f"\t\t<wp:post_modified>{cdata(mysql_date(modified))}</wp:post_modified>",
            f"\t\t<wp:post_modified_gmt>{cdata(mysql_date(gmt(modified)))}</wp:post_modified_gmt>",
            f"\t\t<wp:comment_status>{cdata('closed')}</wp:comment_status>",
            f"\t\t<wp:ping_status>{cdata('closed')}</wp:ping_status>",
            f"\t\t<wp:post_name>{cdata(self.slug)}</wp:post_name>",
            f"\t\t<wp:status>{cdata(self.status)}</wp:status>",
            f"\t\t<wp:post_parent>{self.parent}</wp:post_parent>",
            f"\t\t<wp:menu_order>{self.menu_order}</wp:menu_order>",
            f"\t\t<wp:post_type>{cdata(self.post_type)}</wp:post_type>",
            f"\t\t<wp:post_password>{cdata('')}</wp:post_password>",
            "\t\t<wp:is_sticky>0</wp:is_sticky>",
        ]
        if self.attachment_url:
            lines.append(f"\t\t<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>")
        lines += [term.item_xml().rstrip("\n") for term in self.terms]
        for key, value in self.meta:
            lines.append(
                f"\t\t<wp:postmeta>\n\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
                f"\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>"
            )
        lines.append("\t</item>\n")
        return "\n".join(lines)


# Files for the uploads folder -------------------------------------------------------------

DOCX_DATE = (2021, 5, 12, 9, 30, 0)


def png_bytes(colour: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.paste((255, 255, 255), (size[0] // 4, size[1] // 3, size[0] // 2, size[1] // 2))
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def jpeg_bytes(colour: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.paste((255, 255, 255), (size[0] // 4, size[1] // 3, size[0] // 2, size[1] // 2))
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF with the title on it, byte offsets in its xref table correct."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 12 Tf 36 96 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def docx_bytes(text: str) -> bytes:
    """A minimal Word document (the three parts Word needs), the same bytes every time."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{escaped}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(zipfile.ZipInfo(name, DOCX_DATE), body)
    return buffer.getvalue()


# fixtures/councils-coop.xml's uploads: what is there (its one missing file is not).
FIXTURE_UPLOADS = {
    "2021/05/kirklees-community-energy.jpg": lambda: jpeg_bytes((46, 125, 50)),
    "2021/05/get-oldham-working.png": lambda: png_bytes((0, 94, 184)),
    "2021/05/plymouth-food-market.jpg": lambda: jpeg_bytes((230, 120, 30)),
    "2021/05/lambeth-parks-volunteers.jpg": lambda: jpeg_bytes((80, 160, 70)),
    "2021/05/co-operative-approaches-to-reaching-net-zero.pdf": lambda: pdf_bytes(
        "Co-operative Approaches to Reaching Net Zero"
    ),
    "2021/05/understanding-the-digital-divide.pdf": lambda: pdf_bytes(
        "Understanding the Digital Divide"
    ),
    "2021/05/policy-lab-application-form.docx": lambda: docx_bytes(
        "CCIN Policy Lab application form 2026"
    ),
    COUNCILS_COOP_UNLISTED_UPLOAD: lambda: pdf_bytes(
        "CCIN Action Learning: Cooperation through Covid-19"
    ),
}


def write_fixture_uploads(folder: Path) -> list[Path]:
    written = []
    for relative, make in FIXTURE_UPLOADS.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        written.append(path)
    return written


# The generator ----------------------------------------------------------------------------


def slugify(text: str) -> str:
    text = text.lower().replace("&", "and").replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def stem(council: str) -> str:
    """ "Kirklees Council" -> "Kirklees"; "Royal Borough of Greenwich" -> "Greenwich"."""
    words = re.sub(
        r"\b(City|Borough|District|County|Council|Combined Authority|Royal|of)\b", " ", council
    )
    return " ".join(words.split()) or council


def split(total: int) -> dict[str, int]:
    """`total` items shared out by `MIX`, the rounding going to the largest remainders."""
    weight = sum(MIX.values())
    exact = {kind: total * share / weight for kind, share in MIX.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    left = total - sum(counts.values())
    for kind in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:left]:
        counts[kind] += 1
    return counts


class Generator:
    def __init__(self, items: int, seed: int, uploads: Path | None):
        self.rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
        self.counts = split(items)
        self.uploads = uploads
        self.next_id = 100
        self.slugs: set[tuple[str, str]] = set()
        self.terms: dict[tuple[str, str], Term] = {}
        self.posts: list[Post] = []
        self.term("theme", "Net zero", slug="net-zero")  # the parent of "Energy"
        for name in ("Media", "Press Release", "Blog", "Uncategorized"):
            self.term("category", name)
        self.term("category", "Events", parent="media")

    def new_id(self) -> int:
        # WordPress's ids have gaps: revisions and autosaves take numbers too.
        self.next_id += self.rng.choice((1, 1, 2, 3))
        return self.next_id

    def unique_slug(self, post_type: str, title: str) -> str:
        base = slugify(title)[:80].strip("-") or "untitled"
        slug, n = base, 2
        while (post_type, slug) in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add((post_type, slug))
        return slug

    def term(self, taxonomy: str, name: str, slug: str = "", parent: str = "") -> Term:
        slug = slug or slugify(name)
        key = (taxonomy, slug)
        if key not in self.terms:
            self.terms[key] = Term(len(self.terms) + 2, taxonomy, slug, name, parent)
        return self.terms[key]

    def date(self, first_year: int = 2013, last_year: int = 2026) -> datetime:
        start = datetime(first_year, 1, 1, 9, 0)
        days = (datetime(last_year, 6, 1) - start).days
        return start + timedelta(days=self.rng.randrange(days), minutes=self.rng.randrange(480))

    def paragraphs(self, council: str, topic: str, count: int) -> list[str]:
        rng = self.rng
        other = rng.choice(COUNCILS)
        options = [
            f"{council} has been working with local people on {topic}, one of the ways "
            f"co-operative councils {rng.choice(ACTIONS)}.",
            f"The work draws on the network's principle of {rng.choice(PRINCIPLES)}: members "
            "work together to help each other put co-operative values into practice.",
            f"Officers from {council} and {other} shared what they had learned through the "
            "CCIN Officer Network, and the approach is being tried elsewhere.",
            rng.choice(FIGURES),
            f"Councillors describe the change as a partnership: residents help shape {topic} "
            "rather than being consulted once it is decided.",
            f"Next steps include a plan to {rng.choice(ACTIONS)} and to report back to "
            "the network's members.",
        ]
        # The first paragraph names the council, as every case study on the live site does.
        rest = options[1:]
        rng.shuffle(rest)
        return [options[0], *rest][:count]

    def body(self, paragraphs: list[str], image: Post | None = None) -> str:
        """Half classic-editor text (blank lines between paragraphs), half block markup."""
        if self.rng.random() < 0.5:
            text = "\n\n".join(paragraphs)
            if image:
                text = (
                    f'[caption id="attachment_{image.wp_id}" align="alignright" width="40"]'
                    f'<img class="size-full wp-image-{image.wp_id}" src="{image.attachment_url}"'
                    f' alt="{image.title}" width="40" height="30" /> {image.title}[/caption]'
                    f"\n\n{text}"
                )
            return text
        blocks = [
            f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" for text in paragraphs
        ]
        if image:
            blocks.insert(
                1,
                f'<!-- wp:image {{"id":{image.wp_id},"sizeSlug":"full","linkDestination":"none"}}'
                f' -->\n<figure class="wp-block-image size-full"><img src="'
                f'{image.attachment_url}" alt="{image.title}" class="wp-image-{image.wp_id}"/>'
                "</figure>\n<!-- /wp:image -->",
            )
        if len(blocks) > 2:
            blocks.insert(
                2,
                '<!-- wp:heading -->\n<h2 class="wp-block-heading">What happened next</h2>\n'
                "<!-- /wp:heading -->",
            )
        return "\n\n".join(blocks)

    def attachment(self, parent: Post | None, kind: str, title: str) -> Post:
        wp_id = self.new_id()
        when = parent.date if parent and parent.date else self.date()
        extension = {"image": self.rng.choice(("jpg", "png")), "pdf": "pdf", "docx": "docx"}[kind]
        slug = self.unique_slug("attachment", title)
        relative = f"{when:%Y/%m}/{slug}.{extension}"
        colour = (self.rng.randrange(256), self.rng.randrange(256), self.rng.randrange(256))
        data = {
            "jpg": lambda: jpeg_bytes(colour),
            "png": lambda: png_bytes(colour),
            "pdf": lambda: pdf_bytes(title),
            "docx": lambda: docx_bytes(title),
        }[extension]()
        if self.uploads:
            path = self.uploads / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if kind == "image":
            meta = image_metadata(relative, 40, 30, len(data))
        else:
            meta = file_metadata(len(data))
        link = f"{parent.link}attachment/{slug}/" if parent else f"{SITE}/{slug}/"
        post = Post(
            wp_id,
            "attachment",
            title,
            slug,
            link,
            when,
            status="inherit",
            parent=parent.wp_id if parent else 0,
            attachment_url=f"{UPLOADS_URL}/{relative}",
            meta=[
                ("_wp_attached_file", relative),
                ("_wp_attachment_metadata", php_serialize(meta)),
            ],
        )
        if kind == "image":
            post.meta.append(("_wp_attachment_image_alt", title))
        self.posts.append(post)
        return post

    def case_study(self, with_image: bool) -> Post:
        council = self.rng.choice(COUNCILS)
        topic, theme, tag = self.rng.choice(TOPICS)
        title = f"{stem(council)}: {topic}"
        slug = self.unique_slug("case-study", title)
        post = Post(
            self.new_id(),
            "case-study",
            title,
            slug,
            f"{SITE}/case-study/{slug}/",
            self.date(),
            excerpt=f"How {council} approached {topic}.",
            terms=[
                self.term("theme", theme),
                self.term("post_tag", tag),
                self.term("category", "Case Studies"),
            ],
            meta=[("council", council), ("_council", "field_5f1a0c2b9d3e1")],
        )
        if theme == "Net zero and energy":
            post.terms.append(self.term("theme", "Energy", parent="net-zero"))
        self.posts.append(post)
        image = None
        if with_image:
            image = self.attachment(post, "image", f"{stem(council)} {tag}")
            post.meta.append(("_thumbnail_id", str(image.wp_id)))
        post.content = self.body(self.paragraphs(council, topic, self.rng.randint(2, 5)), image)
        return post

    def news(self) -> Post:
        rng = self.rng
        council = rng.choice(COUNCILS)
        topic = rng.choice(TOPICS)[0]
        kind = rng.choice(("press", "news", "news", "blog", "events"))
        if kind == "blog":
            title = f"Opinion: why {topic} matters for {stem(council)}"
            section = self.term("category", "Blog")
            terms = [section]
        else:
            title = rng.choice(
                (
                    f"{council} joins the Co-operative Councils' Innovation Network",
                    f"{stem(council)} shares its work on {topic}",
                    f"Policy Lab funding for {topic}",
                    f"Members meet in {stem(council)} to discuss {topic}",
                )
            )
            section = self.term("category", "Media")
            terms = [section]
            if kind == "press":
                terms.append(self.term("category", "Press Release"))
            if kind == "events":
                terms.append(self.term("category", "Events", parent="media"))
        slug = self.unique_slug("post", title)
        post = Post(
            self.new_id(),
            "post",
            title,
            slug,
            f"{SITE}/{section.slug}/{slug}/",
            self.date(),
            author=rng.choice(("pvallance", "ccinadmin", "pcassidy")),
            terms=terms + [self.term("post_tag", stem(council))],
        )
        post.content = self.body(self.paragraphs(council, topic, rng.randint(2, 4)))
        self.posts.append(post)
        return post

    def typed(self, post_type: str, title: str, link_base: str, first_year: int = 2013) -> Post:
        slug = self.unique_slug(post_type, title)
        post = Post(
            self.new_id(),
            post_type,
            title,
            slug,
            f"{SITE}/{link_base}/{slug}/",
            self.date(first_year),
        )
        self.posts.append(post)
        return post

    def publication(self, with_pdf: bool) -> Post:
        title, year, month = self.rng.choice(PUBLICATIONS)
        if ("publication", slugify(title)) in self.slugs:
            title = f"{title} ({self.rng.choice(MONTHS)} {self.rng.randint(2013, 2026)})"
        post = self.typed("publication", title, "publication")
        post.date = post.date.replace(year=year, month=month, day=min(post.date.day, 28))
        council = self.rng.choice(COUNCILS)
        post.terms = [self.term("theme", self.rng.choice(THEMES))]
        text = self.paragraphs(council, self.rng.choice(TOPICS)[0], 2)
        if with_pdf:
            pdf = self.attachment(post, "pdf", title)
            text.append(f'<a href="{pdf.attachment_url}">Download the report (PDF)</a>')
        post.content = self.body(text)
        return post

    def project(self) -> Post:
        title, council, year = self.rng.choice(PROJECTS)
        post = self.typed("project", title, "project", first_year=year - 1)
        post.meta = [("lead_council", council), ("_lead_council", "field_60b7d2f1a8c44")]
        post.content = self.body(self.paragraphs(council, title.lower(), 3))
        return post

    def page(self, tops: list[Post]) -> Post:
        index = sum(1 for post in self.posts if post.post_type == "page")
        title = PAGE_TITLES[index % len(PAGE_TITLES)]
        if index >= len(PAGE_TITLES):
            title = f"{title} {index // len(PAGE_TITLES) + 1}"
        parent = self.rng.choice(tops) if tops and self.rng.random() < 0.6 else None
        slug = self.unique_slug(f"page:{parent.wp_id if parent else 0}", title)
        base = parent.link if parent else f"{SITE}/"
        post = Post(
            self.new_id(),
            "page",
            title,
            slug,
            f"{base}{slug}/",
            self.date(2013, 2016),
            parent=parent.wp_id if parent else 0,
            menu_order=index,
            meta=[("_wp_page_template", "default")],
        )
        post.content = self.body(self.paragraphs("The network", "co-operative working", 2))
        if not parent:
            tops.append(post)
        self.posts.append(post)
        return post

    def newsletter(self) -> Post:
        when = self.date(2016)
        title = f"Members\u2019 Update \u2013 {MONTHS[when.month - 1]} {when.year}"
        post = self.typed("newsletter", title, "newsletter")
        post.date = when
        post.content = self.body(self.paragraphs("The network", "the year ahead", 3))
        return post

    def toolkit(self, with_docx: bool) -> Post:
        title = f"{self.rng.choice(THEMES)} toolkit"
        post = self.typed("toolkit", title, "resources/toolkits")
        text = self.paragraphs("A member council", title.lower(), 2)
        if with_docx:
            docx = self.attachment(post, "docx", f"{title} template")
            text.append(f'<a href="{docx.attachment_url}">Download the template (Word)</a>')
        post.content = self.body(text)
        return post

    def run(self) -> None:
        counts = self.counts
        attachments = counts["attachment"]
        pdfs = min(counts["publication"], attachments * 3 // 10)
        docxs = min(counts["toolkit"], attachments // 10)
        images = attachments - pdfs - docxs
        order = [kind for kind, n in counts.items() if kind != "attachment" for _ in range(n)]
        self.rng.shuffle(order)
        tops: list[Post] = []
        for kind in order:
            if kind == "case-study":
                self.case_study(with_image=images > 0)
                images -= 1
            elif kind == "post":
                self.news()
            elif kind == "publication":
                self.publication(with_pdf=pdfs > 0)
                pdfs -= 1
            elif kind == "toolkit":
                self.toolkit(with_docx=docxs > 0)
                docxs -= 1
            elif kind == "project":
                self.project()
            elif kind == "page":
                self.page(tops)
            elif kind == "newsletter":
                self.newsletter()
        # Attachments no case study took (fewer case studies than images): unattached.
        for n in range(max(images, 0) + max(pdfs, 0) + max(docxs, 0)):
            self.attachment(None, "image", f"CCIN photo library {n + 1}")

    def xml(self) -> str:
        dates = [post.date for post in self.posts if post.date]
        exported = max(dates, default=datetime(2026, 6, 1)) + timedelta(days=1)
        out = [header("Co-operative Councils&#039; Innovation Network", exported)]
        out += [author_xml(*author) for author in AUTHORS]
        kinds = ("category", "post_tag")
        ordered = sorted(
            self.terms.values(),
            key=lambda t: (kinds.index(t.taxonomy) if t.taxonomy in kinds else 2, t.term_id),
        )
        out += [term.channel_xml() for term in ordered]
        out.append(f"\n\t<generator>https://wordpress.org/?v={WORDPRESS_VERSION}</generator>\n\n")
        out += [post.xml() for post in sorted(self.posts, key=lambda p: p.wp_id)]
        out.append("</channel>\n</rss>\n")
        return "".join(out)


def write_export(
    path: Path, items: int = 400, uploads: Path | None = None, seed: int = 1
) -> dict[str, int]:
    """Write an export of `items` items to `path` (and their files under `uploads`).

    Returns the number of items of each wp:post_type, as an importer should count them.
    """
    generator = Generator(items, seed, Path(uploads) if uploads else None)
    generator.run()
    Path(path).write_text(generator.xml(), encoding="utf-8")
    return dict(Counter(post.post_type for post in generator.posts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="The export file to write.")
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--uploads", type=Path, default=None, help="Write the files here too.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--fixture-uploads",
        type=Path,
        default=None,
        help="Write fixtures/councils-coop.xml's uploads folder here.",
    )
    args = parser.parse_args(argv)
    if not args.out and not args.fixture_uploads:
        parser.error("give an export file to write, or --fixture-uploads DIR")
    if args.fixture_uploads:
        for path in write_fixture_uploads(args.fixture_uploads):
            print(f"{path} ({path.stat().st_size} bytes)")
    if args.out:
        counts = write_export(args.out, args.items, args.uploads, args.seed)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        print(f"Wrote {args.out}: {sum(counts.values())} items ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
