"""Bulk insertion of statements and their index rows: COPY on PostgreSQL, bulk_create elsewhere.

Hand-written for PostgreSQL because Django's bulk_create there sends each column as an array
parameter whose quoting dominated ingest time (profiled at ~60% of a 1,000-statement batch);
COPY with ids drawn from the table's own sequence keeps the rows identical to the ORM's.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import orjson
import psycopg
from django.db import connection

from tracking.lrs.models import Statement, StatementIndex

STATEMENT_COLUMNS = (
    "id",
    "statement_id",
    "data",
    "actor_ifi",
    "verb_id",
    "activity_id",
    "registration",
    "stored",
    "voided",
    "ref_statement_id",
    "is_voiding",
    "client_id",
)


@dataclass
class StatementRecord:
    """A statement about to be stored, with its indexed columns and (kind, value) refs."""

    statement_id: object
    data: dict
    actor_ifi: str
    verb_id: str
    activity_id: str | None
    registration: str | None
    stored: datetime
    voided: bool
    ref_statement_id: str | None
    is_voiding: bool
    client_id: int | None
    refs: list[tuple[int, str]] = field(default_factory=list)


def _dumps(data: dict) -> str:
    """JSON text for the data column; the standard library handles what orjson refuses
    (integers beyond 64 bits, lone surrogates) from callers inside the platform."""
    try:
        return orjson.dumps(data).decode()
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=False)


def statements_existing(
    *, ids: list[uuid.UUID], client_id: int | None = None
) -> tuple[dict[uuid.UUID, dict], set[uuid.UUID]]:
    """For these ids: the stored statements' data, and which ids a stored statement voids.

    A voiding statement stored before its target counts only when the platform or the same
    client (`client_id`) stored it: one client's early voiding never voids another's later
    statement (issue 15; clients can no longer void ahead of time, older rows may remain).
    One raw query instead of two ORM `__in` lookups, whose per-value preparation cost ~45 us
    per id in a 1,000-statement batch.
    """
    if not ids:
        return {}, set()
    postgres = connection.vendor == "postgresql"
    values = ids if postgres else [value.hex for value in ids]
    marks = ", ".join(["%s"] * len(values))
    table = Statement._meta.db_table
    sql = (
        f"SELECT statement_id, data, ref_statement_id, client_id FROM {table} "  # noqa: S608
        f"WHERE statement_id IN ({marks}) OR (is_voiding AND ref_statement_id IN ({marks}))"
    )
    wanted = set(ids)
    existing, voided = {}, set()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *values])
        for statement_id, data, ref, owner_id in cursor.fetchall():
            statement_id = (
                statement_id if isinstance(statement_id, uuid.UUID) else uuid.UUID(statement_id)
            )
            if statement_id in wanted:
                existing[statement_id] = orjson.loads(data) if isinstance(data, str) else data
            if ref is not None and owner_id in (None, client_id):
                ref = ref if isinstance(ref, uuid.UUID) else uuid.UUID(ref)
                if ref in wanted:
                    voided.add(ref)
    return existing, voided


def statements_insert(records: list[StatementRecord]) -> None:
    """Insert statements and their index rows in the current transaction."""
    if connection.vendor == "postgresql":
        _insert_copy(records)
    else:
        _insert_orm(records)


def _insert_orm(records: list[StatementRecord]) -> None:
    rows = [
        Statement(**{name: getattr(r, name) for name in STATEMENT_COLUMNS[1:]}) for r in records
    ]
    Statement.objects.bulk_create(rows)
    StatementIndex.objects.bulk_create(
        [
            StatementIndex(statement=row, kind=kind, value=value, stored=row.stored)
            for row, record in zip(rows, records, strict=True)
            for kind, value in record.refs
        ]
    )


# COPY's text format (PostgreSQL "COPY", File Formats): backslash, tab, newline and carriage
# return escaped; \N is NULL. Lines built here cost half the client CPU of write_row per
# statement and index row (bench: about 10 ms less per 1,000 statements).
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A column value in COPY text format; NUL refused as psycopg's write_row refuses it."""
    if value is None:
        return "\\N"
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.translate(_COPY_ESCAPES)
    if "\x00" in value:
        raise psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return value


def _insert_copy(records: list[StatementRecord]) -> None:
    statement_table = Statement._meta.db_table
    index_table = StatementIndex._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [statement_table, len(records)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        stored = {}  # one batch shares one `stored`: formatted once
        statements, refs = [], []
        for pk, r in zip(ids, records, strict=True):
            if r.stored not in stored:
                stored[r.stored] = r.stored.isoformat()
            moment = stored[r.stored]
            columns = (
                pk,
                r.statement_id,
                _copy_text(_dumps(r.data)),
                _copy_text(r.actor_ifi),
                _copy_text(r.verb_id),
                _copy_text(r.activity_id),
                _copy_text(r.registration),
                moment,
                "t" if r.voided else "f",
                _copy_text(r.ref_statement_id),
                "t" if r.is_voiding else "f",
                _copy_text(r.client_id),
            )
            statements.append("\t".join(map(str, columns)))
            refs.extend(f"{pk}\t{kind}\t{_copy_text(value)}\t{moment}" for kind, value in r.refs)
        # Public APIs only: Django's cursor passes copy() to psycopg's documented Cursor.copy().
        names = ", ".join(STATEMENT_COLUMNS)
        with cursor.copy(f"COPY {statement_table} ({names}) FROM STDIN") as copy:  # noqa: S608
            copy.write("\n".join(statements) + "\n")
        if refs:
            with cursor.copy(
                f"COPY {index_table} (statement_id, kind, value, stored) FROM STDIN"  # noqa: S608
            ) as copy:
                copy.write("\n".join(refs) + "\n")
