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
    # Paging state: the last (stored, pk) returned, and the newest row the first page could see.
    after: tuple[str, int] | None = None
    ceiling: int | None = None
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


def _has_ref(kind: int, value: str) -> Exists:
    return Exists(StatementIndex.objects.filter(statement=OuterRef("pk"), kind=kind, value=value))


def statement_query(
    *, query: StatementQuery, client: LRSClient | None = None
) -> tuple[list[Statement], bool]:
    """The page of matching, non-voided statements by `stored`, and whether more follow."""
    rows = _visible(client=client).filter(voided=False)
    if query.agent_ifi:
        kind = IndexKind.RELATED_AGENT if query.related_agents else IndexKind.AGENT
        rows = rows.filter(_has_ref(kind, query.agent_ifi))
    if query.verb:
        rows = rows.filter(verb_id=query.verb)
    if query.activity:
        if query.related_activities:
            rows = rows.filter(_has_ref(IndexKind.RELATED_ACTIVITY, query.activity))
        else:
            rows = rows.filter(activity_id=query.activity)
    if query.registration:
        rows = rows.filter(registration=query.registration)
    if query.since:
        rows = rows.filter(stored__gt=query.since)
    if query.until:
        rows = rows.filter(stored__lte=query.until)
    if query.ceiling:
        rows = rows.filter(pk__lte=query.ceiling)
    if query.after:
        stored, pk = query.after
        if query.ascending:
            rows = rows.filter(stored__gte=stored).exclude(stored=stored, pk__lte=pk)
        else:
            rows = rows.filter(stored__lte=stored).exclude(stored=stored, pk__gte=pk)
    order = ("stored", "pk") if query.ascending else ("-stored", "-pk")
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    page = list(rows.order_by(*order)[: limit + 1])
    return page[:limit], len(page) > limit


def statement_ceiling() -> int:
    """The newest statement's pk, which fixes the result set across `more` pages."""
    return Statement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def cursor_dump(*, params: dict, last: Statement, ceiling: int) -> str:
    """A tamper-proof token for the next page of the same query."""
    return signing.dumps(
        {"p": params, "a": [last.stored.isoformat(), last.pk], "c": ceiling},
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
