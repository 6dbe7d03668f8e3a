"""Index Wagtail's page ``url_path``, which module pages are routed by (courses.selectors).

Wagtail routes page by page through the tree and never indexes ``url_path``, so the module
page's one-query route scanned every page of the site. A hash index on PostgreSQL (equality is
all that is asked, and a path of any length fits), a B-tree on SQLite.
"""

from django.db import migrations

INDEX = "courses_wagtailcore_page_url_path"


def apply(apps, schema_editor):
    using = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page {using}(url_path)"
    )


def revert(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_alter_modulepage_body"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(apply, revert)]
