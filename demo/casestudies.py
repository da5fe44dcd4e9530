"""Demo content from the seed: themes, publications, policy labs, case studies.

Records come from ``data/themes.toml``, ``case_studies.toml``, ``policy_projects.toml`` and
``publications.toml``. Runs after ``demo.membership``. Councils and principles are found by
slug, the same ``slugify(name)`` convention the membership demo uses; if one is missing it is
created from ``members.toml`` and ``principles.toml`` (a council not named there with only
its name), so this module also works on its own.
"""

from __future__ import annotations

import hashlib
import random
import re
import textwrap
from collections.abc import Mapping
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Site

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CaseStudyStatus,
    PolicyLabsIndexPage,
    PolicyProjectPage,
    ProjectStatus,
    ProjectType,
    PublicationIndexPage,
    PublicationPage,
    Theme,
)
from demo.records import Record, read
from demo.refresh import loader_only, refresh
from demo.shell import body, ensure_child, home_page, page_fields, paragraphs, stream
from home.models import SiteSettings
from membership.models import MemberCouncil, Nation, Principle

GENERATED_PREFIX = "Generated case study"
GENERATED_COUNT = 600

# Records this module links to ------------------------------------------------------------


def council(name: str) -> MemberCouncil:
    """The member council with this name's slug (created with only name and nation if new).

    The membership demo has already loaded the 44 current members, so a council created
    here (Newcastle City Council, partner on "Beyond Asset Transfer") is not a current
    member: it is kept inactive, linked from its work but not counted or listed.
    """
    nations = {member["name"]: member.get("nation") for member in read("members.toml")["member"]}
    found, _ = MemberCouncil.objects.get_or_create(
        slug=slugify(name),
        defaults={
            "name": name,
            "nation": nations.get(name) or Nation.ENGLAND,
            "active": False,
        },
    )
    return found


def principle(title: str, named_in: Record) -> Principle:
    """The principle with this title; an unknown title is reported against ``named_in``."""
    principles = read("principles.toml")["principle"]
    titles = [each["title"] for each in principles]
    if title not in titles:
        raise named_in.error(f"principles: {title!r} is not a title in principles.toml")
    order = titles.index(title)
    found, _ = Principle.objects.get_or_create(
        slug=slugify(title),
        defaults={"title": title, "text": principles[order]["text"], "sort_order": order},
    )
    return found


def theme(name: str, named_in: Record) -> Theme:
    """The theme with this name; an unknown name is reported against ``named_in``."""
    descriptions = {each["name"]: each["description"] for each in read("themes.toml")["theme"]}
    if name not in descriptions:
        raise named_in.error(f"themes: {name!r} is not a theme in themes.toml")
    found, _ = Theme.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "description": descriptions[name]}
    )
    return found


# Summary sheets --------------------------------------------------------------------------
# The network's reports are not all online. Each demo publication gets a real, short PDF
# made from what the seed says of it (title, date, partners, themes, summary), labelled
# "Summary sheet" on the page; the full report is available on request.

