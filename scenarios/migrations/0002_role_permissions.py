"""Grant scenario snippet permissions to the Trainer and Partnership admin groups.

As with pages, trainers author drafts (and may submit them to a workflow); only partnership
admins publish, unlock others' locks and delete. Wagtail creates the publish/lock/unlock
permissions after migrations, so they are created here first if missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Trainer": ["add", "change", "view", "lock"],
    "Partnership admin": ["add", "change", "view", "delete", "publish", "lock", "unlock"],
}
EXTRA = {"publish": "Can publish scenario", "lock": "Can lock scenario",
         "unlock": "Can unlock scenario"}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("scenarios")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="scenarios", model="scenario")
    for action, name in EXTRA.items():
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_scenario", defaults={"name": name}
        )
    for group_name, actions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type=content_type, codename__in=[f"{a}_scenario" for a in actions]
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="scenarios")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scenarios", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
