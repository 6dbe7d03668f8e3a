"""Partnership admins manage LRS destinations (and see their deliveries) in the Wagtail admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_lrsdestination",
    "change_lrsdestination",
    "view_lrsdestination",
    "delete_lrsdestination",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tracking")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Partnership admin")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="tracking", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Partnership admin"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="tracking", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0005_lrs_destinations_and_outbox"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
