"""Demo pictures, drawn here with Pillow: an abstract illustration per theme and news
category, and a designed cover for every report, stored as Wagtail images.

Runs after every other part (load_demo_content). It only fills empty image fields, so an
editor's choice is never replaced, and finds its images again by title, so a second run
adds nothing. No council or supplier logos are drawn: a made-up logo would misrepresent a
real organisation.
"""

from __future__ import annotations

import random
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page

from casestudies.models import CaseStudyPage, PolicyProjectPage, PublicationPage
from home.social_cards import (
    ACCENT_BRIGHT,
    BRAND,
    BRAND_DARK,
    ORGANISATION,
    PAPER,
    PAPER_ALT,
    draw_mark,
    fit_text,
    font,
    readable_on,
)
from news.models import NewsPage

ACCENT = "#b3470e"  # static/css/site.css --accent
ILLUSTRATION_SIZE = (1600, 900)
COVER_SIZE = (848, 1200)  # A4's proportions
SCALE = 2  # shapes are drawn at twice the size and scaled down, for smooth edges

# Each subject's motif: the shape it repeats, its background and what the shapes suggest
# (the alt text says so).
MOTIFS = {
    "Community wealth building": ("stack", BRAND, "stacked rings rising from left to right"),
    "Co-operative placemaking": ("house", BRAND_DARK, "a street of simple house shapes"),
    "Consensus building": ("ring", ACCENT, "overlapping rings meeting in the middle"),
    "Democratic engagement": ("bubble", BRAND, "rounded speech bubbles"),
    "Co-production": ("ring", BRAND_DARK, "interlocking rings"),
    "Health and care": ("plus", BRAND, "soft plus signs"),
    "Housing": ("house", BRAND, "rows of house shapes"),
    "Net zero and energy": ("sun", BRAND_DARK, "a rising sun and wind lines"),
    "Digital inclusion": ("dots", BRAND, "a grid of connected dots"),
    "Young people": ("triangle", ACCENT, "upward triangles"),
    "Local economy and procurement": ("bars", BRAND_DARK, "bars growing in height"),
    "Governance": ("columns", BRAND_DARK, "columns of a civic building"),
    "Community": ("circle", BRAND, "clusters of circles"),
    "News": ("bars", BRAND, "bands of colour"),
    "Policy": ("page", BRAND_DARK, "stacked pages"),
    "Events": ("dots", ACCENT, "a calendar-like grid of dots"),
    "Policy labs": ("triangle", BRAND, "triangles pointing up"),
    "The network": ("ring", BRAND, "interlocking rings"),
}


def illustration_title(subject: str) -> str:
    return f"Illustration: {subject}"


def cover_title(publication: PublicationPage) -> str:
    return f"Report cover: {publication.title}"


# Drawing -------------------------------------------------------------------------------------


def _shape(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, r: float, colour: str):
    box = (x - r, y - r, x + r, y + r)
    width = max(4, round(r / 3))
    if kind in ("ring", "stack"):
        draw.ellipse(box, outline=colour, width=width)
    elif kind in ("circle", "sun"):
        draw.ellipse(box, fill=colour)
    elif kind == "house":
        draw.rectangle((x - r, y - r * 0.1, x + r, y + r), fill=colour)
        draw.polygon(
            [(x - r * 1.2, y - r * 0.1), (x, y - r * 1.1), (x + r * 1.2, y - r * 0.1)], fill=colour
        )
    elif kind == "bubble":
        draw.rounded_rectangle(
            (x - r * 1.4, y - r * 0.8, x + r * 1.4, y + r * 0.8), radius=r * 0.5, fill=colour
        )
        draw.polygon(
            [(x - r * 0.8, y + r * 0.6), (x - r * 0.9, y + r * 1.3), (x - r * 0.2, y + r * 0.7)],
            fill=colour,
        )
    elif kind == "plus":
        t = r * 0.36
        draw.rounded_rectangle((x - t, y - r, x + t, y + r), radius=t * 0.6, fill=colour)
        draw.rounded_rectangle((x - r, y - t, x + r, y + t), radius=t * 0.6, fill=colour)
    elif kind == "triangle":
        draw.polygon([(x - r, y + r * 0.8), (x, y - r), (x + r, y + r * 0.8)], fill=colour)
    elif kind in ("bars", "columns"):
        draw.rounded_rectangle(
            (x - r * 0.35, y - r, x + r * 0.35, y + r), radius=r * 0.2, fill=colour
        )
    elif kind == "page":
        draw.rounded_rectangle(
            (x - r * 0.75, y - r, x + r * 0.75, y + r), radius=r * 0.1, fill=colour
        )
    else:  # dots
        draw.ellipse((x - r * 0.4, y - r * 0.4, x + r * 0.4, y + r * 0.4), fill=colour)


