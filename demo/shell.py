"""Demo content for the site shell (``data/site.toml``): home page, settings, standard pages.

Also holds the small helpers the other ``demo`` modules use, so that every part of the
tree is built from its records the same idempotent way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypeVar

from wagtail.models import Page, Site

from demo.records import read
from home.models import HomePage, SiteSettings, StandardPage

P = TypeVar("P", bound=Page)

DEMO_HOST, DEMO_PORT = "127.0.0.1", 8000


def stream(*blocks: tuple[str, object]) -> str:
    """Raw StreamField JSON from (block type, value) pairs."""
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def paragraphs(*texts: str) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def bullet_list(items: list[str]) -> tuple[str, str]:
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def body(items: list) -> str:
    """A data file's body as StreamField JSON: a string is a paragraph, a string starting
    "## " a heading, a list of strings a bulleted list."""
    return stream(*(_block(item) for item in items))


def _block(item: str | list[str]) -> tuple[str, object]:
    if isinstance(item, list):
        return bullet_list(item)
    if item.startswith("## "):
        return ("heading", {"text": item.removeprefix("## "), "level": "h2"})
    return ("paragraph", f"<p>{item}</p>")


def page_fields(record: Mapping, **streams: Callable) -> dict:
    """A page record's fields for its model: ``body`` and the named ``streams`` converted to
    StreamField JSON, ``slug`` (the ``ensure_child`` argument) and ``after_sections`` left out.
    """
    converters = {"body": body, **streams}
    return {
        key: converters[key](value) if key in converters else value
        for key, value in record.items()
        if key not in {"slug", "after_sections"}
    }


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
    home = HomePage(slug="home", **read("site.toml")["home"])
    root.add_child(instance=home)
    home.save_revision().publish()
    # The address `make run` serves; production editors set the real one under Settings → Sites.
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port = DEMO_HOST, DEMO_PORT
    site.root_page = home
    site.site_name = "councils.coop"
    site.save()
    return home


def standard_pages(home: HomePage, *, after_sections: bool) -> dict[str, StandardPage]:
    """The standard pages built before the sections, or (``after_sections``) after them."""
    return {
        record["slug"]: ensure_child(home, StandardPage, record["slug"], **page_fields(record))
        for record in read("site.toml")["page"]
        if record.get("after_sections", False) == after_sections
    }


def load(stdout, *, volume: bool = False) -> None:
    pages = standard_pages(home_page(), after_sections=False)
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.about_boilerplate:
        record = read("site.toml")["settings"]
        statement = record["accessibility_statement"]
        if statement not in pages:
            raise record.error(f"accessibility_statement: no standard page {statement!r}")
        fields = {
            **record,
            "accessibility_statement": pages[statement],
            "combined_budget": Decimal(record["combined_budget"]),
        }
        for field, value in fields.items():
            setattr(site_settings, field, value)
        site_settings.save()
    addresses = ", ".join(page.url for page in pages.values())  # /about/, not /home/about/
    stdout.write(f"Home page and standard pages ready ({addresses}).")


def finalise(stdout) -> None:
    """Runs after every app's content, so that "Contact us" ends the main menu."""
    standard_pages(home_page(), after_sections=True)
