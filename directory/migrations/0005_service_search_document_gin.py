"""PostgreSQL only: a GIN index on the stored search document, and fill it for existing rows."""

from django.db import migrations

INDEX = "directory_service_search_document_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_service USING GIN (search_document)"
    )
    from directory.services.search_document import search_document_refresh

    search_document_refresh()


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_service_search_document")]

    operations = [migrations.RunPython(create, drop)]
