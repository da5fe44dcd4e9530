"""Social-card images (og:image) drawn with Pillow: a page's title, its section, the mark.

A card is drawn from what a page or record already says (never from the query string), so
nobody can make the site draw their words. ``CardSubject`` is what goes on a card; its
``etag`` changes exactly when the drawing would, so the card's URL carries it (``?v=``) and
a retitled page gets a new image on social sites that keep the old one by URL.

Text is set in Pillow's built-in scalable font (``ImageFont.load_default(size=…)``), so no
system font is needed. The colours are the custom properties of static/css/site.css.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing changes, so every card's ETag and URL change with it.
RENDERER_VERSION = "1"

# static/css/site.css custom properties.
BRAND = "#0b4f6c"
BRAND_DARK = "#073448"
ACCENT_BRIGHT = "#f28c28"
PAPER = "#ffffff"
PAPER_ALT = "#f3f6f7"
INK = "#1b1b1b"
# WCAG AA for normal text; card text is large, but the bar is kept at the stricter level.
MIN_CONTRAST = 4.5

# The mark (static/images/ccin-mark.svg) in its 64-unit box: two interlocking rings.
MARK_RING_RADIUS = 12.5
MARK_RING_GAP = 15  # between the rings' centres
MARK_STROKE = 7

# Section names by page type, for types whose own name would read oddly on a card.
SECTION_LABELS = {
    "home.homepage": "Co-operative councils",
    "home.standardpage": "About the network",
    "news.newsindexpage": "News",
    "casestudies.casestudyindexpage": "Case studies",
    "casestudies.casestudypage": "Case study",
    "casestudies.policylabsindexpage": "Policy labs",
    "casestudies.publicationindexpage": "Publications",
    "casestudies.publicationpage": "Publication",
    "membership.principlespage": "Principles",
    "membership.membershippage": "Membership",
    "membership.memberdirectorypage": "Members",
    "membership.electionoutcomespage": "Elections",
    "membership.dpspage": "Dynamic Purchasing System",
}

ORGANISATION = "Co-operative Councils' Innovation Network"


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(background: str, preferred: str = PAPER) -> str:
    """``preferred`` if it meets ``MIN_CONTRAST`` on ``background``, else white or ink,
    whichever contrasts more."""
    if contrast_ratio(preferred, background) >= MIN_CONTRAST:
        return preferred
    return max((PAPER, INK), key=lambda colour: contrast_ratio(colour, background))


@dataclass(frozen=True)
class CardSubject:
    """What a card shows, and what its HTTP validators and alt text are made from."""

    title: str
    section: str
    last_modified: datetime | None = None

    @property
    def etag(self) -> str:
        text = "\x1f".join((RENDERER_VERSION, self.title, self.section))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def alt(self) -> str:
        if self.section.casefold() == self.title.casefold():
            return f"{self.title}. {ORGANISATION}."
        return f"{self.section}: {self.title}. {ORGANISATION}."


def section_for(page) -> str:
    """The section a page belongs to, as a card names it: "Press release", "Case study"…"""
    own = getattr(page, "social_card_section", None)
    if own:
        return str(own)
    for choice in ("get_kind_display", "get_project_type_display"):
        if callable(getattr(page, choice, None)):
            return str(getattr(page, choice)())
    label = page._meta.label_lower
    if label in SECTION_LABELS:
        return SECTION_LABELS[label]
    return str(page._meta.verbose_name).capitalize()


def subject_for_page(page) -> CardSubject:
    """The card of a (specific) page: its SEO title or title, as og:title has it."""
    title = getattr(page, "seo_title", "") or page.title
    if page._meta.label_lower == "home.homepage" and getattr(page, "mission", ""):
        title = page.mission
    return CardSubject(
        title=title.strip(), section=section_for(page), last_modified=page.last_published_at
    )


def subject_for_member(member) -> CardSubject:
    """The card of a member's profile (a routable sub-page of the member directory)."""
    revision = getattr(member, "latest_revision", None)
    return CardSubject(
        title=member.name.strip(),
        section=member.get_tier_display(),
        last_modified=revision.created_at if revision else None,
    )


