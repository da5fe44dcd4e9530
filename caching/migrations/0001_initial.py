from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("caching", "ContentVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=1)),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
