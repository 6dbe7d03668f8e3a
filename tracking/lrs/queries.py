"""The SQL behind GET /statements queries (Communication 2.1.3), for PostgreSQL and SQLite.

Hand-written rather than built with the ORM: the ORM's query construction (two querysets with
nested Exists subqueries per request) cost about 9 ms per query against 0.6 ms for the SQL
itself, measured by bench/lrs.py. The SQL is plain enough to read: ordered, limited index scans
on the statement table's (column, stored, id) indexes or, for agent and related-activity
filters, on the side table's (kind, value, stored, statement) index; a related-agents filter
takes one scan per index kind (and one of the client's statements for a client's authority),
merged with UNION ALL.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from config.sql import SQL
from tracking.lrs.models import Statement, StatementIndex

STATEMENTS = Statement._meta.db_table
REFS = StatementIndex._meta.db_table
_UUID_FIELD = Statement._meta.get_field("statement_id")


@dataclass(frozen=True)
class StoredStatement:
    """A row of a query result: enough to render it and to page after it."""

    pk: int
    stored: datetime
    data: dict


def _uuid(value):
    return _UUID_FIELD.get_db_prep_value(value, connection)


def _moment(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return connection.ops.adapt_datetimefield_value(value)


def _column_filters(sql: SQL, alias: str, filters: dict) -> None:
    for column, value in filters.items():
        if column == "registration":
            sql.add(f"{alias}.registration = %s", _uuid(value))
        else:
            sql.add(f"{alias}.{column} = %s", value)


@dataclass(frozen=True)
class Ref:
    """A side-table filter: rows of any of `kinds` with `value`, or the statement's client.

    A related-agent filter reads AGENT and RELATED_AGENT rows (an actor or object agent is
    written once, as AGENT) and, when the agent is a client's authority, that client's
    statements (the authority gets no row). See services._index_refs.
    """

    kinds: tuple[int, ...]
    value: str
    client_id: int | None = None


def _ref_condition(alias: str, ref: Ref) -> tuple[str, list]:
    kinds = ", ".join(["%s"] * len(ref.kinds))
    condition = (
        f"EXISTS (SELECT 1 FROM {REFS} j WHERE j.statement_id = {alias}.id "  # noqa: S608
        f"AND j.kind IN ({kinds}) AND j.value = %s)"
    )
    params = [*ref.kinds, ref.value]
    if ref.client_id is not None:
        condition = f"({condition} OR {alias}.client_id = %s)"
        params.append(ref.client_id)
    return condition, params


def _ref_exists(sql: SQL, alias: str, refs: list[Ref]) -> None:
    for ref in refs:
        condition, params = _ref_condition(alias, ref)
        sql.add(condition, *params)


def _page(sql: SQL, stored: str, pk: str, query, ascending: bool) -> str:
    """Since, until, the consistency ceiling and the `more` cursor; returns ORDER BY."""
    if query.since:
        sql.add(f"{stored} > %s", _moment(query.since))
    for bound in (query.until, query.ceiling):
        if bound:
            sql.add(f"{stored} <= %s", _moment(bound))
    if query.after:
        after_stored, after_pk = _moment(query.after[0]), query.after[1]
        op = ">" if ascending else "<"
        sql.add(
            f"({stored} {op} %s OR ({stored} = %s AND {pk} {op} %s))",
            after_stored,
            after_stored,
            after_pk,
        )
    direction = "ASC" if ascending else "DESC"
    return f"ORDER BY {stored} {direction}, {pk} {direction}"


def _rows(rows) -> list[StoredStatement]:
    return [
        StoredStatement(
            pk=pk,
            stored=datetime.fromisoformat(stored).replace(tzinfo=UTC)
            if isinstance(stored, str)
            else stored,
            data=orjson.loads(data) if isinstance(data, str) else data,
        )
        for pk, stored, data in rows
    ]


def _branch(
    driver: tuple[int, str] | Ref | None, filters: dict, others: list[Ref], client_id, query
) -> tuple[str, SQL]:
    """One ordered, limited scan: of the side table for a (kind, value) driver; of a Ref's
    client's statements lacking the Ref's rows; else of all statements."""
    sql = SQL()
    if isinstance(driver, tuple):
        select = (
            f"SELECT s.id, s.stored, s.data FROM {REFS} i "  # noqa: S608
            f"JOIN {STATEMENTS} s ON s.id = i.statement_id"
        )
        sql.add("i.kind = %s AND i.value = %s", *driver)
        stored, pk = "i.stored", "i.statement_id"
    else:
        select = f"SELECT s.id, s.stored, s.data FROM {STATEMENTS} s"  # noqa: S608
        stored, pk = "s.stored", "s.id"
    if isinstance(driver, Ref):
        sql.add("s.client_id = %s", driver.client_id)
        condition, params = _ref_condition("s", Ref(driver.kinds, driver.value))
        sql.add(f"NOT {condition}", *params)
    sql.add("NOT s.voided")
    _column_filters(sql, "s", filters)
    _ref_exists(sql, "s", others)
    if client_id is not None:
        sql.add("s.client_id = %s", client_id)
    order = _page(sql, stored, pk, query, query.ascending)
    return f"{select} WHERE {sql.where()} {order} LIMIT %s", sql


def _direct(filters: dict, refs: list[Ref], client_id: int | None, query) -> list[tuple[str, SQL]]:
    """Non-voided statements matching the filters themselves: one scan per way to match.

    The first ref drives: one side-table scan per kind it reads (a statement has a value
    under one kind only), plus, for a client's authority, a scan of that client's statements
    without such a row. Each scan is ordered and limited on its own index.
    """
    if not refs:
        return [_branch(None, filters, [], client_id, query)]
    first, *others = refs
    drivers: list = [(kind, first.value) for kind in first.kinds]
    if first.client_id is not None:
        drivers.append(first)
    return [_branch(driver, filters, others, client_id, query) for driver in drivers]


def _referencing(filters: dict, refs: list[Ref], client_id: int | None, query) -> tuple[str, SQL]:
    """Statements whose StatementRef target matches the filters, one level deep.

    Scans only statements with a StatementRef object (a partial index), checking each
    target through the unique statement id.
    """
    target = SQL()
    target.add("t.statement_id = s.ref_statement_id")
    _column_filters(target, "t", filters)
    _ref_exists(target, "t", refs)
    sql = SQL()
    sql.add("s.ref_statement_id IS NOT NULL AND NOT s.voided")
    sql.add(f"EXISTS (SELECT 1 FROM {STATEMENTS} t WHERE {target.where()})", *target.params)  # noqa: S608
    if client_id is not None:
        sql.add("s.client_id = %s", client_id)
    order = _page(sql, "s.stored", "s.id", query, query.ascending)
    text = f"SELECT s.id, s.stored, s.data FROM {STATEMENTS} s WHERE {sql.where()} {order} LIMIT %s"  # noqa: E501, S608
    return text, sql


# The statements PREPAREd on each database connection (Django keeps one per thread), by its
# wrapper; forgotten when Django opens a new connection, as they live and die with it.
_prepared: "WeakKeyDictionary[object, set[str]]" = WeakKeyDictionary()


@receiver(connection_created)
def _forget_prepared(sender, connection, **kwargs) -> None:
    _prepared.pop(connection, None)


def _fetch(text: str, params: list) -> list[tuple]:
    """Run a query; on PostgreSQL as a prepared statement, reused per connection.

    Planning the two-part query costs more than running it (about 1.4 ms against 0.2 ms);
    a prepared statement plans each query shape once per connection. SQL's own PREPARE and
    EXECUTE through Django's cursor (issue 17: no driver-level cursor); the statement is
    named by a hash of its text, and its parameters are inferred from their context.
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    with wrapper.cursor() as cursor:
        if wrapper.vendor != "postgresql":
            cursor.execute(text, params)
            return cursor.fetchall()
        name = "lrs_q_" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
        prepared = _prepared.setdefault(wrapper, set())
        if name not in prepared:
            numbered = iter(range(1, len(params) + 1))
            body = re.sub(r"%s", lambda _match: f"${next(numbered)}", text)
            cursor.execute(f"PREPARE {name} AS {body}")
            prepared.add(name)
        marks = ", ".join(["%s"] * len(params))
        cursor.execute(f"EXECUTE {name} ({marks})" if params else f"EXECUTE {name}", params)
        return cursor.fetchall()


