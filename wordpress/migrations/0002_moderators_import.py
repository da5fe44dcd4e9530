"""Moderators may import the live site's WordPress export (the admin's "WordPress import")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("wordpress")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wordpress",
            codename__in=["add_importrun", "view_importrun"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wordpress", "0001_initial"),
        ("home", "0004_group_model_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
