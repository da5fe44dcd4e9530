"""The "Comms approval" workflow on every page: a moderator's approval, then the pre-election
second approval (which skips itself outside the pre-election period or for non-political pages).

Wagtail's own first migrations already create the Editors and Moderators groups with page
permissions on the root page and collection permissions for images and documents, and a
"Moderators approval" workflow on the root page; this shapes that into ours, idempotently.
"""

from django.db import migrations

WORKFLOW = "Comms approval"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    PreElectionApprovalTask = apps.get_model("home", "PreElectionApprovalTask")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    Group.objects.get_or_create(name="Editors")

    workflow = (
        Workflow.objects.filter(name=WORKFLOW).first()
        or Workflow.objects.filter(name="Moderators approval").first()
        or Workflow(active=True)
    )
    workflow.name = WORKFLOW
    workflow.active = True
    workflow.save()

    approval_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    approval = (
        GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
        or GroupApprovalTask.objects.create(
            name="Moderator approval", content_type=approval_type, active=True
        )
    )
    approval.name = "Moderator approval"
    approval.save()
    approval.groups.add(moderators)

    election_type, _ = ContentType.objects.get_or_create(
        app_label="home", model="preelectionapprovaltask"
    )
    second = PreElectionApprovalTask.objects.first() or PreElectionApprovalTask.objects.create(
        name="Pre-election second approval", content_type=election_type, active=True
    )
    second.groups.add(moderators)

    WorkflowTask.objects.filter(workflow=workflow).exclude(
        task_id__in=[approval.pk, second.pk]
    ).delete()
    for order, task in enumerate([approval, second]):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_schedulerrun_homepage_political_and_more"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
