"""What counts as placeholder wording, and the text of a page a reader meets."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

# Wording that promises content instead of giving it, as whole words (the list).
PLACEHOLDER = re.compile(
    r"\b(to follow|placeholder|lorem|none recorded|no \w+ recorded|tbc|coming soon)\b", re.I
)


def visible_text(html: str) -> str:
    """What a reader sees or hears: text, alt text and the descriptions previews show (not
    attributes such as a search box's placeholder)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    extra = [img.get("alt", "") for img in soup.find_all("img")]
    extra += [meta.get("content", "") for meta in soup.find_all("meta") if meta.get("content")]
    return " ".join([soup.get_text(" "), *extra])
