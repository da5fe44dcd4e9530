"""WordPress shortcodes ([name attr="v"]…[/name]) read into a tree, and rewritten as HTML.

WordPress only expands shortcodes a plugin registered; any other bracketed text is printed
as written. So "[sic]" or a footnote "[1]" stays text here, while a name this module knows,
a name with attributes, or one with a closing tag is treated as a shortcode. `expand` turns
the ones content conversion understands into plain HTML or placeholder elements (<wp-embed>,
<wp-gallery>, <wp-file>) and removes the rest, keeping an enclosing one's inner content.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

TOKEN = re.compile(
    r"\[(?P<open>\[?)(?P<close>/?)(?P<name>[A-Za-z][\w-]*)"
    r"(?P<attrs>(?:\s+[^\[\]]*?)?)(?P<self>/?)\](?P<shut>\]?)"
)
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|"""
    r"""([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# Quotes as the editor stores them when "smart quotes" or HTML-escaping reached an attribute.
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2033": '"', "\u2018": "'", "\u2019": "'"})

KNOWN = {
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "video",
    "audio",
    "playlist",
    "button",
    "btn",
    "link",
    "contact-form-7",
    "contact-form",
    "wpforms",
    "gravityform",
    "ninja_form",
    "mc4wp_form",
    "fusion_builder_container",
    "toc",
    "su_button",
}
KNOWN_PREFIXES = ("vc_", "et_pb_", "fusion_", "av_", "su_", "fl_", "tm_", "ux_", "wpb_")
MEDIA_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a")
URL_ATTRIBUTES = ("url", "link", "href")
LABEL_ATTRIBUTES = ("text", "label", "title", "content")


@dataclass
class Shortcode:
    name: str
    attrs: dict[str, str]
    positional: list[str] = field(default_factory=list)
    children: list[Shortcode | str] = field(default_factory=list)
    enclosing: bool = False
    text: str = ""  # the opening tag as written, for one that turns out not to be a shortcode

    @property
    def inner(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)


def parse_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """WordPress's shortcode_parse_atts: name="v", name='v', name=v, and bare values."""
    text = html.unescape(text).translate(QUOTES).replace("\xa0", " ").strip()
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in ATTRIBUTE.finditer(text + " "):
        groups = match.groups()
        if groups[0] is not None:
            named[groups[0].lower()] = groups[1]
        elif groups[2] is not None:
            named[groups[2].lower()] = groups[3]
        elif groups[4] is not None:
            named[groups[4].lower()] = groups[5]
        else:
            value = next(g for g in groups[6:] if g is not None)
            positional.append(value)
    return named, positional


def is_shortcode(name: str, attrs: str, closers: set[str]) -> bool:
    lowered = name.lower()
    return (
        lowered in KNOWN or lowered.startswith(KNOWN_PREFIXES) or lowered in closers or "=" in attrs
    )


def parse(text: str) -> list[Shortcode | str]:
    """The text as a list of strings and shortcodes, nested as their closing tags say."""
    tokens = list(TOKEN.finditer(text))
    closers = {m.group("name").lower() for m in tokens if m.group("close") and not m.group("open")}
    root = Shortcode("", {})
    stack = [root]
    position = 0
    for match in tokens:
        name = match.group("name").lower()
        if not is_shortcode(name, match.group("attrs"), closers):
            continue
        stack[-1].children.append(text[position : match.start()])
        position = match.end()
        if match.group("open") and match.group("shut"):
            stack[-1].children.append(match.group(0)[1:-1])  # [[name]] is printed as [name]
            continue
        if match.group("open"):
            stack[-1].children.append("[")
        if match.group("close"):
            depth = next((d for d in range(len(stack) - 1, 0, -1) if stack[d].name == name), 0)
            if depth:  # a closing tag with no opening one is dropped
                while len(stack) > depth + 1:
                    _unclose(stack)
                stack.pop().enclosing = True
            continue
        attrs, positional = parse_attributes(match.group("attrs"))
        shortcode = Shortcode(name, attrs, positional, text=match.group(0))
        stack[-1].children.append(shortcode)
        if not match.group("self") and name in closers:
            stack.append(shortcode)
    stack[-1].children.append(text[position:])
    while len(stack) > 1:
        _unclose(stack)
    return root.children


def _unclose(stack: list[Shortcode]) -> None:
    """An opening tag never closed was self-closing after all: what followed it goes back to
    its parent."""
    unclosed = stack.pop()
    stack[-1].children.extend(unclosed.children)
    unclosed.children = []


def expand(text: str, report: Callable[[str], None]) -> str:
    """The text with every shortcode replaced by the HTML that stands for it."""
    return _render(parse(text), report)


def _render(nodes: list[Shortcode | str], report: Callable[[str], None]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        inner = _render(node.children, report)
        out.append(_replace(node, inner, report))
    return "".join(out)


def _replace(code: Shortcode, inner: str, report: Callable[[str], None]) -> str:
    name = code.name
    attrs = code.attrs
    if name in {"caption", "wp_caption"}:
        caption = attrs.get("caption", "")
        image = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S)
        if image:
            body, caption = image.group(1), (image.group(2).strip() or caption)
        else:
            body = inner
        return f"\n\n<figure>{body}<figcaption>{caption}</figcaption></figure>\n\n"
    if name == "gallery":
        ids = attrs.get("ids") or attrs.get("include") or ""
        if not ids.strip():
            report("Shortcode [gallery] without a list of images was removed; add the images")
            return ""
        return f'\n\n<wp-gallery ids="{html.escape(ids)}"></wp-gallery>\n\n'
    if name == "embed":
        url = (inner or attrs.get("src", "") or attrs.get("url", "")).strip()
        return f'\n\n<wp-embed url="{html.escape(url)}"></wp-embed>\n\n' if url else ""
    if name in {"video", "audio", "playlist"}:
        source = next((attrs[key] for key in MEDIA_SOURCES if attrs.get(key)), "")
        if not source:
            source = re.sub(r"<[^>]+>", "", inner).strip()
        if not source:
            report(f"Shortcode [{name}] without a file was removed")
            return ""
        return f'\n\n<wp-embed url="{html.escape(source)}" data-shortcode="{name}"></wp-embed>\n\n'
    url = next((attrs[key] for key in URL_ATTRIBUTES if attrs.get(key)), "")
    if url and ("button" in name or "btn" in name or name == "link"):
        if url.startswith("url:"):  # Visual Composer: url:https%3A%2F%2F…|title:…|target:…
            parts = dict(p.split(":", 1) for p in url.split("|") if ":" in p)
            url = unquote(parts.get("url", ""))
            label = unquote(parts.get("title", ""))
        else:
            label = ""
        label = (
            re.sub(r"<[^>]+>", "", inner).strip()
            or label
            or next((attrs[key] for key in LABEL_ATTRIBUTES if attrs.get(key)), "")
            or url
        )
        return f'<a href="{html.escape(url)}">{html.escape(label)}</a>'
    if inner.strip():
        report(f"Shortcode [{name}] was removed; its text was kept")
        return inner
    report(f"Shortcode [{name}] was removed; nothing replaces it")
    return ""
