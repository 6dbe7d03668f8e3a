"""A UUID field whose SQLite storage matches Wagtail's search index."""

import uuid

from django.db import models


class DashedUUIDField(models.UUIDField):
    """Store the dashed text form where the database has no native UUID type (SQLite).

    Django stores UUIDs on SQLite as 32 hex digits, but Wagtail's search index keeps
    ``object_id = str(pk)`` (dashed) and joins on it, so full-text search found nothing for
    UUID-keyed models on SQLite. PostgreSQL keeps its native uuid type.
    """

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = self.to_python(value)
        if connection.features.has_native_uuid_field:
            return value
        return str(value)
