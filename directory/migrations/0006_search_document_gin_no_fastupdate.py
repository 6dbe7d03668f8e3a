"""PostgreSQL only: keep the search document's GIN index current on every write.

With GIN's default ``fastupdate``, rows written after the index was built wait in a pending
list until vacuum; the planner then prices the index so high that it scans the whole table
(24-44 ms instead of 10 ms at 10,000 services, bench/directory.py). Directory writes are rare,
so paying the index update at write time is the right trade.
"""

from django.db import migrations

INDEX = "directory_service_search_document_gin"


def apply(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def revert(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_service_search_document_gin")]

    operations = [migrations.RunPython(apply, revert)]