SUMMARY_SHEET_PREFIX = "Summary sheet: "
CONTACT_EMAIL = "info@councils.coop"
# Old demo content: documents labelled "(placeholder PDF)", removed once nothing uses them.
OLD_PLACEHOLDER_SUFFIX = " (placeholder PDF)"

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 595, 842, 72  # A4, in points
# Helvetica averages about half an em a glyph; a little under two characters an em leaves
# room for capitals.
CHARS_PER_EM = 1.85


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (the fonts' encoding): £, – and ’ print as such."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252", "replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def _wrapped(text: str, size: int) -> list[str]:
    width = int((PAGE_WIDTH - 2 * MARGIN) / size * CHARS_PER_EM)
    return textwrap.wrap(text, width=width) or [""]


def pdf(title: str, blocks: list[tuple[str, int, str]]) -> bytes:
    """A small, valid PDF of text ``blocks`` (font "F1" regular or "F2" bold, size, text),
    each wrapped to the page and followed by a gap, over as many A4 pages as it needs."""
    pages: list[list[bytes]] = [[]]
    y = PAGE_HEIGHT - MARGIN
    for font, size, text in blocks:
        for line in _wrapped(text, size):
            leading = round(size * 1.35)
            if y - leading < MARGIN:
                pages.append([])
                y = PAGE_HEIGHT - MARGIN
            y -= leading
            pages[-1].append(
                b"BT /%s %d Tf %d %d Td %s Tj ET"
                % (font.encode(), size, MARGIN, y, _pdf_string(line))
            )
        y -= round(size * 0.6)
    fonts = b"<< /F1 3 0 R /F2 4 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Producer (councils.coop) >>" % _pdf_string(title),
    ]
    kids = []
    for lines in pages:
        content = b"\n".join(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font %s >> >>" % (PAGE_WIDTH, PAGE_HEIGHT, len(objects), fonts)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def publication_date(spec: Mapping) -> str:
    """ "February 2022", "2025", or "" as the record gives it."""
    if not spec.get("year"):
        return ""
    return f"{MONTHS[spec['month']]} {spec['year']}" if spec.get("month") else str(spec["year"])


def summary_sheet_pdf(spec: Mapping, *, email: str = CONTACT_EMAIL) -> bytes:
    """The summary sheet of a publication record: what the network lists about the report."""
    partners = [*spec.get("councils", []), *filter(None, [spec.get("others", "")])]
    facts = [
        ("Published", publication_date(spec)),
        ("Written with", ", ".join(partners)),
        ("Themes", ", ".join(spec.get("themes", []))),
    ]
    blocks = [
        ("F2", 11, "Co-operative Councils' Innovation Network"),
        ("F1", 11, "Summary sheet"),
        ("F2", 20, spec["title"]),
        *(("F1", 11, f"{label}: {value}") for label, value in facts if value),
        ("F2", 13, "Summary"),
        ("F1", 11, spec["summary"]),
        ("F2", 13, "The full report"),
        (
            "F1",
            11,
            "This sheet gives the report's title, date, partners and summary as the network "
            "lists them. The full report is not available online. To request a copy, email "
            f"{email}.",
        ),
        ("F1", 11, f"councils.coop/publications/{slugify(spec['title'])}/"),
    ]
    return pdf(f"{SUMMARY_SHEET_PREFIX}{spec['title']}", blocks)


def summary_sheet(spec: Mapping, *, email: str = CONTACT_EMAIL):
    """The publication's summary sheet as a Wagtail document: stored once, and rewritten
    only when the record it is made from changes."""
    document_model = get_document_model()
    title = f"{SUMMARY_SHEET_PREFIX}{spec['title']}"
    data = summary_sheet_pdf(spec, email=email)
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()  # Wagtail's file_hash
    document = document_model.objects.filter(title=title).first()
    if document is not None and document.file_hash == digest:
        return document
    if document is None:
        document = document_model(title=title)
    else:
        document.file.delete(save=False)
    document.file = ContentFile(data, name=f"{slugify(spec['title'])[:80]}-summary-sheet.pdf")
    document.file_size = len(data)
    document._set_file_hash()
    document.save()
    return document


def remove_old_placeholder_documents() -> None:
    """Delete the first demo's "(placeholder PDF)" documents once no page uses them."""
    used = PublicationPage.objects.exclude(document=None).values("document_id")
    for document in (
        get_document_model()
        .objects.filter(title__endswith=OLD_PLACEHOLDER_SUFFIX)
        .exclude(pk__in=used)
    ):
        if not ReferenceIndex.get_references_to(document).exists():
            document.delete()


# Pages -------------------------------------------------------------------------------------

# The first demo's case studies that repeated a policy project or a 2014 opinion piece; on
# a database that has them, they are removed if no editor has saved them.
RETIRED_CASE_STUDIES = (
    "a-co-operative-approach-to-development-corporations",
    "leveraging-local-investment-for-community-wealth-building",
    "youth-retention-research-in-inverclyde",
    "london-ccin-connect",
    "a-local-property-partnership",
    "taking-a-co-op-approach-to-tackling-health-inequalities",
    "co-operative-approaches-to-post-16-transition",
    "treating-care-experience-as-a-protected-characteristic",
    "faith-young-people-and-resilience",
    "sustaining-local-leadership-and-place-based-innovation",
    "co-operative-localism-the-future-of-public-services",
    "local-devolution-as-an-urgent-strategic-priority",
)

LINK = re.compile(r"\[\[([^\]]+)\]\]")


def linked(items: list, pages: dict[str, int], named_in: Record) -> list:
    """A body's items with each "[[Title]]" made a link to the page with that title."""

    def link(match: re.Match) -> str:
        title = match.group(1)
        if title not in pages:
            raise named_in.error(f"body: [[{title}]] is not a publication or policy project")
        return f'<a linktype="page" id="{pages[title]}">{title}</a>'

    return [
        linked(item, pages, named_in) if isinstance(item, list) else LINK.sub(link, item)
        for item in items
    ]


def linkable_pages() -> dict[str, int]:
    """Publications and policy projects by title: what a case study's body may link to."""
    return dict(
        [
            *PublicationPage.objects.values_list("title", "pk"),
            *PolicyProjectPage.objects.values_list("title", "pk"),
        ]
    )


def case_study_fields(spec: Record, outcomes: dict[str, Record], pages: dict[str, int]) -> dict:
    for key in spec.get("outcomes", []):
        if key not in outcomes:
            raise spec.error(f"outcomes: {key!r} is not an [outcome] in case_studies.toml")
    if "lead" not in spec and not spec.get("others"):
        raise spec.error("give a lead council, or name the lead organisation in others")
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "lead_council": council(spec["lead"]) if "lead" in spec else None,
        "participating_councils": [council(name) for name in spec.get("participants", [])],
        "other_organisations": spec.get("others", ""),
        "year": spec["year"],
        "status": spec["status"],
        "featured": spec.get("featured", False),
        "themes": [theme(name, spec) for name in spec["themes"]],
        "principles": [principle(title, spec) for title in spec["principles"]],
        "body": body(linked(spec["body"], pages, spec)),
        "outcomes": stream(*(("figure", dict(outcomes[key])) for key in spec.get("outcomes", []))),
    }


