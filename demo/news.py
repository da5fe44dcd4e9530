"""Demo newsroom from the seed: the news index, categories and the seed's articles."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone
from wagtail.models import Page

from demo.shell import bullet_list, ensure_child, home_page, paragraphs, stream
from demo.volume import generate_news
from news.models import NewsCategory, NewsIndexPage, NewsKind, NewsPage, NewsPageAuthor

CATEGORIES = [
    ("Governance", "governance", "How councils are run: elections, devolution and democracy."),
    ("Community", "community", "Councils and communities working together."),
    ("News", "news", "News from the network and its members."),
    ("Policy", "policy", "Policy labs, prototypes and the network's policy responses."),
    ("Events", "events", "Network events, from the Co-op Congress to member meetings."),
]


def released(year: int, month: int, day: int) -> datetime:
    """A release date at midday UK time: the seed gives dates without times."""
    return timezone.make_aware(datetime.combine(datetime(year, month, day).date(), time(12)))


def ensure_article(index: Page, slug: str, *, tags: list[str], authors=(), **fields) -> NewsPage:
    """The article with this slug, created and published if missing (never overwritten)."""
    existing = index.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = NewsPage(slug=slug, **fields)
    page.authors = [NewsPageAuthor(name=name, role=role) for name, role in authors]
    page.tags.set(tags)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(stdout, *, volume: bool = False) -> None:
    home = home_page()
    categories = {}
    for name, slug, description in CATEGORIES:
        categories[slug], _ = NewsCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )

    index = ensure_child(
        home,
        NewsIndexPage,
        "news",
        title="News",
        show_in_menus=True,
        summary="Press releases, news and opinion from the Co-operative Councils' "
        "Innovation Network.",
        intro="Press releases, news and opinion from the network and its member councils.",
        feed_description="Press releases, news and opinion from the Co-operative Councils' "
        "Innovation Network.",
    )

    ensure_article(
        index,
        "statement-2026-local-elections",
        title="Statement on 2026 Local Elections",
        kind=NewsKind.PRESS_RELEASE,
        release_date=released(2026, 5, 15),
        category=categories["governance"],
        tags=["Local elections 2026", "No overall control"],
        political=True,
        summary="The network's statement on the May 2026 local election results: political "
        "fragmentation makes cross-party, co-operative approaches to governance matter more.",
        body=stream(
            *paragraphs(
                "Last week's Local Election results showed a fragmentation in Britain's "
                "politics like never before, with many local authorities entering 'No Overall "
                "Control' as multiple political parties and independents secured wins. Whilst "
                "this political fragmentation shows an emerging divide politically, it also "
                "makes clear the importance that cross-party, cooperative approaches to "
                "governance must have in shaping the future of local government.",
                "Our work at CCIN has always been to promote cooperative solutions, working "
                "with any political grouping or local authority who share our common "
                "cooperative values.",
            )
        ),
    )
    ensure_article(
        index,
        "call-for-evidence-business-support-co-operatives-mutuals-final-response",
        title="Call for evidence on business support for co-operatives and non-financial "
        "mutuals: Final CCIN response",
        kind=NewsKind.NEWS,
        release_date=released(2026, 2, 1),
        category=categories["news"],
        tags=["Co-operatives", "Mutuals"],
        summary="The network has published its final response to the call for evidence on "
        "business support for co-operatives and non-financial mutuals.",
        body=stream(
            *paragraphs(
                "The Co-operative Councils' Innovation Network has published its final "
                "response to the call for evidence on business support for co-operatives and "
                "non-financial mutuals (February 2026).",
                "The full text of the response is to follow on this page.",
            )
        ),
    )
    ensure_article(
        index,
        "successful-policy-project-applications-2026",
        title="Successful policy project applications – 2026",
        kind=NewsKind.NEWS,
        release_date=released(2026, 6, 11),
        category=categories["policy"],
        tags=["Policy labs", "Policy prototypes"],
        summary="The member-led policy lab and prototype projects the network will fund in "
        "2026, and the councils leading them.",
        body=stream(
            *paragraphs(
                "Policy labs and prototypes are member-led projects to find co-operative "
                "policy solutions to the challenges facing local government. Policy labs are "
                "more significant collaborative pieces of work that members work on together, "
                "eligible for between £10,000 and £20,000 of funding. Policy prototypes are "
                "smaller projects delivered in a locality on behalf of the network, eligible "
                "for up to £2,000 of funding.",
                "The successful applications in 2026 are:",
            ),
            bullet_list(
                [
                    "A Co-operative Approach to Development Corporations (lead: Camden Council)",
                    "Leveraging Local Investment for Community Wealth Building (lead: Greater "
                    "Manchester Combined Authority)",
                    "Youth Retention Research (prototype: Inverclyde Council)",
                    "London CCIN Connect (prototype: Royal Borough of Greenwich)",
                    "Local Property Partnership (prototype: Trafford Council)",
                ]
            ),
        ),
    )
    ensure_article(
        index,
        "cllr-sharon-taylor-local-devolution-urgent-strategic-priority",
        title="Cllr Sharon Taylor – Local devolution: an urgent strategic priority",
        kind=NewsKind.OPINION,
        release_date=released(2014, 7, 7),
        category=categories["governance"],
        tags=["Devolution"],
        authors=[("Cllr Sharon Taylor", "CCIN and Stevenage Borough Council")],
        summary="An opinion piece by Cllr Sharon Taylor (CCIN and Stevenage Borough Council): "
        "local devolution as an urgent strategic priority.",
        body=stream(
            *paragraphs(
                "An opinion piece by Cllr Sharon Taylor (CCIN and Stevenage Borough Council), "
                "first published on 7 July 2014. The full text is to follow on this page."
            )
        ),
    )
    ensure_article(
        index,
        "cllr-jim-mcmahon-cooperative-localism-future-public-services",
        title="Cllr Jim McMahon: Cooperative localism – the future of public services",
        kind=NewsKind.OPINION,
        release_date=released(2014, 6, 5),
        category=categories["community"],
        tags=["Co-operative localism", "Public services"],
        authors=[("Cllr Jim McMahon", "Leader of Oldham Council and Chair of the CCIN")],
        summary="Cllr Jim McMahon, then Leader of Oldham Council and Chair of the CCIN, on "
        "co-operative localism as the future of public services.",
        body=stream(
            *paragraphs(
                "An opinion piece by Cllr Jim McMahon, Leader of Oldham Council and Chair of "
                "the CCIN when it was first published on 5 June 2014. The full text is to "
                "follow on this page."
            )
        ),
    )
    if volume:
        load_volume(index, categories)
    count = NewsPage.objects.child_of(index).live().count()
    stdout.write(f"News ready: {count} live articles at {index.url}.")


def load_volume(index: NewsIndexPage, categories: dict[str, NewsCategory]) -> None:
    """1,000 generated placeholder articles over 12 years (demo.volume), for benchmarks."""
    generate_news(index, categories)
