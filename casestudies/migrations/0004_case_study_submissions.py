"""Case studies sent in through the public form: who sent them, kept apart from the draft
page. Moderators may read, mark and annotate them (personal data: Editors may not)."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

MODERATOR_ACTIONS = ("change", "delete", "view")


def grant(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so they can be granted.
    app_config = apps.get_app_config("casestudies")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="casestudies",
            codename__in=[f"{action}_casestudysubmission" for action in MODERATOR_ACTIONS],
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('casestudies', '0003_alter_casestudypage_body_and_more'),
        ('membership', '0006_member_political_control_as_of'),
        ('home', '0004_group_model_permissions'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseStudySubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text="The case study's title as it was sent, kept if the draft goes.", max_length=255)),
                ('name', models.CharField(help_text='Who sent it.', max_length=200)),
                ('role', models.CharField(help_text='Their job title or role.', max_length=200)),
                ('organisation', models.CharField(blank=True, help_text='The organisation they typed, when it is not a listed member council.', max_length=200)),
                ('email', models.EmailField(help_text='Their work e-mail address: for replies only.', max_length=254)),
                ('phone', models.CharField(blank=True, help_text='Their phone number, if given.', max_length=40)),
                ('consented_at', models.DateTimeField(help_text='When they agreed that the network may edit and publish what they sent.')),
                ('submitted_at', models.DateTimeField(auto_now_add=True)),
                ('handled', models.BooleanField(default=False, help_text='Tick once the draft has been reviewed and the sender told.')),
                ('notes', models.TextField(blank=True, help_text="Moderators' notes; never shown publicly.")),
                ('council', models.ForeignKey(blank=True, help_text='The member council they chose, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='membership.membercouncil')),
                ('page', models.OneToOneField(blank=True, help_text='The draft case study made from this submission. Empty if it was deleted.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='casestudies.casestudypage')),
            ],
            options={
                'verbose_name': 'case study submission',
                'verbose_name_plural': 'case study submissions',
                'ordering': ['-submitted_at', '-pk'],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
