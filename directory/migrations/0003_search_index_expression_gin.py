"""PostgreSQL only: a GIN index on Wagtail's combined search document.

Wagtail's PostgreSQL backend filters with ``(title || body) @@ query``; its own GIN indexes are on
``title`` and ``body`` separately, so that filter scanned every index entry. An expression index
on exactly ``(title || body)`` lets the planner use a bitmap index scan (measured in
bench/directory.py). It is an index only, on Wagtail's table, so it is safe to drop.
"""

from django.db import migrations

INDEX = "directory_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING GIN ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_directory_editor_permissions"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