def ensure_case_study(
    index: CaseStudyIndexPage, spec: Record, outcomes: dict[str, Record], pages: dict[str, int]
) -> CaseStudyPage:
    """The record's case study: created if missing, brought up to date if only the loader
    has saved it."""
    slug = slugify(spec["title"])
    fields = case_study_fields(spec, outcomes, pages)
    existing = index.get_children().filter(slug=slug).first()
    if existing is not None:
        page = existing.specific
        refresh(page, **fields)
        return page
    page = CaseStudyPage(slug=slug, **fields)
    page.tags.add(*spec.get("tags", []))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_case_studies(home: Page) -> CaseStudyIndexPage:
    library = read("case_studies.toml")
    index = ensure_child(home, CaseStudyIndexPage, "case-studies", **page_fields(library["index"]))
    pages = linkable_pages()
    for spec in library["case_study"]:
        ensure_case_study(index, spec, library.get("outcome", {}), pages)
    wanted = {slugify(spec["title"]) for spec in library["case_study"]}
    for old in index.get_children().filter(slug__in=RETIRED_CASE_STUDIES).exclude(slug__in=wanted):
        if loader_only(old):
            old.delete()
    return index


def project_fields(spec: Record, labs: Record) -> dict:
    if spec["round"] not in labs["round"]:
        raise spec.error(f"round: {spec['round']!r} is not a [round] in policy_projects.toml")
    kind = ProjectType(spec["type"])
    funding_round = labs["round"][spec["round"]]
    where = " and ".join(spec["leads"])
    return {
        "title": spec["title"],
        "project_type": kind,
        "round": spec["round"],
        "status": spec.get("status", ProjectStatus.ACTIVE),
        "lead_councils": [council(name) for name in spec["leads"]],
        "summary": f"A {kind.label} led by {where}: {funding_round['summary']}.",
        "body": body([*labs["type"][kind]["body"], *spec.get("body", []), *funding_round["body"]]),
    }


def load_policy_labs(home: Page) -> PolicyLabsIndexPage:
    labs = read("policy_projects.toml")
    index = ensure_child(home, PolicyLabsIndexPage, "policy-labs", **page_fields(labs["index"]))
    for spec in labs["project"]:
        slug = slugify(spec["title"])
        fields = project_fields(spec, labs)
        existing = index.get_children().filter(slug=slug).first()
        if existing is not None:
            refresh(existing.specific, **fields)
            continue
        project = PolicyProjectPage(slug=slug, **fields)
        index.add_child(instance=project)
        project.save_revision().publish()
    return index


def load_publications(home: Page) -> PublicationIndexPage:
    reports = read("publications.toml")
    index = ensure_child(
        home, PublicationIndexPage, "publications", **page_fields(reports["index"])
    )
    site = Site.objects.filter(is_default_site=True).first()
    email = SiteSettings.for_site(site).contact_email if site else CONTACT_EMAIL
    for spec in reports["publication"]:
        slug = slugify(spec["title"])
        fields = {
            "title": spec["title"],
            "year": spec.get("year"),
            "month": spec.get("month"),
            "summary": spec["summary"],
            "partner_councils": [council(name) for name in spec.get("councils", [])],
            "partner_organisations": spec.get("others", ""),
            "themes": [theme(name, spec) for name in spec.get("themes", [])],
            "document": summary_sheet(spec, email=email or CONTACT_EMAIL),
            "body": body(spec.get("body", [])),
        }
        existing = index.get_children().filter(slug=slug).first()
        if existing is not None:
            refresh(existing.specific, **fields)
            continue
        publication = PublicationPage(slug=slug, **fields)
        index.add_child(instance=publication)
        publication.save_revision().publish()
    remove_old_placeholder_documents()
    return index


