"""Drop the ``url_path`` index of 0007: no query of the project filters pages by ``url_path``.

Module pages are routed through Wagtail's ``route()`` (a child lookup by slug under its parent),
so the index only cost writes on every page save and move. Reversing re-creates it as 0007 did.
"""

from django.db import migrations

INDEX = "courses_wagtailcore_page_url_path"


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create(apps, schema_editor):
    using = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page {using}(url_path)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0012_learningevent_to_learning"),
    ]

    operations = [migrations.RunPython(drop, create)]