# Drawing -------------------------------------------------------------------------------------


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def wrap_text(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=face) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if draw.textlength(line + char, font=face) > width and line:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def fit_text(
    draw: ImageDraw.ImageDraw, text: str, width: int, sizes: tuple[tuple[int, int], ...]
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The first (font size, most lines) at which ``text`` fits; else the last, cut to its
    lines with an ellipsis."""
    for size, max_lines in sizes:
        lines = wrap_text(draw, text, font(size), width)
        if len(lines) <= max_lines:
            return font(size), lines
    size, max_lines = sizes[-1]
    face = font(size)
    lines = wrap_text(draw, text, face, width)[:max_lines]
    last = lines[-1]
    while last and draw.textlength(last + "…", font=face) > width:
        last = last[:-1]
    lines[-1] = last.rstrip(" ,;:–-") + "…"
    return face, lines


def draw_mark(image: Image.Image, x: int, y: int, size: int, background: str = BRAND) -> None:
    """Paste the mark, ``size`` pixels square, at (x, y); drawn 4× and scaled for smooth edges."""
    scale = 4
    unit = size * scale / 64
    tile = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    draw.rounded_rectangle(
        (0, 0, tile.width - 1, tile.height - 1), radius=14 * unit, fill=background
    )
    radius = MARK_RING_RADIUS * unit
    stroke = round(MARK_STROKE * unit)
    left, right = (32 - MARK_RING_GAP / 2) * unit, (32 + MARK_RING_GAP / 2) * unit
    middle = 32 * unit

    def ring_box(cx: float, grow: float = 0.0) -> tuple[float, float, float, float]:
        # Pillow draws an outline inward from the box; the box is grown by half the stroke so
        # the stroke is centred on the ring, as in the SVG.
        r = radius + stroke / 2 + grow
        return (cx - r, middle - r, cx + r, middle + r)

    draw.ellipse(ring_box(left), outline=PAPER, width=stroke)
    draw.ellipse(ring_box(right), outline=ACCENT_BRIGHT, width=stroke)
    # The white ring passes over the orange one at the lower crossing: a gap, then white.
    crossing = 53.13  # degrees below the horizontal, from the left ring's centre
    draw.arc(
        ring_box(left, 2 * unit),
        crossing - 19,
        crossing + 19,
        fill=background,
        width=stroke + round(4 * unit),
    )
    draw.arc(ring_box(left), crossing - 25, crossing + 25, fill=PAPER, width=stroke)
    tile = tile.resize((size, size), Image.Resampling.LANCZOS)
    image.paste(tile, (x, y), tile)


def _decoration(image: Image.Image, colour: str) -> None:
    """Large interlocking rings off the right edge, echoing the mark; quiet, behind no text."""
    scale, left, bottom = 2, 840, 460  # only the corner the rings cover is drawn
    layer = Image.new("RGBA", ((WIDTH - left) * scale, bottom * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for cx, cy, r in ((1080, 40, 210), (1220, 230, 210)):
        x = cx - left
        draw.ellipse(
            ((x - r) * scale, (cy - r) * scale, (x + r) * scale, (cy + r) * scale),
            outline=colour,
            width=46 * scale,
        )
    layer = layer.resize((WIDTH - left, bottom), Image.Resampling.LANCZOS)
    image.paste(layer, (left, 0), layer)


def render_card(subject: CardSubject, organisation: str = ORGANISATION) -> bytes:
    """The card as PNG bytes, 1200×630."""
    background = BRAND_DARK
    text = readable_on(background)
    kicker = readable_on(background, ACCENT_BRIGHT)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    _decoration(image, BRAND)
    draw = ImageDraw.Draw(image)

    margin = 80
    draw_mark(image, margin, 64, 96)
    name_font, name_lines = fit_text(draw, organisation, 440, ((34, 2), (28, 2)))
    name_y = 64 + 48 - len(name_lines) * 21
    for line in name_lines:
        draw.text((margin + 124, name_y), line, font=name_font, fill=text)
        name_y += 42

    section = subject.section.upper()
    section_font = font(30)
    draw.text(
        (margin, 232), section, font=section_font, fill=kicker, stroke_width=1, stroke_fill=kicker
    )
    draw.rectangle((margin, 278, margin + 72, 284), fill=kicker)

    title_font, title_lines = fit_text(
        draw,
        subject.title or organisation,
        WIDTH - 2 * margin,
        ((76, 2), (66, 3), (56, 4), (48, 4)),
    )
    leading = round(title_font.size * 1.18)
    y = 312
    for line in title_lines:
        draw.text((margin, y), line, font=title_font, fill=text, stroke_width=1, stroke_fill=text)
        y += leading

    draw.rectangle((0, HEIGHT - 16, WIDTH, HEIGHT), fill=ACCENT_BRIGHT)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
