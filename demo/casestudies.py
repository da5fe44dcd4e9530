"""Demo content from the seed: themes, case studies, policy labs, publications.

Runs after ``demo.membership``. Councils and principles are found by slug, the same
``slugify(name)`` convention the membership demo uses; if one is missing it is created
with only its name and nation, so this module also works on its own.
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
from demo.shell import ensure_child, home_page, paragraphs, stream
from membership.models import MemberCouncil, Nation, Principle

SCOTLAND = Nation.SCOTLAND
GENERATED_PREFIX = "Generated case study"
GENERATED_COUNT = 600

THEMES = {
    "Community wealth building": "Anchor institutions, progressive procurement and local "
    "economic strategy used as practical assets rooted in place.",
    "Co-operative placemaking": "Communities and councils working together to shape places "
    "that reflect local needs, strengths and ambitions.",
    "Consensus building": "Skills, habits and structures that help people find workable "
    "common ground across parties and communities.",
    "Democratic engagement": "Residents taking an active part in decisions and priority "
    "setting, including participatory budgeting.",
    "Co-production": "Citizens as equal partners in designing and commissioning public services.",
    "Health and care": "Co-operative approaches to health, care and wellbeing.",
    "Housing": "Community-led housing, land trusts and co-operative approaches to homes.",
    "Net zero and energy": "Community energy and co-operative action on the climate emergency.",
    "Digital inclusion": "Closing the digital divide so everyone can take part.",
    "Young people": "Working with young people on their transitions, resilience and futures.",
    "Local economy and procurement": "Local jobs, local suppliers, co-operative enterprise and "
    "the circular economy.",
}

# The network's nine principles, as the seed states them.
PRINCIPLES = [
    (
        "Social Partnership",
        "We will strengthen the cooperative partnership between citizens, "
        "communities, enterprises and Councils, based on a shared sense of responsibility for "
        "wellbeing and mutual benefit.",
    ),
    (
        "Democratic Engagement",
        "We will support the active engagement of the full range of "
        "residents in decision making and priority setting.",
    ),
    (
        "Co-production",
        "We will develop systems that enable citizens to be equal partners in "
        "designing and commissioning public services and in determining the use of public "
        "resources.",
    ),
    (
        "Enterprise and social economy",
        "We will promote community-based approaches to economic "
        "development that focus on supporting the creation of jobs, social enterprises and other "
        "businesses and providing an environment for cooperative and mutual enterprises to "
        "thrive.",
    ),
    (
        "Maximising social value",
        "We will support the development of a framework and criteria "
        "for social value, giving substance to the concept and supporting Councils with the "
        "tools to ensure better local social and economic outcomes.",
    ),
    (
        "Community leadership and a new role for councillors",
        "We will explore ways for councils "
        "to act as a platform for helping the community to contribute to local outcomes, and to "
        "re-think the role of councillors as community connectors, brokers and leaders.",
    ),
    (
        "New models of meeting priority needs",
        "In exploring new ways of meeting the priority "
        "needs of our communities we will encourage models, such as cooperatives and mutuals, "
        "which give greater influence and voice to staff and users. in designing and "
        "commissioning public services and in determining the use of public resources.",
    ),
    (
        "Innovation",
        "We will embrace innovation in how we work with local communities to drive "
        "positive change.",
    ),
    (
        "Learning",
        "We will capture and 'expand' the experience and learning from individual "
        "projects and approaches in order to encourage broader application of cooperative "
        "principles within individual member Councils and across the Network",
    ),
]

# Councils the demo content names, with their nation (for a fresh database only).
COUNCIL_NATIONS = {"Inverclyde Council": SCOTLAND}

LAB_FUNDING = {
    "figure": "£10,000–£20,000",
    "label": "Policy Lab funding a project of this kind is eligible for",
    "source": "CCIN Policy Lab and Prototype programme",
}
PROTOTYPE_FUNDING = {
    "figure": "Up to £2,000",
    "label": "Policy Prototype funding a project of this kind is eligible for",
    "source": "CCIN Policy Lab and Prototype programme",
}

CASE_STUDIES = [
    {
        "title": "Community energy as part of the route to net zero",
        "lead": "Kirklees Council",
        "year": 2022,
        "status": CaseStudyStatus.COMPLETED,
        "themes": ["Net zero and energy", "Co-operative placemaking"],
        "principles": ["Social Partnership", "Enterprise and social economy"],
        "tags": ["community energy", "climate emergency"],
        "featured": True,
        "summary": "Kirklees Council worked with the network on co-operative approaches to "
        "reaching net zero, including investing in community-owned energy.",
        "body": [
            "Co-operative placemaking asks councils to invest in local community production, "
            "particularly community energy, to tackle the climate emergency.",
            "Kirklees Council partnered with the network on the February 2022 report "
            "<i>Co-operative Approaches to Reaching Net Zero</i>, which sets out how councils "
            "can work with residents and community energy groups rather than for them.",
        ],
    },
    {
        "title": "Understanding the digital divide",
        "lead": "Birmingham City Council",
        "others": "Co-operative Futures",
        "year": 2022,
        "status": CaseStudyStatus.COMPLETED,
        "themes": ["Digital inclusion"],
        "principles": ["Learning", "Social Partnership"],
        "tags": ["digital exclusion", "research"],
        "featured": True,
        "summary": "Birmingham City Council and Co-operative Futures looked at who is left out "
        "online and how co-operative approaches can close the gap.",
        "body": [
            "The work was published by the network in February 2022 as "
            "<i>Understanding the Digital Divide</i>, with Birmingham City Council and "
            "Co-operative Futures.",
            "It treats digital inclusion as a question of partnership with residents and "
            "community organisations, not only of devices and connections.",
        ],
    },
    {
        "title": "A co-operative approach to development corporations",
        "lead": "Camden Council",
        "year": 2026,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Co-operative placemaking", "Housing"],
        "principles": ["Innovation", "Democratic Engagement"],
        "tags": ["development corporation", "policy lab"],
        "featured": True,
        "outcomes": [LAB_FUNDING],
        "summary": "A 2026 Policy Lab led by Camden Council on how development corporations "
        "could work co-operatively with the communities they serve.",
        "body": [
            "Camden Council's application was one of the successful Policy Project "
            "applications in 2026.",
            "Policy Labs are more significant collaborative pieces of work that CCIN members "
            "work on together.",
        ],
    },
    {
        "title": "Leveraging local investment for community wealth building",
        "lead": "Greater Manchester Combined Authority",
        "year": 2026,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Community wealth building", "Local economy and procurement"],
        "principles": ["Enterprise and social economy", "Maximising social value"],
        "tags": ["local investment", "policy lab"],
        "outcomes": [LAB_FUNDING],
        "summary": "A 2026 Policy Lab led by Greater Manchester Combined Authority on using "
        "local investment to build community wealth.",
        "body": [
            "Community wealth building treats anchor institutions, procurement and local "
            "economic strategy as practical assets rooted in place.",
            "Among the actions the network promotes: support the creation of a regional "
            "mutual or community bank by investing, and work with local anchor institutions "
            "to buy and recruit local.",
        ],
    },
    {
        "title": "Youth retention research in Inverclyde",
        "lead": "Inverclyde Council",
        "year": 2026,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Young people"],
        "principles": ["Learning", "Innovation"],
        "tags": ["policy prototype", "research"],
        "outcomes": [PROTOTYPE_FUNDING],
        "summary": "A 2026 Policy Prototype in Inverclyde researching why young people leave "
        "the area and what would help them stay.",
        "body": [
            "Policy Prototypes are smaller projects delivered in a locality on behalf of the "
            "network. Inverclyde Council's research is one of three funded in 2026.",
        ],
    },
    {
        "title": "London CCIN Connect",
        "lead": "Royal Borough of Greenwich",
        "year": 2026,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Consensus building"],
        "principles": ["Learning", "Social Partnership"],
        "tags": ["policy prototype", "peer support"],
        "outcomes": [PROTOTYPE_FUNDING],
        "summary": "A 2026 Policy Prototype led by the Royal Borough of Greenwich to connect "
        "co-operative councils across London.",
        "body": [
            "Members of the network work together to help each other put co-operative values "
            "into practice, sharing experiences and learning. London CCIN Connect is a "
            "Policy Prototype built on that principle.",
        ],
    },
    {
        "title": "A local property partnership",
        "lead": "Trafford Council",
        "year": 2026,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Community wealth building", "Local economy and procurement"],
        "principles": ["Enterprise and social economy"],
        "tags": ["policy prototype", "council property"],
        "outcomes": [PROTOTYPE_FUNDING],
        "summary": "A 2026 Policy Prototype in Trafford on a local property partnership.",
        "body": [
            "The network encourages councils to regulate rent and rates for local businesses "
            "in council-owned property. Trafford Council's prototype explores a partnership "
            "approach to local property.",
        ],
    },
    {
        "title": "Taking a co-op approach to tackling health inequalities",
        "lead": "Westminster City Council",
        "year": 2024,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Health and care", "Co-production"],
        "principles": ["Co-production", "New models of meeting priority needs"],
        "tags": ["health inequalities", "policy lab"],
        "outcomes": [LAB_FUNDING],
        "summary": "A 2024/5 Policy Lab led by Westminster City Council on co-operative ways "
        "to tackle health inequalities.",
        "body": ["One of the active Policy Lab projects of 2024/5."],
    },
    {
        "title": "Co-operative approaches to post-16 transition",
        "lead": "Manchester City Council",
        "year": 2024,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Young people"],
        "principles": ["Co-production", "Social Partnership"],
        "tags": ["post-16", "policy lab"],
        "outcomes": [LAB_FUNDING],
        "summary": "A 2024/5 Policy Lab led by Manchester City Council on how young people move "
        "on from school at 16.",
        "body": ["One of the active Policy Lab projects of 2024/5."],
    },
    {
        "title": "Treating care experience as a protected characteristic",
        "lead": "Swindon Borough Council",
        "year": 2024,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Young people", "Health and care"],
        "principles": ["New models of meeting priority needs", "Democratic Engagement"],
        "tags": ["care experience", "policy lab"],
        "outcomes": [LAB_FUNDING],
        "summary": "A 2024/5 Policy Lab led by Swindon Borough Council on treating care "
        "experience as a protected characteristic.",
        "body": [
            "Treating care experience as a protected characteristic is one of the things the "
            "network asks councils to do. Swindon Borough Council's Policy Lab explores how.",
        ],
    },
    {
        "title": "Faith, young people and resilience",
        "lead": "Greater Manchester Combined Authority",
        "year": 2024,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Young people", "Consensus building"],
        "principles": ["Social Partnership", "Community leadership and a new role for councillors"],
        "tags": ["faith groups", "policy lab"],
        "outcomes": [LAB_FUNDING],
        "summary": "A 2024/5 Policy Lab led by Greater Manchester Combined Authority with faith "
        "communities and young people.",
        "body": ["One of the active Policy Lab projects of 2024/5."],
    },
    {
        "title": "Sustaining local leadership and place-based innovation",
        "lead": "Stevenage Borough Council",
        "participants": ["Brent Council"],
        "year": 2024,
        "status": CaseStudyStatus.ONGOING,
        "themes": ["Democratic engagement", "Co-operative placemaking"],
        "principles": ["Community leadership and a new role for councillors", "Innovation"],
        "tags": ["local leadership", "policy lab"],
        "outcomes": [LAB_FUNDING],
        "summary": "A 2024/5 Policy Lab led jointly by Stevenage Borough Council and Brent "
        "Council on sustaining local leadership and place-based innovation.",
        "body": ["One of the active Policy Lab projects of 2024/5, with two lead councils."],
    },
    {
        "title": "Beyond asset transfer",
        "lead": "Newcastle City Council",
        "year": 2021,
        "status": CaseStudyStatus.COMPLETED,
        "themes": ["Co-operative placemaking", "Housing"],
        "principles": ["Social Partnership", "New models of meeting priority needs"],
        "tags": ["community asset transfer", "community land trust"],
        "summary": "Newcastle City Council and the network looked beyond asset transfer to "
        "longer partnerships with community organisations over land and buildings.",
        "body": [
            "The network's March 2021 report <i>Beyond Asset Transfer</i> was written with "
            "Newcastle City Council.",
            "Co-operative placemaking asks councils to have an asset transfer policy to manage "
            "land and assets which support community land trusts.",
        ],
    },
    {
        "title": "Co-operative localism: the future of public services",
        "lead": "Oldham Council",
        "year": 2014,
        "status": CaseStudyStatus.COMPLETED,
        "themes": ["Co-production", "Democratic engagement"],
        "principles": ["Co-production", "Community leadership and a new role for councillors"],
        "tags": ["co-operative localism"],
        "summary": "Oldham Council's case for co-operative localism, set out by its then "
        "leader, Cllr Jim McMahon, when he chaired the network in 2014.",
        "body": [
            "In June 2014 Cllr Jim McMahon, Leader of Oldham Council and Chair of the CCIN, "
            "argued that co-operative localism is the future of public services.",
        ],
    },
    {
        "title": "Local devolution as an urgent strategic priority",
        "lead": "Stevenage Borough Council",
        "year": 2014,
        "status": CaseStudyStatus.COMPLETED,
        "themes": ["Democratic engagement"],
        "principles": [
            "Democratic Engagement",
            "Community leadership and a new role for councillors",
        ],
        "tags": ["devolution"],
        "summary": "Stevenage Borough Council and the network made the case for local "
        "devolution in 2014.",
        "body": [
            "In July 2014 Cllr Sharon Taylor of Stevenage Borough Council wrote that local "
            "devolution is an urgent strategic priority.",
        ],
    },
]

POLICY_PROJECTS = [
    (
        "A Co-operative Approach to Development Corporations",
        ProjectType.LAB,
        "2026",
        ["Camden Council"],
    ),
    (
        "Leveraging Local Investment for Community Wealth Building",
        ProjectType.LAB,
        "2026",
        ["Greater Manchester Combined Authority"],
    ),
    ("Youth Retention Research", ProjectType.PROTOTYPE, "2026", ["Inverclyde Council"]),
    ("London CCIN Connect", ProjectType.PROTOTYPE, "2026", ["Royal Borough of Greenwich"]),
    ("Local Property Partnership", ProjectType.PROTOTYPE, "2026", ["Trafford Council"]),
    (
        "Taking a Co-op Approach to Tackling Health Inequalities",
        ProjectType.LAB,
        "2024/5",
        ["Westminster City Council"],
    ),
    (
        "Cooperative Approaches to Post-16 Transition",
        ProjectType.LAB,
        "2024/5",
        ["Manchester City Council"],
    ),
    (
        "Treating Care Experience as a Protected Characteristic",
        ProjectType.LAB,
        "2024/5",
        ["Swindon Borough Council"],
    ),
    (
        "Faith, Young People & Resilience",
        ProjectType.LAB,
        "2024/5",
        ["Greater Manchester Combined Authority"],
    ),
    (
        "Sustaining Local Leadership and Place-Based Innovation",
        ProjectType.LAB,
        "2024/5",
        ["Stevenage Borough Council", "Brent Council"],
    ),
]

PUBLICATIONS = [
    {
        "title": "Understanding the Digital Divide",
        "year": 2022,
        "month": 2,
        "councils": ["Birmingham City Council"],
        "others": "Co-operative Futures",
        "themes": ["Digital inclusion"],
        "summary": "Who is left out online, and how councils and co-operatives can close the gap.",
    },
    {
        "title": "Community Economic Development Plans as a Tool for Fostering Co-operative "
        "Working Between Councils and the Community",
        "year": 2022,
        "month": 3,
        "themes": ["Community wealth building", "Local economy and procurement"],
        "summary": "How community economic development plans can help councils and "
        "communities work co-operatively.",
    },
    {
        "title": "The Co-operative Difference in Care",
        "year": 2022,
        "month": 2,
        "others": "Peopletoo",
        "themes": ["Health and care"],
        "summary": "What co-operative models bring to care.",
    },
    {
        "title": "Co-operative Approaches to Reaching Net Zero",
        "year": 2022,
        "month": 2,
        "councils": ["Kirklees Council"],
        "themes": ["Net zero and energy"],
        "summary": "How councils can reach net zero with their communities, not just for them.",
    },
    {
        "title": "Co-operatives Unleashed from the grassroots",
        "year": 2020,
        "month": 7,
        "themes": ["Local economy and procurement", "Co-operative placemaking"],
        "summary": "Growing co-operatives from the grassroots, with councils' support.",
    },
    {
        "title": "CCIN Action Learning: Cooperation through Covid-19",
        "themes": ["Co-production"],
        "summary": "What member councils learned about co-operation during the Covid-19 pandemic.",
    },
    {
        "title": "Community-Led Housing: a Key Role for Local Authorities",
        "themes": ["Housing"],
        "summary": "Why and how local authorities can support community-led housing.",
    },
    {
        "title": "Beyond Asset Transfer",
        "year": 2021,
        "month": 3,
        "councils": ["Newcastle City Council"],
        "themes": ["Co-operative placemaking"],
        "summary": "Longer partnerships between councils and community organisations over "
        "land and buildings.",
    },
    {
        "title": "Members' Pack 2025",
        "year": 2025,
        "summary": "What membership of the network offers and what members can do with it.",
    },
    {
        "title": "Review of the Year August 2024 – July 2025",
        "year": 2025,
        "summary": "The network's work from August 2024 to July 2025.",
    },
]


# Records this module links to ------------------------------------------------------------


def council(name: str) -> MemberCouncil:
    """The member council with this name's slug (created with only name and nation if new).

    The membership demo has already loaded the 44 current members, so a council created
    here (Newcastle City Council, partner on "Beyond Asset Transfer") is not a current
    member: it is kept inactive, linked from its work but not counted or listed.
    """
    found, _ = MemberCouncil.objects.get_or_create(
        slug=slugify(name),
        defaults={
            "name": name,
            "nation": COUNCIL_NATIONS.get(name, Nation.ENGLAND),
            "active": False,
        },
    )
    return found


def principle(title: str) -> Principle:
    text = dict(PRINCIPLES)[title]
    found, _ = Principle.objects.get_or_create(
        slug=slugify(title),
        defaults={
            "title": title,
            "text": text,
            "sort_order": [t for t, _ in PRINCIPLES].index(title),
        },
    )
    return found


def theme(name: str) -> Theme:
    found, _ = Theme.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "description": THEMES[name]}
    )
    return found


# Placeholder PDFs ------------------------------------------------------------------------


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
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
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


def ensure_case_study(index: CaseStudyIndexPage, spec: dict) -> CaseStudyPage:
    slug = slugify(spec["title"])
    existing = index.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
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
        themes=[theme(name) for name in spec["themes"]],
        principles=[principle(title) for title in spec["principles"]],
        body=stream(*paragraphs(*spec["body"])),
        outcomes=stream(*(("figure", figure) for figure in spec.get("outcomes", []))),
    )
    page.tags.add(*spec.get("tags", []))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_case_studies(home: Page) -> CaseStudyIndexPage:
    index = ensure_child(
        home,
        CaseStudyIndexPage,
        "case-studies",
        title="Case studies",
        show_in_menus=True,
        summary="How co-operative councils work with local people to build strong and "
        "resilient neighbourhoods. Search and filter by theme, council, nation and year.",
        intro="<p>Case studies illustrate some of the ways co-operative councils are working "
        "with local people to build strong and resilient neighbourhoods. Member councils "
        "submit them regularly.</p>",
    )
    for spec in CASE_STUDIES:
        ensure_case_study(index, spec)
    return index


def load_policy_labs(home: Page) -> PolicyLabsIndexPage:
    index = ensure_child(
        home,
        PolicyLabsIndexPage,
        "policy-labs",
        title="Policy Labs and Prototypes",
        show_in_menus=True,
        summary="Member-led projects to find co-operative policy solutions to the challenges "
        "facing local government.",
        intro="<p>Member led projects to find co-operative policy solutions to the challenges "
        "facing local government. Open to all ideas: the more innovative the better!</p>",
        body=stream(
            ("heading", {"text": "Two kinds of project", "level": "h2"}),
            (
                "paragraph",
                "<ul><li><b>Policy Labs</b>: more significant collaborative pieces of work "
                "that CCIN members work on together, eligible for between £10,000 and "
                "£20,000 of funding.</li><li><b>Policy Prototypes</b>: smaller projects "
                "delivered in a locality on behalf of the network, eligible for up to "
                "£2,000 of funding.</li></ul>",
            ),
        ),
    )
    for title, kind, round_label, leads in POLICY_PROJECTS:
        slug = slugify(title)
        if index.get_children().filter(slug=slug).exists():
            continue
        where = " and ".join(leads)
        project = PolicyProjectPage(
            title=title,
            slug=slug,
            project_type=kind,
            round=round_label,
            status=ProjectStatus.ACTIVE,
            lead_councils=[council(name) for name in leads],
            summary=f"A {kind.label} in the {round_label} round, led by {where}.",
            body=stream(
                *paragraphs(
                    "Successful Policy Project application, 2026."
                    if round_label == "2026"
                    else "An active Policy Lab project from the 2024/5 round."
                )
            ),
        )
        index.add_child(instance=project)
        project.save_revision().publish()
    return index


def load_publications(home: Page) -> PublicationIndexPage:
    index = ensure_child(
        home,
        PublicationIndexPage,
        "publications",
        title="Publications",
        show_in_menus=True,
        summary="Reports from the network and its member councils, free to download.",
        intro="<p>Reports from the network and its member councils. Filter by year or theme.</p>",
    )
    for spec in PUBLICATIONS:
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
            themes=[theme(name) for name in spec.get("themes", [])],
            document=placeholder_document(spec["title"]),
            body=stream(
                *paragraphs("The file to download here is a placeholder for the published report.")
            ),
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
    for name in THEMES:
        theme(name)
    for title, _text in PRINCIPLES:
        principle(title)
    case_study_index = load_case_studies(home)
    load_policy_labs(home)
    load_publications(home)
    stdout.write(
        f"Case studies, policy labs and publications ready ({len(CASE_STUDIES)} case studies)."
    )
    if volume:
        added = generate_case_studies(case_study_index)
        stdout.write(f"Generated case studies: {added} added.")
