"""Demo content for the site shell: home page, site settings, standard pages.

Also holds the small helpers the other apps' ``demo.py`` modules use, so that every
app builds its part of the tree the same idempotent way.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TypeVar

from wagtail.models import Page, Site

from home.models import HomePage, SiteSettings, StandardPage

P = TypeVar("P", bound=Page)

DEMO_HOST, DEMO_PORT = "127.0.0.1", 8000

ABOUT_BOILERPLATE = (
    "<p>The Co-operative Councils' Innovation Network (CCIN) is a cross-party network of "
    "UK councils committed to finding better ways of working with local people: "
    "action-focused, membership-based, open to all UK councils and part of the local "
    "government family as a Special Interest Group of the Local Government Association. "
    "Its 44 full member councils serve 12.27m citizens with a combined budget of "
    '£20.94bn. Find out more at <a href="https://www.councils.coop/">councils.coop</a>.</p>'
)


def stream(*blocks: tuple[str, object]) -> str:
    """Raw StreamField JSON from (block type, value) pairs."""
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def paragraphs(*texts: str) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def bullet_list(items: list[str]) -> tuple[str, str]:
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def ensure_child(parent: Page, model: type[P], slug: str, **fields) -> P:
    """Return the child page with this slug, creating and publishing it if it is missing.

    An existing page is left exactly as it is, so a second run changes nothing and
    never overwrites what an editor has since changed.
    """
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def home_page() -> HomePage:
    """The demo site's home page, creating it (and pointing the default site at it)."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    # Wagtail's initial migration makes a placeholder "Welcome" page at /; replace it.
    for placeholder in root.get_children().filter(slug="home").exact_type(Page):
        placeholder.delete()
    home = HomePage(
        title="Home",
        slug="home",
        seo_title="Co-operative Councils' Innovation Network",
        summary="A cross-party network of UK councils finding better ways of working "
        "with local people: people-centred councils driving social innovation.",
        intro="<p>Councils that are committed to finding better ways of working with local "
        "people. Action-focused, membership-based, open to all UK councils and part of the "
        "local government family.</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    # The address `make run` serves; production editors set the real one under Settings → Sites.
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port = DEMO_HOST, DEMO_PORT
    site.root_page = home
    site.site_name = "councils.coop"
    site.save()
    return home


def load(stdout, *, volume: bool = False) -> None:
    home = home_page()
    about = ensure_child(
        home,
        StandardPage,
        "about",
        title="About the network",
        show_in_menus=True,
        summary="Who we are: a cross-party, action-focused network of UK councils "
        "translating co-operative values into practice since 2012.",
        intro="The Co-operative Councils' Innovation Network is the practical "
        "infrastructure for co-operative local government.",
        body=stream(
            ("heading", {"text": "What the network is", "level": "h2"}),
            bullet_list(
                [
                    "<b>Action-focused</b>: a network for translating co-operative values "
                    "into practice.",
                    "<b>Membership-based</b>: a modest subscription rooted in peer support, "
                    "policy project delivery and shared learning.",
                    "<b>Part of local government</b>: a Special Interest Group of the "
                    "Local Government Association.",
                ]
            ),
            *paragraphs(
                "The network began in 2012. Today it has 44 full member councils, 28 "
                "associate members, 45 affiliates and 23 supporters: probably the "
                "fastest-growing cross-party network in local government.",
            ),
            ("heading", {"text": "Why a co-operative approach matters now", "level": "h2"}),
            *paragraphs(
                "The political landscape shifted after the May 2026 local elections. "
                "No overall control and coalition-style politics are no longer fringe. "
                "If fractured politics becomes a governing reality, co-operation is the "
                "only sensible way to make progress: consensus building, community wealth "
                "building and co-operative placemaking.",
            ),
            ("heading", {"text": "Our priorities this year", "level": "h2"}),
            bullet_list(
                [
                    "Sharing our vision",
                    "New ways of working: empowered to share",
                    "Making the structure fit for purpose",
                ]
            ),
            ("heading", {"text": "Who leads the network", "level": "h2"}),
            bullet_list(
                [
                    "Cllr Paul Cassidy, Interim Chair of CCIN",
                    "Pete Vallance, Strategy and Events Lead",
                ]
            ),
        ),
    )
    accessibility = ensure_child(
        home,
        StandardPage,
        "accessibility-statement",
        title="Accessibility statement",
        summary="How accessible this website is, and how to report a problem.",
        intro="This statement applies to councils.coop, the website of the Co-operative "
        "Councils' Innovation Network.",
        body=stream(
            *paragraphs(
                "We want as many people as possible to be able to use this website. You "
                "should be able to change colours, contrast levels and fonts, zoom in up to "
                "400% without the text spilling off the screen, navigate the whole site "
                "using just a keyboard or speech recognition software, and listen to it "
                "using a screen reader.",
            ),
            ("heading", {"text": "Compliance status", "level": "h2"}),
            *paragraphs(
                "This website aims to meet the Web Content Accessibility Guidelines (WCAG) "
                "version 2.2 AA standard, as the Public Sector Bodies (Websites and Mobile "
                "Applications) (No. 2) Accessibility Regulations 2018 require. Some older "
                "PDF reports may not be fully accessible; ask us for an accessible format.",
            ),
            ("heading", {"text": "Reporting problems", "level": "h2"}),
            *paragraphs(
                'Email <a href="mailto:info@councils.coop">info@councils.coop</a> if you '
                "find a problem or need information in a different format. If you are not "
                "happy with our response, contact the Equality Advisory and Support Service "
                "(EASS).",
            ),
        ),
    )
    ensure_child(
        home,
        StandardPage,
        "privacy",
        title="Privacy notice",
        summary="What personal data this website collects and how we use it.",
        intro="We collect as little personal data as we can.",
        body=stream(
            *paragraphs(
                "This website does not use advertising or tracking cookies. A session "
                "cookie is set only when you log in to edit the site.",
                "If you contact us or apply to join the network, we use what you send only "
                "to reply to you and to manage your membership.",
            ),
        ),
    )
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.about_boilerplate:
        site_settings.about_boilerplate = ABOUT_BOILERPLATE
        site_settings.accessibility_statement = accessibility
        site_settings.full_members = 44
        site_settings.associate_members = 28
        site_settings.affiliates = 45
        site_settings.supporters = 23
        site_settings.citizens_served = 12_270_000
        site_settings.combined_budget = Decimal("20.94")
        # The seed is the network's 2026 Co-op Congress deck; its latest data is June 2026.
        site_settings.figures_as_of = date(2026, 6, 11)
        # The seed names no social accounts; editors add them under Settings → Site settings.
        site_settings.save()
    stdout.write(f"Home page and standard pages ready (about: {about.url_path}).")


def finalise(stdout) -> None:
    """Runs after every app's content, so that "Contact us" ends the main menu."""
    ensure_child(
        home_page(),
        StandardPage,
        "contact",
        title="Contact us",
        show_in_menus=True,
        summary="How to reach the network and its press office.",
        body=stream(
            *paragraphs(
                'General enquiries: <a href="mailto:info@councils.coop">info@councils.coop</a>',
                'Press office: <a href="mailto:press@councils.coop">press@councils.coop</a>',
            ),
        ),
    )
