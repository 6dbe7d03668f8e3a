"""Create the "Directory editor" group and grant it and Partnership admins the directory models.

Permissions are normally created after migrations run, so this creates them first (as
accounts.0002 does).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["service", "organization", "location", "taxonomy", "taxonomyterm", "problemreport"]
ACTIONS = ["add", "change", "delete", "view"]
GROUPS = ["Directory editor", "Partnership admin"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    perms = list(Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms, *access_admin)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Directory editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