# Volume ------------------------------------------------------------------------------------


GENERATED_IMAGE_COLOURS = ["#0b4f6c", "#b3470e", "#2e7d32", "#6a1b9a", "#37474f", "#c62828"]


def scaled(count: int, scale: float) -> int:
    """``count`` generated items at ``scale`` times the benchmark volume (at least one)."""
    return max(1, round(count * scale))


def generated_images() -> list:
    """A few plain-colour landscape images for generated case studies (created once)."""
    from PIL import Image as PILImage

    image_model = get_image_model()
    images = []
    for number, colour in enumerate(GENERATED_IMAGE_COLOURS, start=1):
        title = f"Generated image {number} (performance testing)"
        image = image_model.objects.filter(title=title).first()
        if image is None:
            buffer = BytesIO()
            PILImage.new("RGB", (1200, 630), colour).save(buffer, format="PNG")
            image = image_model(
                title=title,
                file=ImageFile(buffer, name=f"generated-{number}.png"),
                width=1200,
                height=630,
            )
            image.save()
        images.append(image)
    return images


def generate_case_studies(index: CaseStudyIndexPage, count: int = GENERATED_COUNT) -> int:
    """Add generated case studies (titled as such) up to ``count``; return how many were new.

    Published without revisions, and with the many-to-many rows written in bulk, so 600
    take seconds rather than minutes. Deterministic, so re-running changes nothing.
    """
    existing = set(
        index.get_children()
        .filter(slug__startswith="generated-case-study-")
        .values_list("slug", flat=True)
    )
    wanted = [n for n in range(1, count + 1) if f"generated-case-study-{n:03d}" not in existing]
    if not wanted:
        return 0
    rng = random.Random(20260611)  # noqa: S311 - demo data, not security
    councils = list(MemberCouncil.objects.order_by("slug"))
    themes = list(Theme.objects.order_by("slug"))
    principles = list(Principle.objects.order_by("slug"))
    images = generated_images()
    now = timezone.now()
    theme_rows, principle_rows, participant_rows = [], [], []
    with transaction.atomic():
        for n in wanted:
            rng.seed(n)
            lead = councils[n % len(councils)]
            chosen_themes = rng.sample(themes, k=min(1 + n % 3, len(themes)))
            page = CaseStudyPage(
                title=f"{GENERATED_PREFIX} {n:03d}: {chosen_themes[0].name} with {lead.name}",
                slug=f"generated-case-study-{n:03d}",
                summary="Generated for performance testing; not a real case study.",
                lead_council=lead,
                year=2012 + n % 15,
                status=CaseStudyStatus.COMPLETED if n % 4 else CaseStudyStatus.ONGOING,
                live=True,
                first_published_at=now - timezone.timedelta(days=n),
                last_published_at=now - timezone.timedelta(days=n),
                body=stream(*paragraphs("Generated text for performance testing.")),
                # A third have a listing image, as the network's real archive roughly does.
                listing_image=images[n % len(images)] if n % 3 == 0 else None,
            )
            index.add_child(instance=page)
            theme_rows += [
                CaseStudyPage.themes.through(casestudypage_id=page.pk, theme_id=t.pk)
                for t in chosen_themes
            ]
            principle_rows += [
                CaseStudyPage.principles.through(casestudypage_id=page.pk, principle_id=p.pk)
                for p in rng.sample(principles, k=min(1 + n % 3, len(principles)))
            ]
            partner = councils[(n * 7) % len(councils)]
            if n % 5 == 0 and partner != lead:
                participant_rows.append(
                    CaseStudyPage.participating_councils.through(
                        casestudypage_id=page.pk, membercouncil_id=partner.pk
                    )
                )
        CaseStudyPage.themes.through.objects.bulk_create(theme_rows)
        CaseStudyPage.principles.through.objects.bulk_create(principle_rows)
        CaseStudyPage.participating_councils.through.objects.bulk_create(participant_rows)
    return len(wanted)


def load(stdout, *, volume: float = 0) -> None:
    """``volume``: generated case studies at that multiple of the benchmark volume."""
    home = home_page()
    for record in read("themes.toml")["theme"]:
        theme(record["name"], record)
    for record in read("principles.toml")["principle"]:
        principle(record["title"], record)
    # Reports and projects first: case studies link to them.
    load_publications(home)
    load_policy_labs(home)
    case_study_index = load_case_studies(home)
    count = len(read("case_studies.toml")["case_study"])
    stdout.write(f"Case studies, policy labs and publications ready ({count} case studies).")
    if volume:
        added = generate_case_studies(case_study_index, scaled(GENERATED_COUNT, volume))
        stdout.write(f"Generated case studies: {added} added.")