def draw_motif(image: Image.Image, kind: str, background: str, seed: str) -> None:
    """Fill ``image`` with an abstract composition of ``kind`` shapes on ``background``."""
    rng = random.Random(seed)  # noqa: S311  # the same picture every run, not security
    width, height = image.size
    layer = Image.new("RGB", (width * SCALE, height * SCALE), background)
    draw = ImageDraw.Draw(layer)
    palette = [c for c in (PAPER, ACCENT_BRIGHT, PAPER_ALT, BRAND, BRAND_DARK) if c != background]
    u = min(width, height) * SCALE / 9  # one grid unit
    # A large, quiet form behind the shapes.
    big = u * rng.uniform(3.5, 4.5)
    cx, cy = width * SCALE * rng.uniform(0.6, 0.8), height * SCALE * rng.uniform(0.3, 0.7)
    draw.ellipse(
        (cx - big, cy - big, cx + big, cy + big), fill=BRAND if background != BRAND else BRAND_DARK
    )
    if kind == "sun":
        draw.ellipse(
            (cx - big * 0.6, cy - big * 0.6, cx + big * 0.6, cy + big * 0.6), fill=ACCENT_BRIGHT
        )
        for row in range(5):
            y = height * SCALE * (0.55 + row * 0.09)
            x = width * SCALE * rng.uniform(0.05, 0.3)
            draw.rounded_rectangle(
                (x, y, x + u * rng.uniform(3, 6), y + u * 0.28), radius=u * 0.14, fill=PAPER
            )
    elif kind in (
        "dots",
        "columns",
        "bars",
        "page",
        "house",
        "plus",
        "bubble",
        "triangle",
        "circle",
    ):
        columns, rows = 7, 4
        kept = []
        for row in range(rows):
            for col in range(columns):
                if rng.random() < 0.35:
                    continue
                x = (col + 0.75) * width * SCALE / (columns + 0.5)
                y = (row + 0.75) * height * SCALE / (rows + 0.5)
                kept.append((x, y))
                r = u * (0.45 if kind == "dots" else rng.uniform(0.45, 0.7))
                if kind == "bars":
                    r = u * (0.3 + 0.12 * col)
                _shape(draw, kind, x, y, r, rng.choice(palette))
        if kind == "dots":  # a network: each dot joined to the next one kept
            for a, b in zip(kept, kept[1:], strict=False):
                if abs(a[1] - b[1]) < 1:
                    draw.line((a, b), fill=PAPER_ALT, width=round(u * 0.06))
    else:  # rings: a chain across the picture, the mark's motif
        count = 5 if kind == "ring" else 6
        for n in range(count):
            x = width * SCALE * (0.12 + n * 0.76 / (count - 1))
            y = (
                height
                * SCALE
                * (0.5 + (0.25 - n * 0.1 if kind == "stack" else rng.uniform(-0.12, 0.12)))
            )
            r = u * rng.uniform(1.1, 1.6)
            _shape(draw, "ring", x, y, r, palette[n % 2])
    image.paste(layer.resize(image.size, Image.Resampling.LANCZOS))


