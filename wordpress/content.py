"""One WordPress post's content turned into this site's StreamField blocks.

WordPress stores a post as HTML with Gutenberg's block comments, or (classic editor) as text
whose paragraphs are blank lines, with shortcodes in either. `convert` reads it in four
steps: Gutenberg comments become plain HTML (their JSON attributes kept where they say
more than the HTML: an image's attachment id, an embed's address, a file's link);
shortcodes are expanded (shortcodes.py); classic content gets WordPress's wpautop
paragraphs; and the HTML is walked top to bottom into BaseStreamBlock's raw data: text
merges into paragraph blocks in Wagtail's rich-text database format, while images, quotes,
embeds, tables and document links stand alone. Whatever cannot be carried over is removed
and said, once, in `problems`, for the import report.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from security.sanitise import clean_rich_text

from . import shortcodes

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
BLOCK_COMMENT = re.compile(
    r"<!--\s*(?P<close>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)"
    r"\s*(?P<attrs>\{.*?\})?\s*(?P<self>/)?-->",
    re.S,
)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp"}
SIZE_SUFFIX = re.compile(r"(-\d+x\d+|-scaled|-rotated|-e\d{10,})+$")
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
YOUTUBE_ID = re.compile(r"^[\w-]{6,20}$")
WHITESPACE = re.compile(r"[ \t\r\n\xa0\u200b]+")
DASH_ATTRIBUTION = re.compile(r"^\s*[\u2014\u2013~-]+\s*(?P<who>.+)$")

# Gutenberg blocks whose HTML says everything needed; all others are reported once.
PLAIN_BLOCKS = {
    "paragraph",
    "heading",
    "list",
    "list-item",
    "image",
    "quote",
    "pullquote",
    "table",
    "html",
    "shortcode",
    "group",
    "columns",
    "column",
    "separator",
    "spacer",
    "buttons",
    "button",
    "gallery",
    "freeform",
    "more",
    "nextpage",
    "preformatted",
    "code",
    "verse",
    "media-text",
    "cover",
    "video",
    "audio",
}
# Elements that stand alone in a page (wpautop's list, with the converter's placeholders).
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|script|"
    "wp-embed|wp-gallery|wp-file|video|audio|object|noscript"
)
AUTOP_BLOCK = re.compile(rf"(<(?:{BLOCK_TAGS})\b[^>]*>)", re.I)
AUTOP_BLOCK_END = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.I)
AUTOP_STARTS_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})\b", re.I)
PRESERVED = re.compile(r"<(pre|script|style)\b.*?</\1>", re.I | re.S)

# Inline elements kept in paragraphs, as Wagtail's database format spells them.
INLINE_RENAME = {"strong": "b", "em": "i", "b": "b", "i": "i"}
INLINE_KEEP = {"a", "br"}
REMOVED = {
    "script": "A script",
    "style": "Styling (a <style> element)",
    "form": "A form",
    "input": "A form field",
    "select": "A form field",
    "textarea": "A form field",
    "button": "A button",
    "object": "An embedded object",
    "embed": "An embedded object",
    "noscript": "A <noscript> fallback",
    "svg": "An inline drawing (SVG)",
    "canvas": "A drawing area",
    "audio": "An audio player",
    "video": "A video player",
    "map": "An image map",
}
SILENT_DROP = {"head", "title", "meta", "link", "template", "hr", "wbr", "source", "track"}
HEADING_MAX = 120
CAPTION_MAX = 250
ATTRIBUTION_MAX = 200


class Resolver(Protocol):
    def image(self, url: str) -> int | None: ...

    def image_by_wp_id(self, wp_id: int) -> int | None: ...

    def document(self, url: str) -> int | None: ...

    def page(self, url: str) -> int | None: ...


@dataclass
class Converted:
    blocks: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    summary: str = ""


def convert(
    html: str, resolver: Resolver, site_url: str = "", seed: str | None = None
) -> Converted:
    """The blocks for one post's content; never raises on odd content."""
    converter = _Converter(resolver, site_url)
    try:
        converter.run(html or "")
    except RecursionError:
        # Thousands of nested elements (broken markup pasted over and over): text only.
        text = htmllib.escape(plain_text(html, limit=len(html)), quote=False)
        converter.blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"}] if text else []
        converter.report("The content was nested too deeply to convert; it was kept as text")
    blocks = converter.blocks
    for index, block in enumerate(blocks):
        block["id"] = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"wordpress:{seed}:{index}")
            if seed is not None
            else uuid.uuid4()
        )
    return Converted(blocks, converter.problems, _summary(blocks))


