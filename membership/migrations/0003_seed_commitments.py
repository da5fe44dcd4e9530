"""The eight things councils can do ("What councils can do"), so editors can tick them."""

from django.db import migrations

COMMITMENTS = [
    ("climate-emergency", "Plays a central role in tackling the climate emergency"),
    ("fair-tax-declaration", "Has signed the Councils for Fair Tax Declaration"),
    ("real-living-wage", "Pays the Real Living Wage"),
    ("modern-slavery-charter", "Has signed the Modern Slavery Charter"),
    ("care-experience", "Treats care experience as a protected characteristic"),
    ("living-wage-place", "Is part of a Real Living Wage city, borough or town"),
    ("cooperative-champion", "Has identified a co-operative champion (councillor and/or officer)"),
    ("staff-innovation", "Actively encourages co-op innovation within staff teams"),
]


def add_commitments(apps, schema_editor):
    Commitment = apps.get_model("membership", "Commitment")
    for order, (slug, title) in enumerate(COMMITMENTS):
        Commitment.objects.get_or_create(
            slug=slug, defaults={"title": title, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("membership", "0002_network_snippets_pages_elections")]

    operations = [migrations.RunPython(add_commitments, migrations.RunPython.noop)]