def illustration_png(subject: str) -> bytes:
    kind, background, _ = MOTIFS.get(subject, MOTIFS["The network"])
    image = Image.new("RGB", ILLUSTRATION_SIZE, background)
    draw_motif(image, kind, background, subject)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def cover_png(title: str, date: str, subject: str) -> bytes:
    """A report cover: the mark and network's name, "Report", the title and date, and the
    theme's motif in a band at the foot."""
    width, height = COVER_SIZE
    background = BRAND_DARK
    text = readable_on(background)
    kicker = readable_on(background, ACCENT_BRIGHT)
    image = Image.new("RGB", COVER_SIZE, background)
    kind, band, _ = MOTIFS.get(subject, MOTIFS["The network"])
    foot = Image.new("RGB", (width, 380), band if band != background else BRAND)
    draw_motif(foot, kind, band if band != background else BRAND, f"cover:{title}")
    image.paste(foot, (0, height - 380 - 18))
    draw = ImageDraw.Draw(image)
    margin = 64
    draw_mark(image, margin, 64, 88)
    name_font, name_lines = fit_text(
        draw, ORGANISATION, width - 2 * margin - 112, ((30, 2), (26, 2))
    )
    y = 64 + 44 - len(name_lines) * 19
    for line in name_lines:
        draw.text((margin + 112, y), line, font=name_font, fill=text)
        y += 38
    draw.text(
        (margin, 232), "REPORT", font=font(28), fill=kicker, stroke_width=1, stroke_fill=kicker
    )
    draw.rectangle((margin, 274, margin + 64, 280), fill=kicker)
    title_font, lines = fit_text(
        draw, title, width - 2 * margin, ((64, 4), (54, 5), (46, 6), (40, 7))
    )
    y = 310
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=text, stroke_width=1, stroke_fill=text)
        y += round(title_font.size * 1.18)
    if date:
        draw.text((margin, y + 24), date, font=font(32), fill=text)
    draw.rectangle((0, height - 18, width, height), fill=ACCENT_BRIGHT)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# Records -------------------------------------------------------------------------------------


def stored_image(title: str, alt: str, filename: str, draw) -> tuple[object, bool]:
    """The Wagtail image with this title, drawn and saved if there is none yet."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image, False
    image = image_model(title=title, description=alt)
    image.file = ImageFile(BytesIO(draw()), name=filename)
    image.save()
    return image, True


def illustration(subject: str):
    kind, _background, suggests = MOTIFS.get(subject, MOTIFS["The network"])
    slug = "".join(c if c.isalnum() else "-" for c in subject.lower()).strip("-")
    return stored_image(
        illustration_title(subject),
        f"Abstract illustration in the network's colours: {suggests}.",
        f"ccin-illustration-{slug}.png",
        lambda: illustration_png(subject),
    )


def attach(page: Page, field: str, image) -> None:
    """Set an empty image field on a page the way an editor would: publish it if it is live
    with nothing waiting; otherwise give the waiting (or scheduled) revision the image too,
    without publishing it early."""
    setattr(page, field, image)
    if page.live and not page.has_unpublished_changes:
        page.save_revision().publish()
        return
    type(page).objects.filter(pk=page.pk).update(**{field: image})
    revision = page.latest_revision
    if revision is not None:
        revision.content[field] = image.pk
        revision.save(update_fields=["content"])


def subject_of(page: Page) -> str:
    if isinstance(page, NewsPage):
        return page.category.name if page.category_id else "News"
    if isinstance(page, PolicyProjectPage):
        return "Policy labs"
    theme = page.themes.order_by("pk").first() if hasattr(page, "themes") else None
    return theme.name if theme else "The network"


def load(stdout) -> None:
    """Illustrate articles, case studies and policy projects; give reports their covers."""
    created = attached = 0
    for model in (NewsPage, CaseStudyPage, PolicyProjectPage):
        for page in model.objects.filter(listing_image__isnull=True).order_by("pk"):
            image, new = illustration(subject_of(page))
            created += new
            attach(page, "listing_image", image)
            attached += 1
    for publication in PublicationPage.objects.filter(cover_image__isnull=True).order_by("pk"):
        theme = publication.themes.order_by("pk").first()
        date = publication.date_display
        image, new = stored_image(
            cover_title(publication),
            f"Cover of the report “{publication.title}”"
            + (f", {date}" if date else "")
            + f", {ORGANISATION}.",
            f"ccin-report-cover-{publication.slug[:60]}.png",
            lambda p=publication, d=date, t=theme: cover_png(
                p.title, d, t.name if t else "The network"
            ),
        )
        created += new
        attach(publication, "cover_image", image)
        attached += 1
    stdout.write(f"Demo images ready ({created} drawn, {attached} attached).")
