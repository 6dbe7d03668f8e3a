"""Put scenarios under the partnership's "Safeguarding lead review" workflow, as course pages are,
so trainers can "Submit for review" instead of only saving drafts.

Snippets take their workflow from their content type (Wagtail's WorkflowContentType). A workflow
an administrator has already chosen for scenarios is kept.
"""

from django.db import migrations

WORKFLOW = "Safeguarding lead review"


def assign(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    # courses.0003 makes this workflow when the site has a home page; make it here otherwise.
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = Task.objects.filter(name=WORKFLOW).first()
        if task is None:
            task_ct, _ = ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )
            task = GroupApprovalTask.objects.create(
                name=WORKFLOW, content_type=task_ct, active=True
            )
            task.groups.add(Group.objects.get_or_create(name="Partnership admin")[0])
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    scenario_ct, _ = ContentType.objects.get_or_create(app_label="scenarios", model="scenario")
    WorkflowContentType.objects.get_or_create(
        content_type=scenario_ct, defaults={"workflow": workflow}
    )


def unassign(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(
        content_type__app_label="scenarios",
        content_type__model="scenario",
        workflow__name=WORKFLOW,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scenarios", "0004_ending_paths_and_shuffle"),
        ("courses", "0003_course_index_and_review_workflow"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
