"""No unreviewed |safe or mark_safe, and no third-party scripts, images or trackers."""

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["ccin", "home", "news", "casestudies", "membership", "templates"]
UNSAFE = re.compile(
    r"mark_safe|\|\s*safe\b|safeseq|SafeString|SafeText|autoescape\s+off|html_safe|__html__"
)

# Each reviewed use, with the reason it cannot carry visitor- or editor-supplied markup.
REVIEWED = {
    # JSON-LD: json.dumps with <, > and & escaped as \u003C etc. (Django's json_script escapes).
    (
        "home/templatetags/seo_tags.py",
        "format_html('<script type=\"application/ld+json\">{}</script>', mark_safe(payload))",
    ),
    # Re-marks an attribute value cut from HTML that Django already autoescaped.
    ("home/templatetags/seo_tags.py", 'return mark_safe(match.group(1)) if match else ""'),
    ("home/templatetags/seo_tags.py", "from django.utils.safestring import mark_safe"),
    # A responsive picture written as Wagtail's Picture writes it: every attribute value goes
    # through django.utils.html.escape (tests/home/test_pictures.py compares the two).
    ("home/templatetags/picture_tags.py", "from django.utils.safestring import mark_safe"),
    (
        "home/templatetags/picture_tags.py",
        "return mark_safe(Picture(renditions, dict(attrs)).__html__())",
    ),
    (
        "home/templatetags/picture_tags.py",
        'return mark_safe(f"<picture>{sources}<img{_attributes(img)}></picture>")',
    ),
    # Wagtail's own |richtext output (its rich text rules apply on save), remembered as is.
    (
        "home/templatetags/rich_text_tags.py",
        "return shown.__html__() if isinstance(shown, RichText) else shown",
    ),
    (
        "home/templatetags/rich_text_tags.py",
        "shown = richtext(value)  # a RichText comes back as it is: its __html__ expands it",
    ),
    # oEmbed HTML (Wagtail's own template does the same) from the only two finders allowed,
    # YouTube and Vimeo (WAGTAILEMBEDS_FINDERS); the CSP's frame-src allows nothing else.
    ("templates/wagtailembeds/embed_frontend.html", "{{ embed.html|safe }}"),
}


def unsafe_uses() -> set[tuple[str, str]]:
    found = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".xml"} or "migrations" in path.parts:
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if UNSAFE.search(line):
                    found.add((str(path.relative_to(ROOT)), line))
    return found


def test_every_use_of_safe_markup_is_reviewed():
    unreviewed = {
        (path, line.strip())
        for path, line in unsafe_uses()
        if not any(path == r_path and snippet in line for r_path, snippet in REVIEWED)
    }
    assert unreviewed == set(), "Review these (escape the data instead) or add them to REVIEWED"


def test_the_reviewed_list_is_not_stale():
    uses = unsafe_uses()
    for r_path, snippet in REVIEWED:
        assert any(path == r_path and snippet in line for path, line in uses), snippet


class ResourceCollector(HTMLParser):
    """Every address the browser would fetch by itself: scripts, images, frames, styles."""

    def __init__(self):
        super().__init__()
        self.fetched: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed", "track"}:
            for name in ("src", "data-src"):
                if attrs.get(name):
                    self.fetched.append((tag, attrs[name]))
            for candidate in (attrs.get("srcset") or "").split(","):
                if candidate.strip():
                    self.fetched.append((tag, candidate.split()[0]))
        if tag == "object" and attrs.get("data"):
            self.fetched.append((tag, attrs["data"]))
        rel = (attrs.get("rel") or "").lower()
        if tag == "link" and any(
            kind in rel
            for kind in (
                "stylesheet",
                "preload",
                "prefetch",
                "preconnect",
                "dns-prefetch",
                "icon",
                "modulepreload",
            )
        ):
            self.fetched.append((tag, attrs.get("href", "")))


TRACKERS = [
    "googletagmanager",
    "google-analytics",
    "gtag(",
    "plausible.io",
    "matomo",
    "connect.facebook.net",
    "hotjar",
    "clarity.ms",
    "doubleclick",
    "segment.com",
]


@pytest.fixture
def demo_pages(db):
    call_command("load_demo_content", stdout=StringIO())
    pages = Page.objects.live().public().specific().filter(depth__gt=1)
    seen_types, chosen = set(), []
    for page in pages.order_by("path"):
        if page.content_type_id not in seen_types or page.depth <= 3:
            seen_types.add(page.content_type_id)
            chosen.append(page)
    return chosen


def test_no_third_party_resources_or_trackers(client, demo_pages):
    embed_hosts = {urlsplit(source).hostname for source in settings.VIDEO_EMBED_SOURCES}
    urls = [page.url for page in demo_pages] + ["/search/?q=council", "/no-such-page/"]
    assert len(urls) > 10
    external = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        for tracker in TRACKERS:
            assert tracker not in html.lower(), (url, tracker)
        collector = ResourceCollector()
        collector.feed(html)
        for tag, address in collector.fetched:
            host = urlsplit(address).hostname
            if host in (None, "testserver") or (tag == "iframe" and host in embed_hosts):
                continue
            external.append((url, tag, address))
    assert external == []
