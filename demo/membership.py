"""Demo content from the seed: members, principles, DPS suppliers, elections and the pages.

Idempotent: records are matched by slug and left alone if they exist; pages are built with
``demo.shell.ensure_child``; election tables go through the CSV importer, which changes
nothing on a second run.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.text import slugify

from demo.shell import bullet_list, ensure_child, home_page, stream
from demo.volume import generate_members
from membership.importers import import_csv
from membership.models import (
    DPSPage,
    DPSSupplier,
    ElectionOutcomesPage,
    MemberCouncil,
    MemberDirectoryPage,
    MemberKind,
    MembershipPage,
    Nation,
    Principle,
    PrinciplesPage,
    Tier,
)

DATA = Path(__file__).resolve().parent / "data"

# The 44 full members, named as the seed's "Impact to CCIN" table names them.
MEMBERS = [
    "Birmingham City Council",
    "Brent Council",
    "Bury Council",
    "Camden Council",
    "Canterbury City Council",
    "Cardiff Council",
    "Cheshire West & Cheshire",
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
    "Middlesborough Council",
    "Milton Keynes City Council",
    "North Hertfordshire District Council",
    "Oldham Council",
    "Oxford City Council",
    "Oxfordshire County Council",
    "Peterborough City Council",
    "Plymouth City Council",
    "Preston City Council",
    "Rochdale Borough Council",
    "South Ribble Borough Council",
    "Stevenage Borough Council",
    "Sunderland City Council",
    "Swindon Borough Council",
    "Tameside Borough Council",
    "Tamworth Borough Council",
    "Telford & Wrekin Council",
    "Trafford Council",
    "Warrington Borough Council",
    "Westminster City Council",
    "Wigan Council",
]
NATIONS = {
    "Cardiff Council": Nation.WALES,
    "Glasgow City Council": Nation.SCOTLAND,
    "Inverclyde Council": Nation.SCOTLAND,
}
COMBINED_AUTHORITIES = {"Greater Manchester Combined Authority"}

PRINCIPLES = [
    (
        "Social Partnership",
        "We will strengthen the cooperative partnership between citizens, communities, "
        "enterprises and Councils, based on a shared sense of responsibility for wellbeing "
        "and mutual benefit.",
    ),
    (
        "Democratic Engagement",
        "We will support the active engagement of the full range of residents in decision "
        "making and priority setting.",
    ),
    (
        "Co-production",
        "We will develop systems that enable citizens to be equal partners in designing and "
        "commissioning public services and in determining the use of public resources.",
    ),
    (
        "Enterprise and social economy",
        "We will promote community-based approaches to economic development that focus on "
        "supporting the creation of jobs, social enterprises and other businesses and "
        "providing an environment for cooperative and mutual enterprises to thrive.",
    ),
    (
        "Maximising social value",
        "We will support the development of a framework and criteria for social value, "
        "giving substance to the concept and supporting Councils with the tools to ensure "
        "better local social and economic outcomes.",
    ),
    (
        "Community leadership and a new role for councillors",
        "We will explore ways for councils to act as a platform for helping the community to "
        "contribute to local outcomes, and to re-think the role of councillors as community "
        "connectors, brokers and leaders.",
    ),
    (
        "New models of meeting priority needs",
        "In exploring new ways of meeting the priority needs of our communities we will "
        "encourage models, such as cooperatives and mutuals, which give greater influence and "
        "voice to staff and users. in designing and commissioning public services and in "
        "determining the use of public resources.",
    ),
    (
        "Innovation",
        "We will embrace innovation in how we work with local communities to drive positive "
        "change.",
    ),
    (
        "Learning",
        "We will capture and 'expand' the experience and learning from individual projects "
        "and approaches in order to encourage broader application of cooperative principles "
        "within individual member Councils and across the Network",
    ),
]

WALKING_THE_TALK = [
    (
        "Cooperation among members",
        "Our members work together to help each other implement our values, sharing "
        "experiences and learning.",
    ),
    (
        "Openness of membership",
        "Full, Associate and Affiliate Membership is open to any qualifying Council, "
        "organisation or individual who shares our values and is committed to putting them "
        "into action.",
    ),
    (
        "Co-production of the Network's work",
        "Members help shape the Network's work programme and the content of events and "
        "written products.",
    ),
    (
        "Action-focused",
        "The network is a vehicle for helping councils translate cooperative values and "
        "principles into policy and practice.",
    ),
    (
        "Membership-based",
        "The network is majority funded by modest membership subscriptions from its member "
        "Councils, Associates and Affiliates.",
    ),
    (
        "Non-party-political",
        "Members share the belief that working co-operatively within and across communities "
        "holds the key to tackling today's challenges.",
    ),
]

SUPPLIERS = [
    "Anthony Collins",
    "branding.coop",
    "Collaborate for social change",
    "Cooperative Futures",
    "Human Engine",
    "Ideas Alliance",
    "Peopletoo",
    "RedQuadrant",
    "STIR to Action",
    "TruemanChange",
]


def titled(items: list[tuple[str, str]]) -> str:
    return stream(*[("item", {"title": title, "text": text}) for title, text in items])


def load_members(stdout) -> None:
    created = 0
    for name in MEMBERS:
        _, was_created = MemberCouncil.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "tier": Tier.FULL,
                "nation": NATIONS.get(name, Nation.ENGLAND),
                "kind": (
                    MemberKind.COMBINED_AUTHORITY
                    if name in COMBINED_AUTHORITIES
                    else MemberKind.COUNCIL
                ),
            },
        )
        created += was_created
    stdout.write(f"Member councils: {created} added, {len(MEMBERS) - created} already there.")


def load_principles() -> None:
    for order, (title, text) in enumerate(PRINCIPLES):
        Principle.objects.get_or_create(
            slug=slugify(title), defaults={"title": title, "text": text, "sort_order": order}
        )


def load_suppliers() -> None:
    for name in SUPPLIERS:
        DPSSupplier.objects.get_or_create(slug=slugify(name), defaults={"name": name})


def load_elections(stdout) -> None:
    for filename, kind in [
        ("election_results_2026.csv", "results"),
        ("control_changes_2026.csv", "control"),
        ("councillor_changes_2026.csv", "councillors"),
    ]:
        with (DATA / filename).open(newline="", encoding="utf-8") as csv_file:
            report = import_csv(csv_file, kind, year=2026)
        stdout.write(f"{filename}: {report}")


def load_pages() -> None:
    home = home_page()
    ensure_child(
        home,
        PrinciplesPage,
        "principles",
        title="Our principles",
        summary="The nine principles that unite the network's member councils, and how the "
        "network lives them as a membership organisation.",
        intro="<p>Co-operative councils share nine principles. Each one links to case "
        "studies from member councils that put it into practice.</p>",
        walking_the_talk_intro="As a membership organisation we will make this statement of "
        "our principles operational by:",
        walking_the_talk=titled(WALKING_THE_TALK),
    )
    membership = ensure_child(
        home,
        MembershipPage,
        "membership",
        title="Membership",
        show_in_menus=True,
        summary="Join the Co-operative Councils' Innovation Network: a cross-party, "
        "action-focused network open to all UK councils.",
        intro="<p>Councils that are committed to finding better ways of working with local "
        "people. The network is action-focused, membership-based, open to all UK councils "
        "and part of the local government family: a Special Interest Group of the Local "
        "Government Association.</p>",
        tiers=stream(
            (
                "tier",
                {
                    "tier": "full",
                    "who_for": "UK councils and combined authorities that "
                    "share our values and are committed to putting them into action.",
                },
            ),
            (
                "tier",
                {
                    "tier": "associate",
                    "who_for": "Councils and organisations that share "
                    "our values and want to work with the network's members.",
                },
            ),
            (
                "tier",
                {
                    "tier": "affiliate",
                    "who_for": "Organisations and individuals who "
                    "share our values. Affiliates are not listed publicly.",
                },
            ),
            (
                "tier",
                {
                    "tier": "supporter",
                    "who_for": "People and organisations who support the network's work.",
                },
            ),
        ),
        benefits="<p>A modest subscription rooted in peer support, policy project delivery "
        "and shared learning. Members can bid for policy lab funding of £10,000 to £20,000 "
        "for larger collaborative pieces of work, and up to £2,000 for smaller policy "
        "prototypes delivered in a locality on behalf of the network.</p>",
        activities=stream(
            *[
                ("activity", {"verb": verb, "text": text, "page": None})
                for verb, text in [
                    ("Participate in", "Actively participate in the CCIN Officer Network"),
                    ("Join", "Join the CCIN governance"),
                    ("Engage in", "Engage in Policy Labs and / or Prototypes"),
                    ("Engage in", "Engage in WhatsApp Groups"),
                    ("Submit", "Submit regular Case Studies for inclusion on CCIN website"),
                    ("Engage", "Engage with CCIN social media channels"),
                    (
                        "Use",
                        "Use the CCIN Dynamic Purchasing System to bring in capacity & expertise",
                    ),
                ]
            ]
        ),
        priorities_heading="CCIN priorities this year",
        priorities=titled(
            [
                ("Sharing our vision", ""),
                ("New ways of working: empowered to share", ""),
                ("Making the structure fit for purpose", ""),
            ]
        ),
        join_intro="<p>Tell us a little about yourself and the network's team will be in "
        "touch about membership.</p>",
        thank_you_text="<p>Thank you. We have your enquiry and will reply by email.</p>",
    )
    ensure_child(
        membership,
        MemberDirectoryPage,
        "members",
        title="Our members",
        summary="The councils and organisations that are full and associate members of the "
        "network.",
        intro="<p>Full and associate members of the network. Affiliates, who can be "
        "individuals, and supporters are counted but not listed.</p>",
    )
    ensure_child(
        membership,
        ElectionOutcomesPage,
        "elections-2026",
        title="May 2026 election outcomes",
        summary="How the May 2026 local elections changed the member councils of the network.",
        election_year=2026,
        intro="<p>The May 2026 local election results showed a fragmentation in Britain's "
        "politics like never before, with many local authorities entering 'No Overall "
        "Control' as multiple political parties and independents secured wins.</p>",
        body=stream(
            ("heading", {"text": "So what has changed after May 26?", "level": "h2"}),
            bullet_list(
                [
                    "<b>Reform's rise</b>: Reform gains changed the tone in parts of local "
                    "government and made some chambers more volatile and contested.",
                    "<b>Labour and Conservatives lose 50 councils</b>, with shifts to no "
                    "overall control, Reform, Greens and Liberal Democrats.",
                    "<b>More fractured councils</b>: no overall control and coalition-style "
                    "politics are no longer fringe.",
                    "<b>Cross-party tectonics</b>, creating a bigger practical opening for "
                    "co-operative methods built on consensus, trust and shared outcomes.",
                ]
            ),
        ),
    )
    ensure_child(
        home,
        DPSPage,
        "dynamic-purchasing-system",
        title="Dynamic Purchasing System",
        summary="Councils can bring in pre-checked suppliers for capacity, expertise and "
        "independent challenge through the network's Dynamic Purchasing System, 2020–2029.",
        intro="<p>The network's Dynamic Purchasing System (DPS) lets councils bring in "
        "pre-checked suppliers for extra capacity, specific expertise and independent "
        "challenge.</p>",
        why_heading="Why councils use the DPS",
        why=titled(
            [
                (
                    "Move quickly",
                    "Councils often need to move quickly and flexibly to be on "
                    "the front foot when it comes to 'doing things differently'.",
                ),
                (
                    "Bring in capacity and expertise",
                    "Sometimes it is necessary to bring in "
                    "extra capacity and specific expertise to be able to do this.",
                ),
                (
                    "Independent challenge",
                    "There can also be a need to seek independent "
                    "challenge to test assumptions and policy design.",
                ),
            ]
        ),
        how_heading="How it works",
        how_it_works=titled(
            [
                (
                    "Suppliers are pre-checked",
                    "As pre-checking has already been done, there "
                    "are no financial limits on the mini-competition process.",
                ),
                (
                    "A mini-competition is required",
                    "Mini-competition must be undertaken "
                    "when using the DPS, ensuring the CCIN is promoting industry best practice.",
                ),
                ("Open to new suppliers", "New suppliers can join at any point."),
                ("A five-year contract", "The DPS is a 5-year contract, 2020–2029."),
            ]
        ),
    )


def load(stdout, *, volume: bool = False) -> None:
    load_members(stdout)
    load_principles()
    load_suppliers()
    load_elections(stdout)
    load_pages()
    if volume:
        stdout.write(f"Generated member records: {generate_members()} added.")
    stdout.write("Membership: principles, membership, members, elections and DPS pages ready.")