def statements_page(
    *, filters: dict, refs: list[Ref], client_id: int | None, query, limit: int
) -> list[StoredStatement]:
    """Up to `limit` matching statements in stored order, in one round trip.

    With any filter, the statements that target a match through a StatementRef are added
    with UNION ALL (Communication 2.1.3); a statement in both halves is kept once.
    """
    # Refs read through a single kind and no client drive best: one index scan.
    refs = sorted(refs, key=lambda ref: (len(ref.kinds), ref.client_id is not None))
    parts = _direct(filters, refs, client_id, query)
    if filters or refs:
        parts.append(_referencing(filters, refs, client_id, query))
    if len(parts) == 1:
        text, sql = parts[0]
        params = [*sql.params, limit]
    else:
        direction = "ASC" if query.ascending else "DESC"
        text = " UNION ALL ".join(
            f"SELECT * FROM ({part}) p{n}"  # noqa: S608
            for n, (part, _sql) in enumerate(parts)
        )
        text += f" ORDER BY 2 {direction}, 1 {direction}"
        params = [value for _part, sql in parts for value in (*sql.params, limit)]
    rows = _rows(_fetch(text, params))
    seen, unique = set(), []
    for row in rows:
        if row.pk not in seen:
            seen.add(row.pk)
            unique.append(row)
    return unique[:limit]
