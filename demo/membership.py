"""Demo content from the seed: members, principles, DPS suppliers, elections and the pages.

Records come from ``data/members.toml``, ``principles.toml``, ``suppliers.toml`` and
``membership_pages.toml``. Idempotent: records are matched by slug and left alone if they
exist; pages are built with ``demo.shell.ensure_child``; election tables go through the CSV
importer, which changes nothing on a second run.
"""

from __future__ import annotations

from django.utils.text import slugify

from demo.records import DATA, read
from demo.shell import ensure_child, home_page, page_fields, stream
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


def titled(items: list[dict]) -> str:
    """StreamField JSON of titled items from records with a title and an optional text."""
    return stream(
        *[("item", {"title": item["title"], "text": item.get("text", "")}) for item in items]
    )


def tiers(items: list[dict]) -> str:
    return stream(*[("tier", dict(item)) for item in items])


def activities(items: list[dict]) -> str:
    return stream(*[("activity", {**item, "page": None}) for item in items])


def load_members(stdout) -> None:
    members = read("members.toml")["member"]
    created = 0
    for member in members:
        _, was_created = MemberCouncil.objects.get_or_create(
            slug=slugify(member["name"]),
            defaults={
                "name": member["name"],
                "tier": Tier.FULL,
                "nation": member.get("nation", Nation.ENGLAND),
                "kind": member.get("kind", MemberKind.COUNCIL),
            },
        )
        created += was_created
    stdout.write(f"Member councils: {created} added, {len(members) - created} already there.")


def load_principles() -> None:
    for order, principle in enumerate(read("principles.toml")["principle"]):
        Principle.objects.get_or_create(
            slug=slugify(principle["title"]),
            defaults={"title": principle["title"], "text": principle["text"], "sort_order": order},
        )


def load_suppliers() -> None:
    for supplier in read("suppliers.toml")["supplier"]:
        name = supplier["name"]
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
    pages = read("membership_pages.toml")
    ensure_child(
        home,
        PrinciplesPage,
        "principles",
        **page_fields(pages["principles"], walking_the_talk=titled),
    )
    membership = ensure_child(
        home,
        MembershipPage,
        "membership",
        **page_fields(pages["membership"], tiers=tiers, activities=activities, priorities=titled),
    )
    ensure_child(membership, MemberDirectoryPage, "members", **page_fields(pages["members"]))
    ensure_child(
        membership,
        ElectionOutcomesPage,
        "elections-2026",
        **page_fields(pages["elections-2026"]),
    )
    ensure_child(
        home,
        DPSPage,
        "dynamic-purchasing-system",
        **page_fields(pages["dynamic-purchasing-system"], why=titled, how_it_works=titled),
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
