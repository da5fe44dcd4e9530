"""Demo content from the seed: themes, case studies, policy labs, publications.

Records come from ``data/themes.toml``, ``case_studies.toml``, ``policy_projects.toml`` and
``publications.toml``. Runs after ``demo.membership``. Councils and principles are found by
slug, the same ``slugify(name)`` convention the membership demo uses; if one is missing it is
created from ``members.toml`` and ``principles.toml`` (a council not named there with only
its name), so this module also works on its own.
"""

from __future__ import annotations

import random
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

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
from demo.shell import body, ensure_child, home_page, page_fields, paragraphs, stream
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


# Placeholder PDFs ------------------------------------------------------------------------

PLACEHOLDER_NOTE = "The file to download here is a placeholder for the published report."


def _pdf_text(text: str) -> str:
    ascii_text = text.replace("–", "-").replace("’", "'").encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def placeholder_pdf(title: str) -> bytes:
    """A small, valid one-page PDF that says it is a placeholder for the real report."""
    lines = [
        ("F2", 20, "PLACEHOLDER - demo content"),
        ("F1", 14, title[:80]),
        ("F1", 11, "This is not the real report. It stands in for the network's"),
        ("F1", 11, "published PDF so that downloads work on the demo site."),
    ]
    text = (
        "BT 72 760 Td 24 TL\n"
        + "".join(f"/{font} {size} Tf ({_pdf_text(line)}) Tj T*\n" for font, size, line in lines)
        + "ET"
    )
    content = text.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Title (%s) /Producer (councils.coop demo content) >>"
        % _pdf_text(f"Placeholder: {title}").encode("ascii"),
    ]
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
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return out.getvalue()


def placeholder_document(title: str):
    """The placeholder PDF for a report, stored once as a Wagtail document."""
    document_model = get_document_model()
    label = f"{title} (placeholder PDF)"
    existing = document_model.objects.filter(title=label).first()
    if existing is not None:
        return existing
    data = placeholder_pdf(title)
    document = document_model(
        title=label, file=ContentFile(data, name=f"{slugify(title)[:80]}-placeholder.pdf")
    )
    document.file_size = len(data)
    document._set_file_hash()
    document.save()
    return document


# Pages -------------------------------------------------------------------------------------


def ensure_case_study(
    index: CaseStudyIndexPage, spec: Record, outcomes: dict[str, Record]
) -> CaseStudyPage:
    slug = slugify(spec["title"])
    existing = index.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    for key in spec.get("outcomes", []):
        if key not in outcomes:
            raise spec.error(f"outcomes: {key!r} is not an [outcome] in case_studies.toml")
    page = CaseStudyPage(
        title=spec["title"],
        slug=slug,
        summary=spec["summary"],
        lead_council=council(spec["lead"]),
        participating_councils=[council(name) for name in spec.get("participants", [])],
        other_organisations=spec.get("others", ""),
        year=spec["year"],
        status=spec["status"],
        featured=spec.get("featured", False),
        themes=[theme(name, spec) for name in spec["themes"]],
        principles=[principle(title, spec) for title in spec["principles"]],
        body=body(spec["body"]),
        outcomes=stream(*(("figure", dict(outcomes[key])) for key in spec.get("outcomes", []))),
    )
    page.tags.add(*spec.get("tags", []))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_case_studies(home: Page) -> CaseStudyIndexPage:
    library = read("case_studies.toml")
    index = ensure_child(home, CaseStudyIndexPage, "case-studies", **page_fields(library["index"]))
    for spec in library["case_study"]:
        ensure_case_study(index, spec, library["outcome"])
    return index


def load_policy_labs(home: Page) -> PolicyLabsIndexPage:
    labs = read("policy_projects.toml")
    index = ensure_child(home, PolicyLabsIndexPage, "policy-labs", **page_fields(labs["index"]))
    for spec in labs["project"]:
        slug = slugify(spec["title"])
        if index.get_children().filter(slug=slug).exists():
            continue
        if spec["round"] not in labs["round"]:
            raise spec.error(f"round: {spec['round']!r} is not a [round] in policy_projects.toml")
        kind = ProjectType(spec["type"])
        where = " and ".join(spec["leads"])
        project = PolicyProjectPage(
            title=spec["title"],
            slug=slug,
            project_type=kind,
            round=spec["round"],
            status=ProjectStatus.ACTIVE,
            lead_councils=[council(name) for name in spec["leads"]],
            summary=f"A {kind.label} in the {spec['round']} round, led by {where}.",
            body=stream(*paragraphs(labs["round"][spec["round"]]["body"])),
        )
        index.add_child(instance=project)
        project.save_revision().publish()
    return index


def load_publications(home: Page) -> PublicationIndexPage:
    reports = read("publications.toml")
    index = ensure_child(
        home, PublicationIndexPage, "publications", **page_fields(reports["index"])
    )
    for spec in reports["publication"]:
        slug = slugify(spec["title"])
        if index.get_children().filter(slug=slug).exists():
            continue
        publication = PublicationPage(
            title=spec["title"],
            slug=slug,
            year=spec.get("year"),
            month=spec.get("month"),
            summary=spec["summary"],
            partner_councils=[council(name) for name in spec.get("councils", [])],
            partner_organisations=spec.get("others", ""),
            themes=[theme(name, spec) for name in spec.get("themes", [])],
            document=placeholder_document(spec["title"]),
            body=stream(*paragraphs(PLACEHOLDER_NOTE)),
        )
        index.add_child(instance=publication)
        publication.save_revision().publish()
    return index


# Volume ------------------------------------------------------------------------------------


GENERATED_IMAGE_COLOURS = ["#0b4f6c", "#b3470e", "#2e7d32", "#6a1b9a", "#37474f", "#c62828"]


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


def load(stdout, *, volume: bool = False) -> None:
    home = home_page()
    for record in read("themes.toml")["theme"]:
        theme(record["name"], record)
    for record in read("principles.toml")["principle"]:
        principle(record["title"], record)
    case_study_index = load_case_studies(home)
    load_policy_labs(home)
    load_publications(home)
    count = len(read("case_studies.toml")["case_study"])
    stdout.write(f"Case studies, policy labs and publications ready ({count} case studies).")
    if volume:
        added = generate_case_studies(case_study_index)
        stdout.write(f"Generated case studies: {added} added.")
