"""Let Partnership admins and Agency leads list bookings in the admin (events/viewsets.py).

Only the view permission: bookings change through events.services, never the admin. A lead
still needs admin access to reach the listing, and sees only their own agency's bookings.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Partnership admin", "Agency lead"]


def grant(apps, schema_editor):
    # Permissions are normally created after migrations run, so create this app's first.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="events", codename="view_booking")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_booking_sent_fingerprint"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
