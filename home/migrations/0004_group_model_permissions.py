"""What Editors and Moderators may do with snippets, election data and settings.

Editors keep the network's records up to date (member councils, suppliers, principles,
themes, categories) but cannot delete them; Moderators can also delete, manage the
election data, read join enquiries (personal data) and edit site settings.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_SNIPPETS = {
    "news": ["newscategory"],
    "casestudies": ["theme"],
    "membership": ["membercouncil", "commitment", "principle", "dpssupplier"],
}
MODERATOR_ONLY = {
    "membership": ["electionresult", "controlchange", "councillorchange", "joinenquiry"],
    "home": ["sitesettings"],
}
EDITOR_ACTIONS = ("add", "change", "view")
MODERATOR_ACTIONS = ("add", "change", "delete", "view", "publish", "lock", "unlock")


def grant(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so they can be granted.
    for label in ("news", "casestudies", "membership", "home"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")

    def permissions(models_by_app, actions):
        for app_label, models in models_by_app.items():
            for model in models:
                yield from Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=[f"{action}_{model}" for action in actions],
                )

    editors.permissions.add(*permissions(CONTENT_SNIPPETS, EDITOR_ACTIONS))
    moderators.permissions.add(*permissions(CONTENT_SNIPPETS, MODERATOR_ACTIONS))
    moderators.permissions.add(*permissions(MODERATOR_ONLY, MODERATOR_ACTIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_comms_approval_workflow"),
        ("news", "0001_initial"),
        ("casestudies", "0001_initial"),
        ("membership", "0002_network_snippets_pages_elections"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
