"""Demo Members' Update: the newsletter's archive at /members-update/ and three issues.

Each issue reports what the seed presentation (``shared/seed/ccin-co-op-congress-2026.txt``)
says happened in its month, with the seed's names, figures and dates, and links to the pages
the rest of the demo builds. The records are kept here rather than in ``data/``: every data
file there has a shape in ``demo.shapes`` and a check in the demo-data test, which belong to
the other demo parts. Loading is idempotent, as for the other parts: the archive and each
issue are matched by slug; an issue only the loader has saved follows its record.
"""

from __future__ import annotations

from datetime import date

from demo.refresh import refresh
from demo.shell import body, ensure_child, home_page
from news.models import MembersUpdateIndexPage, MembersUpdatePage

ARCHIVE = {
    "slug": "members-update",
    "title": "Members' Update",
    "show_in_menus": False,
    "summary": "Every issue of Members' Update, the newsletter the Co-operative Councils' "
    "Innovation Network sends to its member councils.",
    "intro": "<p>Members' Update is the network's newsletter to its member councils, "
    "associates, affiliates and supporters: what the network is doing, what its members "
    "are doing, and how to take part. Every issue is kept here, newest first.</p>",
    "feed_description": "Every issue of Members' Update, the newsletter of the Co-operative "
    "Councils' Innovation Network to its members.",
}

