"""Give Partnership admins the rest of "everything": user deletion (erasure requests), sites,
redirects, workflows and tasks; and let them approve pages in Wagtail's default workflow.

Trainers keep what 0002 gave them: admin access, add and edit pages, no publishing.
"""

from django.db import migrations

GRANTS = [
    ("accounts", ["delete_user"]),
    ("wagtailcore", ["add_site", "change_site", "delete_site", "view_site",
                     "add_workflow", "change_workflow", "delete_workflow", "view_workflow",
                     "add_task", "change_task", "delete_task", "view_task"]),
    ("wagtailredirects", ["add_redirect", "change_redirect", "delete_redirect",
                          "view_redirect"]),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    admins = Group.objects.get(name="Partnership admin")
    for app_label, codenames in GRANTS:
        admins.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.groups.add(admins)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_agency_domains_inline"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
