"""Reads from the Learning Record Store: single statements and filtered, paged queries."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.db.models import Exists, OuterRef, QuerySet

from tracking.lrs.errors import XAPINotFound, XAPIValidationError
from tracking.lrs.models import Attachment, IndexKind, LRSClient, Statement, StatementIndex

MAX_LIMIT = 500
CURSOR_SALT = "tracking.lrs.more"


@dataclass
class StatementQuery:
    """The filters of a GET /statements query (Communication 2.1.3)."""

    agent_ifi: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: uuid.UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    # Paging state: the last (stored, pk) returned, and the first page's consistent-through
    # time, so later pages never show statements stored after it (Communication 2.1.3).
    after: tuple[str, int] | None = None
    ceiling: datetime | None = None
    extra: dict = field(default_factory=dict)


def _visible(*, client: LRSClient | None) -> QuerySet[Statement]:
    """Statements a client may read: all, or only its own with the read-own scope."""
    rows = Statement.objects.all()
    if client is not None and not client.can_read_all:
        rows = rows.filter(client=client)
    return rows


def statement_get(
    *, statement_id: uuid.UUID, voided: bool, client: LRSClient | None = None
) -> Statement:
    """One statement by id; voided ones only when asked by voidedStatementId (Data 2.3.2)."""
    row = _visible(client=client).filter(statement_id=statement_id, voided=voided).first()
    if row is None:
        raise XAPINotFound(f"no statement {statement_id}")
    return row


def statement_query(
    *, query: StatementQuery, client: LRSClient | None = None
) -> tuple[list[Statement], bool]:
    """The page of matching, non-voided statements by `stored`, and whether more follow.

    With an `agent` or related-activity filter the scan starts from the side table's
    (kind, value, stored) index, so a page costs a few index reads however many rows match;
    otherwise it uses the statement table's (column, stored, id) indexes.
    """
    filters, refs = _filters(query)
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    if refs:
        (kind, value), *others = refs
        rows = StatementIndex.objects.filter(
            kind=kind, value=value, **{f"statement__{k}": v for k, v in filters.items()}
        )
        for other_kind, other_value in others:
            rows = rows.filter(
                Exists(
                    StatementIndex.objects.filter(
                        statement=OuterRef("statement"), kind=other_kind, value=other_value
                    )
                )
            )
        if client is not None and not client.can_read_all:
            rows = rows.filter(statement__client=client)
        rows = _page(rows, query, stored="stored", pk="statement_id")
        page = [ref.statement for ref in rows.select_related("statement")[: limit + 1]]
    else:
        rows = _page(_visible(client=client).filter(**filters), query, stored="stored", pk="pk")
        page = list(rows[: limit + 1])
    if len(filters) > 1 or refs:
        page = _merge(page, _referencing(query, filters, refs, client, limit), query.ascending)
    return page[:limit], len(page) > limit


def _referencing(
    query: StatementQuery, filters: dict, refs: list, client, limit: int
) -> list[Statement]:
    """Statements whose StatementRef target matches the filters (Communication 2.1.3,
    "Filter Conditions for StatementRefs"), voiding statements included; one level deep.

    Scans only statements that have a StatementRef object, in stored order, through a partial
    index, checking each target by its unique id.
    """
    target_filters = {k: v for k, v in filters.items() if k != "voided"}
    targets = Statement.objects.filter(statement_id=OuterRef("ref_statement_id"), **target_filters)
    for kind, value in refs:
        targets = targets.filter(
            Exists(StatementIndex.objects.filter(statement=OuterRef("pk"), kind=kind, value=value))
        )
    rows = _visible(client=client).filter(ref_statement_id__isnull=False, voided=False)
    rows = _page(rows.filter(Exists(targets)), query, stored="stored", pk="pk")
    return list(rows[: limit + 1])


def _merge(first: list[Statement], second: list[Statement], ascending: bool) -> list[Statement]:
    """Two pages in (stored, pk) order merged into one, without duplicates."""
    if not second:
        return first
    unique = {row.pk: row for row in [*first, *second]}
    return sorted(unique.values(), key=lambda row: (row.stored, row.pk), reverse=not ascending)


def _filters(query: StatementQuery) -> tuple[dict, list[tuple[int, str]]]:
    """Column filters on the statement table, and (kind, value) side-table filters."""
    filters: dict = {"voided": False}
    refs = []
    if query.agent_ifi:
        kind = IndexKind.RELATED_AGENT if query.related_agents else IndexKind.AGENT
        refs.append((int(kind), query.agent_ifi))
    if query.activity and query.related_activities:
        refs.append((int(IndexKind.RELATED_ACTIVITY), query.activity))
    elif query.activity:
        filters["activity_id"] = query.activity
    if query.verb:
        filters["verb_id"] = query.verb
    if query.registration:
        filters["registration"] = query.registration
    return filters, refs


def _page(rows: QuerySet, query: StatementQuery, *, stored: str, pk: str) -> QuerySet:
    """Apply since/until, the consistency ceiling, the `more` cursor and the order."""
    if query.since:
        rows = rows.filter(**{f"{stored}__gt": query.since})
    if query.until:
        rows = rows.filter(**{f"{stored}__lte": query.until})
    if query.ceiling:
        rows = rows.filter(**{f"{stored}__lte": query.ceiling})
    if query.after:
        after_stored, after_pk = query.after
        if query.ascending:
            rows = rows.filter(**{f"{stored}__gte": after_stored}).exclude(
                **{stored: after_stored, f"{pk}__lte": after_pk}
            )
        else:
            rows = rows.filter(**{f"{stored}__lte": after_stored}).exclude(
                **{stored: after_stored, f"{pk}__gte": after_pk}
            )
    if query.ascending:
        return rows.order_by(stored, pk)
    return rows.order_by(f"-{stored}", f"-{pk}")


def cursor_dump(*, params: dict, last: Statement, ceiling: datetime) -> str:
    """A tamper-proof token for the next page of the same query."""
    return signing.dumps(
        {"p": params, "a": [last.stored.isoformat(), last.pk], "c": ceiling.isoformat()},
        salt=CURSOR_SALT,
        compress=True,
    )


def cursor_load(*, token: str) -> dict:
    """The query a `more` link continues; XAPIValidationError when the token is not ours."""
    try:
        return signing.loads(token, salt=CURSOR_SALT)
    except signing.BadSignature:
        raise XAPIValidationError("more: this link is not valid", prop="more") from None


def attachments_for(*, statements: list[dict]) -> list[Attachment]:
    """The stored attachment parts the statements refer to by sha2."""
    hashes = {a["sha2"] for s in statements for a in s.get("attachments", [])}
    return list(Attachment.objects.filter(sha2__in=hashes)) if hashes else []
