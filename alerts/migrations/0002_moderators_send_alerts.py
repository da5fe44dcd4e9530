"""Moderators see the alerts screen and may send a page (a Members' Update) by hand."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(content_type__app_label="alerts", codename="send_alert")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_subscribers_and_deliveries"),
        ("home", "0004_group_model_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
