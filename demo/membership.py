"""Demo content from the seed: members, principles, DPS suppliers, elections and the pages.

Records come from ``data/members.toml``, ``principles.toml``, ``suppliers.toml`` and
``membership_pages.toml``. Idempotent: records are matched by slug and left alone if they
exist, except that a member still named as the seed misspells it is renamed and a member's
empty facts (GSS code, region, website, political control) are filled in; pages are built
with ``demo.shell.ensure_child``; election tables go through the CSV importer, which changes
nothing on a second run.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import slugify

from demo.records import DATA, read
from demo.shell import ensure_child, home_page, page_fields, stream
from demo.volume import MEMBER_COUNT, generate_members, scaled
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


# Facts a member record may give; the loader fills them in where a member has none yet.
MEMBER_FACTS = ("gss_code", "region", "website", "political_control")


def seed_aliases() -> dict[str, str]:
    """The seed's spelling of a member's name → the member's real name."""
    return {
        record["seed_name"]: record["name"]
        for record in read("members.toml")["member"]
        if "seed_name" in record
    }


def _existing_member(record: dict) -> MemberCouncil | None:
    """The member this record describes, under its real name or the seed's spelling."""
    names = [record["name"], *([record["seed_name"]] if "seed_name" in record else [])]
    return MemberCouncil.objects.filter(
        Q(name__in=names) | Q(slug__in=[slugify(name) for name in names])
    ).first()


def _update_member(member: MemberCouncil, record: dict, as_of) -> bool:
    """Rename a member still under the seed's spelling and fill in facts it lacks."""
    changed = []
    if member.name == record.get("seed_name") and not (
        MemberCouncil.objects.filter(slug=slugify(record["name"])).exclude(pk=member.pk).exists()
    ):
        member.name, member.slug = record["name"], slugify(record["name"])
        changed += ["name", "slug"]
    for fact in MEMBER_FACTS:
        if record.get(fact) and not getattr(member, fact):
            setattr(member, fact, record[fact])
            changed.append(fact)
    if member.political_control == record.get("political_control") and (
        member.political_control_as_of is None
    ):
        member.political_control_as_of = as_of
        changed.append("political_control_as_of")
    if changed:
        member.save(update_fields=changed)
    return bool(changed)


def load_members(stdout) -> None:
    data = read("members.toml")
    as_of = data["political_control_as_of"]
    created = updated = 0
    for record in data["member"]:
        member = _existing_member(record)
        if member is None:
            MemberCouncil.objects.create(
                name=record["name"],
                slug=slugify(record["name"]),
                tier=Tier.FULL,
                nation=record.get("nation", Nation.ENGLAND),
                kind=record.get("kind", MemberKind.COUNCIL),
                **{fact: record.get(fact, "") for fact in MEMBER_FACTS},
                political_control_as_of=as_of if record.get("political_control") else None,
            )
            created += 1
        else:
            updated += _update_member(member, record, as_of)
    unchanged = len(data["member"]) - created - updated
    stdout.write(f"Member councils: {created} added, {updated} updated, {unchanged} already there.")


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
            report = import_csv(csv_file, kind, year=2026, aliases=seed_aliases())
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


def load(stdout, *, volume: float = 0) -> None:
    """``volume``: generated member records at that multiple of the benchmark volume."""
    load_members(stdout)
    load_principles()
    load_suppliers()
    load_elections(stdout)
    load_pages()
    if volume:
        added = generate_members(scaled(MEMBER_COUNT, volume))
        stdout.write(f"Generated member records: {added} added.")
    stdout.write("Membership: principles, membership, members, elections and DPS pages ready.")