ISSUES = [
    {
        "slug": "february-2026",
        "title": "Members' Update — February 2026",
        "issue_date": date(2026, 2, 27),
        "summary": "The network's final response to the call for evidence on business support "
        "for co-operatives and non-financial mutuals, the Members' Pack 2025 and the Review of "
        "the Year, the policy labs under way, and the Dynamic Purchasing System.",
        "body": [
            "## Business support for co-operatives and mutuals",
            "This month the network published its final response to the call for evidence on "
            "business support for co-operatives and non-financial mutuals. Enterprise and the "
            "social economy is one of our nine principles: members promote community-based "
            "approaches to economic development and an environment in which co-operative and "
            'mutual enterprises can thrive. <a href="/news/call-for-evidence-business-support'
            '-co-operatives-mutuals-final-response/">Read about the response</a>.',
            "## Members' Pack 2025 and the Review of the Year",
            "The Members' Pack 2025 sets out what membership offers, and the Review of the Year "
            'covers August 2024 to July 2025. Both are in <a href="/publications/">our '
            "publications</a>.",
            "## Policy labs under way",
            "Five policy lab projects from the 2024/5 round are active:",
            [
                "Taking a co-op approach to tackling health inequalities (lead: Westminster)",
                "Co-operative approaches to post-16 transition (lead: Manchester City Council)",
                "Treating care experience as a protected characteristic (lead: Swindon)",
                "Faith, young people and resilience (lead: Greater Manchester Combined Authority)",
                "Sustaining local leadership and place-based innovation (leads: Stevenage and "
                "Brent)",
            ],
            "Policy labs are member-led: more significant collaborative pieces of work, "
            "eligible for between £10,000 and £20,000 of funding. Policy prototypes are smaller "
            "projects delivered in a locality on behalf of the network, eligible for up to "
            '£2,000. <a href="/policy-labs/">Policy labs and prototypes</a>.',
            "## Bringing in capacity and expertise",
            "The network's Dynamic Purchasing System runs on a five-year contract from 2020 to "
            "2029. Checks are done in advance, so there are no financial limits on the "
            "mini-competition process, and new suppliers can join at any point. Its suppliers "
            "are Anthony Collins, branding.coop, Collaborate for social change, Cooperative "
            "Futures, Human Engine, Ideas Alliance, Peopletoo, RedQuadrant, STIR to Action and "
            'TruemanChange. <a href="/dynamic-purchasing-system/">How the Dynamic Purchasing '
            "System works</a>.",
        ],
    },
    {
        "slug": "may-2026",
        "title": "Members' Update — May 2026",
        "issue_date": date(2026, 5, 22),
        "political": True,
        "summary": "The May 2026 local elections and what they mean for member councils, the "
        "network's statement on the results, and a change of Chair.",
        "body": [
            "## The 2026 local elections",
            "The local election results showed a fragmentation in Britain's politics like never "
            "before, with many local authorities entering no overall control as multiple "
            "political parties and independents secured wins. On 15 May 2026 the network said "
            "that this makes clear the importance that cross-party, co-operative approaches to "
            'governance must have in shaping the future of local government. <a href="/news/'
            'statement-2026-local-elections/">Read the statement</a>.',
            "Across England, Labour and the Conservatives lost 50 councils, with shifts to no "
            "overall control, Reform, the Greens and the Liberal Democrats. No overall control "
            "and coalition-style politics are no longer fringe.",
            "## What changed for member councils",
            [
                "Labour held 12 member councils: Bury, Camden, Chorley, the Royal Borough of "
                "Greenwich, Hounslow, Knowsley, Manchester, Plymouth, Rochdale, Stevenage, "
                "Trafford and Wigan.",
                "Hackney and Lewisham were Green gains, Sunderland a Reform gain and "
                "Westminster a Conservative gain.",
                "Twelve member councils now have no party with a majority: Birmingham, Brent, "
                "Hull, Kirklees, Milton Keynes, Oldham, Oxford, Peterborough, Preston, Swindon, "
                "Tameside and Tamworth.",
                "Sixteen member councils had no election this May.",
            ],
            "Kirklees Council remains without a majority or a leader after a chaotic annual "
            "meeting resulted in voting being postponed. Reform UK took 29 of the 69 seats to "
            "become the largest party on the council.",
            '<a href="/membership/elections-2026/">Every member council\'s result</a>.',
            "## A change of Chair",
            "After the election results, Jim Robbins is no longer eligible to continue as "
            "Chair of the network. Cllr Paul Cassidy is Interim Chair of CCIN.",
        ],
    },
    {
        "slug": "june-2026",
        "title": "Members' Update — June 2026",
        "issue_date": date(2026, 6, 26),
        "political": True,
        "summary": "The network at the 2026 Co-op Congress, the policy projects it will fund "
        "in 2026, changes in member councils since the elections, and this year's priorities.",
        "body": [
            "## At the 2026 Co-op Congress",
            "Cllr Paul Cassidy, Interim Chair of CCIN, and Pete Vallance, Strategy and Events "
            "Lead, presented the network to the 2026 Co-op Congress: the political landscape "
            "has shifted post May 26, and a co-operative approach to local government is now "
            "more relevant than ever. If fractured politics becomes a governing reality, "
            "co-operation is the only sensible way to make progress:",
            [
                "<b>Consensus building</b>: councils need skills, habits and structures that "
                "help people find workable common ground.",
                "<b>Community wealth building</b>: anchor institutions, procurement and local "
                "economic strategy become practical assets rooted in place.",
                "<b>Co-operative placemaking</b>: communities and councils work together to "
                "shape places that reflect local needs, strengths and ambitions.",
            ],
            '<a href="/co-op-congress-2026/">The presentation to the 2026 Co-op Congress</a>.',
            "## The network in figures",
            "44 full members, 28 associate members, 45 affiliates and 23 supporters. Our 44 "
            "member councils serve 12.27m citizens with a combined budget of £20.94bn.",
            "## Policy projects funded in 2026",
            [
                "A Co-operative Approach to Development Corporations (lead: Camden Council)",
                "Leveraging Local Investment for Community Wealth Building (lead: Greater "
                "Manchester Combined Authority)",
                "Youth Retention Research (prototype: Inverclyde Council)",
                "London CCIN Connect (prototype: Royal Borough of Greenwich)",
                "Local Property Partnership (prototype: Trafford Council)",
            ],
            '<a href="/news/successful-policy-project-applications-2026/">Successful policy '
            "project applications – 2026</a>.",
            "## Since the elections",
            "On 6 June 2026 Birmingham moved from a Labour majority to no overall control, with "
            "a Liberal Democrat, Green and independent minority administration; Reform is the "
            "largest group. Councillor changes in member councils included:",
            [
                "Sunderland, Hylton Castle (11 June): Glenn Gibbins, from independent to "
                "Reform UK.",
                "Plymouth, Ham (9 June): Ben Rowe, from independent to Reform UK.",
                "Preston, Garrison (8 June): Freddie Bailey, from independent to the Labour Party.",
                "Birmingham, Bromford &amp; Hodge Hill (8 June): Diane Donaldson, from the Labour "
                "Party to independent.",
                "High Peak, Barms (5 June): Rachael Quinn, from the Labour Party to independent.",
                "Trafford, Davyhulme (5 June): Billy Burke, from Reform UK to independent.",
            ],
            'Source: opencouncildata.co.uk. <a href="/membership/elections-2026/">Election '
            "outcomes for member councils</a>.",
            "## Our priorities this year",
            [
                "Sharing our vision",
                "New ways of working: empowered to share",
                "Making the structure fit for purpose",
            ],
            "## What you can do with the CCIN",
            [
                "Submit regular case studies for inclusion on the CCIN website",
                "Engage in policy labs and prototypes",
                "Take part in the CCIN Officer Network and the network's governance",
                "Use the CCIN Dynamic Purchasing System to bring in capacity and expertise",
            ],
        ],
    },
]


def ensure_issue(archive: MembersUpdateIndexPage, record: dict) -> MembersUpdatePage:
    """The issue with this record's slug, created and published if missing; if only the
    loader has saved it, its summary and body follow the record."""
    fields = {**record, "body": body(record["body"])}
    slug = fields.pop("slug")
    existing = archive.get_children().filter(slug=slug).first()
    if existing is not None:
        page = existing.specific
        refresh(page, summary=fields["summary"], body=fields["body"])
        return page
    return ensure_child(archive, MembersUpdatePage, slug, **fields)


def load(stdout, *, volume: float = 0) -> None:
    """``volume`` is accepted as by every part; the newsletter adds no generated issues."""
    fields = dict(ARCHIVE)
    archive = ensure_child(home_page(), MembersUpdateIndexPage, fields.pop("slug"), **fields)
    for record in ISSUES:
        ensure_issue(archive, record)
    count = MembersUpdatePage.objects.child_of(archive).live().count()
    stdout.write(f"Members' Update ready: {count} issues at {archive.url}.")
