"""Create the course catalogue page at /courses/, the "Safeguarding lead review" workflow on it,
and required-learning permissions for Partnership admins. Every installation needs these."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Wagtail's tree paths: 4 characters per level in this alphabet (treebeard's MP_Node default).
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
WORKFLOW = "Safeguarding lead review"


def _next_step(path: str | None) -> str:
    value = int(path[-4:], 36) + 1 if path else 1
    digits = ""
    while value:
        value, rest = divmod(value, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    home = Page.objects.filter(depth=2, content_type__app_label="pages").order_by("path").first()
    if home is None:  # an empty database outside the normal install: nothing to attach to
        return
    index = CourseIndexPage.objects.filter(depth=3, path__startswith=home.path).first()
    if index is None:
        last = Page.objects.filter(depth=3, path__startswith=home.path).order_by("-path").first()
        index_ct, _ = ContentType.objects.get_or_create(
            app_label="courses", model="courseindexpage"
        )
        index = CourseIndexPage.objects.create(
            title="Courses",
            draft_title="Courses",
            slug="courses",
            content_type=index_ct,
            path=home.path + _next_step(last.path if last else None),
            depth=3,
            numchild=0,
            url_path=f"{home.url_path}courses/",
            live=True,
            locale_id=home.locale_id,
            introduction=(
                "<p>Courses built from what our local practice reviews have taught us. "
                "Filter by topic, the sector you work in, or level.</p>"
            ),
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task = Task.objects.filter(name=WORKFLOW).first()
    if task is None:
        task_ct, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=WORKFLOW, content_type=task_ct, active=True)
        admins, _ = Group.objects.get_or_create(name="Partnership admin")
        task.groups.add(admins)
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})

    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    admins, _ = Group.objects.get_or_create(name="Partnership admin")
    admins.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses", codename__endswith="_requiredlearning"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_pages_and_learning_records"),
        ("pages", "0002_site_pages"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