def plain_text(html: str, limit: int = 400) -> str:
    """Text of some HTML (an excerpt, say), tags and shortcodes removed, cut at a word."""
    html = CONTROL.sub("", html or "")
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    html = re.sub(r"\[/?[A-Za-z][\w-]*(?:\s[^\[\]]*)?/?\]", " ", html)
    soup = BeautifulSoup(f"<div>{html}</div>", "html.parser")
    for tag in soup.find_all(["script", "style"]):
        tag.decompose()
    text = WHITESPACE.sub(" ", soup.get_text(" ")).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return _shorten(text, limit)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def _summary(blocks: list[dict]) -> str:
    for block in blocks:
        if block["type"] == "paragraph":
            first = BeautifulSoup(block["value"], "html.parser").find(["p", "ul", "ol"])
            text = plain_text(str(first) if first else block["value"])
            if text:
                return text
    return ""


# Steps before the walk ------------------------------------------------------------------


def _gutenberg(text: str, report) -> str:
    """Block comments out; the attributes the HTML lacks put into it."""
    out: list[str] = []
    stack: list[tuple[str, dict, int]] = []
    position = 0
    for match in BLOCK_COMMENT.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        name = match.group("name").removeprefix("core/")
        try:
            attrs = json.loads(match.group("attrs") or "{}")
        except ValueError:
            attrs = {}
        if not isinstance(attrs, dict):
            attrs = {}
        if match.group("close"):
            while stack:
                opened, opened_attrs, start = stack.pop()
                if opened == name:
                    inner = "".join(out[start:])
                    del out[start:]
                    out.append(_block_html(name, opened_attrs, inner, report))
                    break
            continue
        if match.group("self"):
            out.append(_block_html(name, attrs, "", report))
            continue
        stack.append((name, attrs, len(out)))
    out.append(text[position:])
    return "".join(out)


def _block_html(name: str, attrs: dict, inner: str, report) -> str:
    if name == "embed" or name.startswith("core-embed/"):
        url = str(attrs.get("url") or "")
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.S)
        text = htmllib.escape(_text_of(caption.group(1))) if caption else ""
        if not url:
            found = re.search(r"https?://[^\s<\"']+", inner)
            url = found.group(0) if found else ""
        return f'\n<wp-embed url="{htmllib.escape(url)}" caption="{text}"></wp-embed>\n'
    if name == "image" and str(attrs.get("id", "")).isdigit():
        return re.sub(r"<img\b", f'<img data-wp-id="{attrs["id"]}"', inner, count=1)
    if name == "file":
        href = str(attrs.get("href") or "")
        if not href:
            found = re.search(r'href="([^"]+)"', inner)
            href = htmllib.unescape(found.group(1)) if found else ""
        link = re.search(r"<a\b[^>]*>(.*?)</a>", inner, re.S)
        title = htmllib.escape(_text_of(link.group(1))) if link else ""
        return f'\n<wp-file href="{htmllib.escape(href)}">{title}</wp-file>\n'
    if name == "heading" and str(attrs.get("level", "")).isdigit():
        level = min(max(int(attrs["level"]), 1), 6)
        return re.sub(r"<(/?)h[1-6]\b", rf"<\1h{level}", inner)
    if name in {"separator", "spacer", "more", "nextpage"}:
        return "\n"
    if name not in PLAIN_BLOCKS:
        report(f"WordPress block “{name}” was not converted; its text, if any, was kept")
    return inner


