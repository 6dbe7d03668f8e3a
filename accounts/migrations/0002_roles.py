"""Create the four role groups and their base permissions.

Later apps grant their own model permissions to these groups in their own migrations.
Permissions are normally created after migrations run, so this creates them first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Learner", "Trainer", "Agency lead", "Partnership admin"]

MODEL_PERMISSIONS = {
    "Trainer": [
        ("wagtailadmin", "admin", ["access_admin"]),
    ],
    "Partnership admin": [
        ("wagtailadmin", "admin", ["access_admin"]),
        ("accounts", "user", ["add_user", "change_user", "view_user"]),
        ("accounts", "agency", ["add_agency", "change_agency", "view_agency", "delete_agency"]),
        ("accounts", "agencydomain", ["add_agencydomain", "change_agencydomain",
                                      "view_agencydomain", "delete_agencydomain"]),
        ("accounts", "team", ["add_team", "change_team", "view_team", "delete_team"]),
        ("accounts", "jobrole", ["add_jobrole", "change_jobrole", "view_jobrole",
                                 "delete_jobrole"]),
    ],
}

# Trainers author and submit for review; only partnership admins publish.
PAGE_PERMISSIONS = {
    "Trainer": ["add_page", "change_page", "lock_page"],
    "Partnership admin": ["add_page", "change_page", "publish_page", "lock_page",
                          "unlock_page", "bulk_delete_page"],
}

COLLECTION_PERMISSIONS = {
    "Trainer": [("wagtailimages", "image", ["add_image", "choose_image"]),
                ("wagtaildocs", "document", ["add_document", "choose_document"])],
    "Partnership admin": [("wagtailimages", "image", ["add_image", "change_image",
                                                      "choose_image", "delete_image"]),
                          ("wagtaildocs", "document", ["add_document", "change_document",
                                                       "choose_document", "delete_document"])],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for name, grants in MODEL_PERMISSIONS.items():
        for app_label, model, codenames in grants:
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            groups[name].permissions.add(*perms)

    root = Page.objects.filter(depth=1).first()
    for name, codenames in PAGE_PERMISSIONS.items():
        for perm in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=groups[name], page=root, permission=perm)

    root_collection = Collection.objects.filter(depth=1).first()
    for name, grants in COLLECTION_PERMISSIONS.items():
        for app_label, _model, codenames in grants:
            for perm in Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root_collection, permission=perm
                )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