def _autop(text: str) -> str:
    """WordPress's wpautop, the parts that matter here: blank lines make paragraphs, single
    line breaks become <br>, block-level elements are left alone."""
    if not text.strip():
        return ""
    preserved: list[str] = []

    def keep(match: re.Match) -> str:
        preserved.append(match.group(0))
        return f"<wp-preserved-{len(preserved) - 1}></wp-preserved-{len(preserved) - 1}>"

    text = PRESERVED.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = AUTOP_BLOCK.sub(r"\n\n\1", text)
    text = AUTOP_BLOCK_END.sub(r"\1\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text)]
    out = []
    for chunk in chunks:
        if not chunk:
            continue
        if AUTOP_STARTS_BLOCK.match(chunk) or chunk.startswith("<wp-preserved-"):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>")
    text = "\n".join(out)
    return re.sub(
        r"<wp-preserved-(\d+)></wp-preserved-\d+>", lambda m: preserved[int(m.group(1))], text
    )


def _text_of(html: str) -> str:
    if "<" not in html and "&" not in html:
        return WHITESPACE.sub(" ", html).strip()
    return WHITESPACE.sub(
        " ", BeautifulSoup(f"<div>{html}</div>", "html.parser").get_text(" ")
    ).strip()


def _readable_name(url: str) -> str:
    """ "Kirklees town hall" from …/kirklees-town-hall-1024x683.jpg."""
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem
    stem = SIZE_SUFFIX.sub("", stem)
    words = re.sub(r"[-_.+]+", " ", stem).strip()
    words = re.sub(r"\s+\d+$", "", words) if not words.isdigit() else words
    return words[:1].upper() + words[1:] if words else ""


def _video_url(url: str) -> str:
    """The watch address of a YouTube or Vimeo video, "" for anything else."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path
    video = ""
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path == "/watch":
            video = parse_qs(parts.query).get("v", [""])[0]
        else:
            found = re.match(r"^/(?:embed|v|shorts|live)/([\w-]+)", path)
            video = found.group(1) if found else ""
        return f"https://www.youtube.com/watch?v={video}" if YOUTUBE_ID.match(video) else ""
    if host == "youtu.be":
        video = path.strip("/").split("/")[0]
        return f"https://www.youtube.com/watch?v={video}" if YOUTUBE_ID.match(video) else ""
    if host in {"vimeo.com", "player.vimeo.com"}:
        found = re.match(r"^/(?:video/|channels/[\w-]+/)?(\d+)", path)
        return f"https://vimeo.com/{found.group(1)}" if found else ""
    return ""


# The walk -----------------------------------------------------------------------------------


class _Converter:
    def __init__(self, resolver: Resolver, site_url: str) -> None:
        self.resolver = resolver
        self.site_url = (site_url or "").rstrip("/")
        site = urlsplit(self.site_url)
        self.site_host = site.netloc.lower().removeprefix("www.")
        self.blocks: list[dict] = []
        self.problems: list[str] = []
        self.text: list[str] = []  # paragraph HTML waiting to become one block

    def report(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    # Entry

    def run(self, html: str) -> None:
        html = CONTROL.sub("", html).replace("\r\n", "\n").replace("\r", "\n")
        has_blocks = "<!-- wp:" in html
        if has_blocks:
            html = _gutenberg(html, self.report)
        html = shortcodes.expand(html, self.report)
        if not has_blocks:
            html = _autop(html)
        soup = BeautifulSoup(f"<div>{html}</div>", "html.parser")
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        self.walk(soup)
        self.flush()

    # Blocks

    def emit(self, kind: str, value) -> None:
        self.flush()
        self.blocks.append({"type": kind, "value": value})

    def flush(self) -> None:
        if not self.text:
            return
        value = clean_rich_text("".join(self.text))
        self.text = []
        if _text_of(value):
            self.blocks.append({"type": "paragraph", "value": value})

    # Walking

    def walk(self, parent: Tag) -> None:
        inline: list = []
        for node in list(parent.children):
            if isinstance(node, NavigableString):
                inline.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            if self.is_inline(node):
                inline.append(node)
                continue
            self.paragraph_from(inline)
            inline = []
            self.block(node)
        self.paragraph_from(inline)

    def is_inline(self, tag: Tag) -> bool:
        if tag.name in {"img", "iframe", "wp-embed", "wp-gallery", "wp-file", "figure"}:
            return False
        if tag.name in REMOVED or AUTOP_STARTS_BLOCK.match(f"<{tag.name}"):
            return False
        if tag.name in SILENT_DROP:
            return False
        return not tag.find(
            ["p", "div", "table", "ul", "ol", "blockquote", "figure", "iframe", "img"]
            + [f"h{n}" for n in range(1, 7)]
            + ["wp-embed", "wp-gallery", "wp-file"]
        )

    def block(self, tag: Tag) -> None:
        name = tag.name
        if name in SILENT_DROP:
            return
        if name in REMOVED:
            self.removed(tag)
            return
        if re.fullmatch(r"h[1-6]", name):
            self.heading(tag)
        elif name == "p":
            self.paragraph(tag)
        elif name in {"ul", "ol"}:
            self.list(tag)
        elif name == "blockquote":
            self.quote(tag)
        elif name == "table":
            self.table(tag)
        elif name == "figure":
            self.figure(tag)
        elif name == "img":
            self.image(tag)
        elif name == "a":
            self.paragraph_from([tag])
        elif name == "iframe":
            self.iframe(tag)
        elif name == "wp-embed":
            self.embed(tag.get("url", ""), tag.get("caption", ""), tag.get("data-shortcode"))
        elif name == "wp-gallery":
            self.gallery(tag.get("ids", ""))
        elif name == "wp-file":
            self.file(tag.get("href", ""), _text_of(str(tag)))
        elif name == "pre":
            text = htmllib.escape(tag.get_text()).strip().replace("\n", "<br/>")
            if text:
                self.text.append(f"<p>{text}</p>")
        else:
            self.walk(tag)  # div, section, span with blocks inside, figcaption …

    def removed(self, tag: Tag) -> None:
        what = REMOVED[tag.name]
        if tag.name in {"audio", "video"}:
            source = tag.get("src") or next(
                (s.get("src") for s in tag.find_all("source") if s.get("src")), ""
            )
            if source:
                self.embed(source, "", tag.name)
                return
        self.report(f"{what} was removed; nothing replaces it")

    # Text

    def paragraph_from(self, nodes: list) -> None:
        """Loose inline content (classic text outside <p>) as one paragraph."""
        if not nodes:
            return
        html = "".join(str(node) for node in nodes)
        if not _text_of(html) and "<img" not in html:
            return
        soup = BeautifulSoup(f"<p>{html}</p>", "html.parser")
        self.paragraph(soup.p)

    def paragraph(self, tag: Tag) -> None:
        """A <p>, split wherever an image, embed or document link stands in it."""
        if self.alone_media(tag):
            return
        run: list[str] = []
        for node in list(tag.children):
            pulled = isinstance(node, Tag) and (
                node.name in {"img", "iframe", "wp-embed", "wp-gallery", "wp-file", "figure"}
                or (node.name == "a" and node.find("img") and not _text_of(str(node)))
            )
            if pulled:
                self.add_text("p", run)
                run = []
                self.block(node if node.name != "a" else self.unwrap_image_link(node))
                continue
            if isinstance(node, Tag) and node.find("img"):
                self.add_text("p", run)
                run = []
                for image in node.find_all("img"):
                    self.image(image.extract())
            run.append(self.inline(node))
        self.add_text("p", run)

    def alone_media(self, tag: Tag) -> bool:
        """A paragraph that is only a video address or only a link to a document."""
        text = _text_of(str(tag))
        elements = [c for c in tag.descendants if isinstance(c, Tag) and c.name != "br"]
        if not text or tag.find(["img", "iframe"]):
            return False
        if _video_url(text) and (not elements or [e.name for e in elements] == ["a"]):
            self.embed(text, "")
            return True
        if len(elements) == 1 and elements[0].name == "a" and _text_of(str(elements[0])) == text:
            href = elements[0].get("href", "")
            if self.upload_document(href):
                self.file(href, text)
                return True
        return False

    def add_text(self, wrapper: str, parts: list[str]) -> None:
        html = "".join(parts).strip()
        html = re.sub(r"^(?:\s*<br/>)+|(?:<br/>\s*)+$", "", html).strip()
        html = re.sub(r"<br/>\s+", "<br/>", html)
        if _text_of(html):
            self.text.append(f"<{wrapper}>{html}</{wrapper}>")

    def inline(self, node) -> str:
        """Inline HTML in Wagtail's database format: b, i, links, line breaks; text kept."""
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return htmllib.escape(WHITESPACE.sub(" ", str(node)), quote=False)
        if node.name in REMOVED:
            self.removed(node)
            return ""
        if node.name in SILENT_DROP:
            return ""
        inner = "".join(self.inline(child) for child in node.children)
        if node.name == "br":
            return "<br/>"
        if node.name in INLINE_RENAME:
            tag = INLINE_RENAME[node.name]
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        if node.name == "a":
            return self.link(node, inner)
        if node.name in {"p", "div", "li"}:
            return inner + "<br/>"
        return inner

    def link(self, node: Tag, inner: str) -> str:
        href = (node.get("href") or "").strip()
        if not inner.strip():
            return inner
        scheme = urlsplit(href).scheme.lower()
        if not href or scheme in {"javascript", "data", "vbscript", "file"}:
            if scheme:
                self.report(f"A {scheme}: link was removed; its text was kept")
            return inner
        if href.startswith("#") or scheme in {"mailto", "tel"}:
            return f'<a href="{htmllib.escape(href)}">{inner}</a>'
        url = self.absolute(href)
        if self.on_old_site(url) and urlsplit(url).scheme in {"http", "https", ""}:
            if "/wp-content/uploads/" in urlsplit(url).path:
                if not self.is_image_url(url):
                    document = self.resolver.document(url)
                    if document:
                        return f'<a linktype="document" id="{document}">{inner}</a>'
                    self.report(f"The link to the file {url} was kept as it was: no such upload")
            else:
                page = self.resolver.page(url)
                if page:
                    return f'<a linktype="page" id="{page}">{inner}</a>'
        return f'<a href="{htmllib.escape(url)}">{inner}</a>'

    def list(self, tag: Tag) -> None:
        for image in tag.find_all("img"):
            self.image(image.extract())
        html = self.list_html(tag)
        if _text_of(html):
            self.text.append(html)

    def list_html(self, tag: Tag) -> str:
        items = []
        for item in tag.find_all("li", recursive=False):
            nested = [child.extract() for child in item.find_all(["ul", "ol"], recursive=False)]
            text = "".join(self.inline(child) for child in item.children)
            text = re.sub(r"(?:<br/>\s*)+$", "", text.strip())
            text += "".join(self.list_html(child) for child in nested)
            if _text_of(text):
                items.append(f"<li>{text}</li>")
        return f"<{tag.name}>{''.join(items)}</{tag.name}>" if items else ""

    def heading(self, tag: Tag) -> None:
        for image in tag.find_all("img"):
            self.image(image.extract())
        text = _text_of(str(tag))
        if not text:
            return
        if len(text) > HEADING_MAX:  # a paragraph styled as a heading
            self.text.append(f"<p><b>{htmllib.escape(text, quote=False)}</b></p>")
            return
        level = "h2" if tag.name in {"h1", "h2"} else "h3"
        self.emit("heading", {"text": text, "level": level})

    # Media

    def figure(self, tag: Tag) -> None:
        caption_tag = tag.find("figcaption")
        caption = _text_of(str(caption_tag)) if caption_tag else ""
        if caption_tag:
            caption_tag.extract()
        images = tag.find_all("img")
        if tag.find("table"):
            self.table(tag.find("table"), caption)
        elif tag.find("blockquote"):
            self.quote(tag.find("blockquote"))
        elif len(images) == 1 and not tag.find(["iframe", "wp-embed"]):
            self.image(images[0], caption)
        elif tag.find(["iframe", "wp-embed", "video", "audio"]) and not images:
            found = tag.find(["iframe", "wp-embed", "video", "audio"])
            if found.name == "wp-embed":
                self.embed(found.get("url", ""), caption or found.get("caption", ""))
            elif found.name == "iframe":
                self.iframe(found, caption)
            else:
                self.removed(found)
        else:
            self.walk(tag)
            if caption and not images:
                self.text.append(f"<p>{htmllib.escape(caption, quote=False)}</p>")

    def unwrap_image_link(self, link: Tag) -> Tag:
        image = link.find("img")
        href = link.get("href", "")
        if href and not self.is_image_url(self.absolute(href)):
            self.report(
                f"The link on an image, to {href}, was removed: images here cannot be links"
            )
        return image

    def image(self, tag: Tag, caption: str = "") -> None:
        if tag.parent is not None and tag.parent.name == "a":
            self.unwrap_image_link(tag.parent)
        src = tag.get("src", "")
        if not src or src.startswith("data:"):
            src = tag.get("data-src") or tag.get("data-lazy-src") or src
        url = self.absolute(src)
        wp_id = tag.get("data-wp-id") or ""
        found = WP_IMAGE_CLASS.search(" ".join(tag.get("class") or []))
        wp_id = wp_id or (found.group(1) if found else "")
        pk = self.resolver.image_by_wp_id(int(wp_id)) if wp_id.isdigit() else None
        if pk is None and url and not url.startswith("data:"):
            pk = self.resolver.image(url)
        if pk is None:
            shown = url if url and not url.startswith("data:") else "(an image with no address)"
            self.report(f"Image {shown} was removed: it is not among the imported images")
            return
        alt = WHITESPACE.sub(" ", tag.get("alt") or "").strip() or self.stored_alt(pk)
        caption = caption[:CAPTION_MAX]
        if not alt:
            alt = caption or _readable_name(url) or self.stored_title(pk) or "Image"
            self.report(f"Image {url} had no alt text; check the words used: “{alt}”")
        self.emit_image(pk, alt, caption)

    def emit_image(self, pk: int, alt: str, caption: str = "") -> None:
        self.emit(
            "image",
            {
                "image": pk,
                "alt_text": alt[:250],
                "decorative": False,
                "caption": caption,
                "credit": "",
            },
        )

    def stored_alt(self, pk: int) -> str:
        """The alt text WordPress kept for the attachment, if the resolver knows it."""
        alt = getattr(self.resolver, "alt", None)
        return WHITESPACE.sub(" ", alt(pk) or "").strip() if callable(alt) else ""

    def stored_title(self, pk: int) -> str:
        title = getattr(self.resolver, "title", None)
        return WHITESPACE.sub(" ", title(pk) or "").strip() if callable(title) else ""

    def gallery(self, ids: str) -> None:
        for part in re.split(r"[\s,]+", ids):
            if not part.isdigit():
                continue
            pk = self.resolver.image_by_wp_id(int(part))
            if pk is None:
                self.report(
                    f"Gallery image {part} was removed: it is not among the imported images"
                )
                continue
            alt = self.stored_alt(pk)
            if not alt:
                alt = self.stored_title(pk) or f"Gallery image {part}"
                self.report(f"Gallery image {part} had no alt text; check the words used: “{alt}”")
            self.emit_image(pk, alt)

    def iframe(self, tag: Tag, caption: str = "") -> None:
        src = self.absolute(tag.get("src") or tag.get("data-src") or "")
        watch = _video_url(src)
        if watch:
            self.embed(watch, caption)
            return
        host = urlsplit(src).netloc or "an unknown address"
        self.report(f"An embedded frame from {host} was removed; only YouTube and Vimeo embed")

    def embed(self, url: str, caption: str = "", shortcode: str | None = None) -> None:
        url = htmllib.unescape(url or "").strip()
        watch = _video_url(url)
        if watch:
            self.emit("embed", {"embed": watch, "caption": caption[:CAPTION_MAX]})
            return
        if not url:
            return
        absolute = self.absolute(url)
        if self.on_old_site(absolute) and "/wp-content/uploads/" in absolute:
            what = f"The [{shortcode}] player" if shortcode else "A media player"
            self.report(f"{what} for {absolute} became a link to the file")
            self.file(absolute, caption or _readable_name(absolute))
            return
        self.report(f"The embed of {url} became a link: only YouTube and Vimeo embed here")
        label = htmllib.escape(caption or url, quote=False)
        self.text.append(f'<p><a href="{htmllib.escape(absolute)}">{label}</a></p>')
        self.flush()

    def file(self, href: str, title: str) -> None:
        url = self.absolute(href)
        document = self.resolver.document(url) if url else None
        title = title.strip()
        if document:
            self.emit("document", {"document": document, "title": title[:200]})
            return
        if not url:
            return
        self.report(f"The file {url} is not among the imported documents; its link was kept")
        label = htmllib.escape(title or _readable_name(url) or url, quote=False)
        self.text.append(f'<p><a href="{htmllib.escape(url)}">{label}</a></p>')

    # Quotes and tables

    def quote(self, tag: Tag) -> None:
        attribution = ""
        cite = tag.find(["cite", "footer"])
        if cite:
            attribution = _text_of(str(cite))
            cite.extract()
        for br in tag.find_all("br"):
            br.replace_with("\n")
        paragraphs = [
            WHITESPACE.sub(" ", line).strip()
            for part in (tag.find_all("p") or [tag])
            for line in part.get_text(" ").split("\n")
        ]
        paragraphs = [p for p in paragraphs if p]
        if not attribution and len(paragraphs) > 1:
            found = DASH_ATTRIBUTION.match(paragraphs[-1])
            if found:
                attribution = found.group("who")
                paragraphs.pop()
        attribution = DASH_ATTRIBUTION.sub(r"\g<who>", attribution).strip()
        role = ""
        if "," in attribution:
            attribution, role = (part.strip() for part in attribution.split(",", 1))
        text = "\n\n".join(paragraphs).strip().strip('"\u201c\u201d').strip()
        if not text:
            return
        self.emit(
            "quote",
            {
                "quote": text,
                "attribution": attribution[:ATTRIBUTION_MAX],
                "role": role[:ATTRIBUTION_MAX],
            },
        )

    def table(self, tag: Tag, caption: str = "") -> None:
        caption_tag = tag.find("caption")
        if caption_tag:
            caption = caption or _text_of(str(caption_tag))
            caption_tag.extract()
        rows = [
            row
            for row in tag.find_all("tr")
            if row.find_parent("table") is tag and row.find(["td", "th"])
        ]
        data = [[_text_of(str(cell)) for cell in row.find_all(["td", "th"])] for row in rows]
        data = [row for row in data if any(row)]
        if not data:
            return
        width = max(len(row) for row in data)
        data = [row + [""] * (width - len(row)) for row in data]
        first = rows[0]
        header = bool(first.find_parent("thead")) or all(
            cell.name == "th" for cell in first.find_all(["td", "th"])
        )
        self.emit(
            "table",
            {
                "data": data,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_header_choice": "row" if header else "neither",
                "table_caption": caption[:CAPTION_MAX],
            },
        )

    # Addresses

    def absolute(self, href: str) -> str:
        """An address as the old site's own: relative ones joined to it, and its host spelled
        as the export's site URL spells it (with or without www, http or https)."""
        href = htmllib.unescape(href or "").strip()
        if not href:
            return href
        if href.startswith("//"):
            href = "https:" + href
        parts = urlsplit(href)
        if not parts.scheme:
            return urljoin(self.site_url + "/", href) if self.site_url else href
        if parts.scheme in {"http", "https"} and self.site_url and self.on_old_site(href):
            site = urlsplit(self.site_url)
            return parts._replace(scheme=site.scheme, netloc=site.netloc).geturl()
        return href

    def on_old_site(self, url: str) -> bool:
        parts = urlsplit(url)
        if not parts.netloc:
            return parts.scheme == ""
        host = parts.netloc.lower().removeprefix("www.")
        return bool(self.site_host) and host == self.site_host

    def upload_document(self, href: str) -> bool:
        url = self.absolute(href)
        return (
            self.on_old_site(url)
            and "/wp-content/uploads/" in urlsplit(url).path
            and not self.is_image_url(url)
        )

    @staticmethod
    def is_image_url(url: str) -> bool:
        return PurePosixPath(urlsplit(url).path).suffix.lower() in IMAGE_EXTENSIONS
