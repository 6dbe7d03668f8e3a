"""Reads from the Learning Record Store: single statements and filtered, paged queries."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet

from tracking.lrs.agents import agent_ifi
from tracking.lrs.errors import XAPINotFound, XAPIValidationError
from tracking.lrs.models import Attachment, IndexKind, LRSClient, Statement
from tracking.lrs.queries import Ref, StoredStatement, statements_page
from tracking.lrs.services import client_authority

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
) -> tuple[list[StoredStatement], bool]:
    """The page of matching, non-voided statements by `stored`, and whether more follow.

    Also returns statements whose StatementRef target matches, voiding statements included
    (Communication 2.1.3, "Filter Conditions for StatementRefs"), one level deep.
    """
    filters, refs = _filters(query)
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    client_id = client.pk if client is not None and not client.can_read_all else None
    page = statements_page(
        filters=filters, refs=refs, client_id=client_id, query=query, limit=limit + 1
    )
    return page[:limit], len(page) > limit


def _authority_client_id(ifi: str) -> int | None:
    """The client whose authority agent has this IFI: its statements carry no index row for
    it (services._index_refs), so a related-agents query finds them by client."""
    key = ifi.removeprefix(f"account:{settings.SITE_URL} ")
    if key == ifi:
        return None
    client = LRSClient.objects.filter(key=key).first()
    if client is None or agent_ifi(client_authority(client)) != ifi:
        return None
    return client.pk


def _filters(query: StatementQuery) -> tuple[dict, list[Ref]]:
    """Column filters on the statement table, and side-table filters (Communication 2.1.3)."""
    filters: dict = {}
    refs = []
    if query.agent_ifi and query.related_agents:
        refs.append(
            Ref(
                kinds=(int(IndexKind.AGENT), int(IndexKind.RELATED_AGENT)),
                value=query.agent_ifi,
                client_id=_authority_client_id(query.agent_ifi),
            )
        )
    elif query.agent_ifi:
        refs.append(Ref(kinds=(int(IndexKind.AGENT),), value=query.agent_ifi))
    if query.activity and query.related_activities:
        refs.append(Ref(kinds=(int(IndexKind.RELATED_ACTIVITY),), value=query.activity))
    elif query.activity:
        filters["activity_id"] = query.activity
    if query.verb:
        filters["verb_id"] = query.verb
    if query.registration:
        filters["registration"] = query.registration
    return filters, refs


def cursor_dump(*, params: dict, last: StoredStatement, ceiling: datetime) -> str:
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
    """The stored attachment parts the statements refer to by sha2, each from the parts its
    own writer sent (issue 15): a statement naming another system's hash gets no content."""
    wanted = {s["id"]: {a["sha2"] for a in s.get("attachments", [])} for s in statements}
    wanted = {sid: hashes for sid, hashes in wanted.items() if hashes}
    if not wanted:
        return []
    writers = dict(
        Statement.objects.filter(statement_id__in=list(wanted)).values_list(
            "statement_id", "client_id"
        )
    )
    by_writer: dict[int | None, set[str]] = {}
    for sid, hashes in wanted.items():
        by_writer.setdefault(writers.get(uuid.UUID(sid)), set()).update(hashes)
    scope = Q()
    for client_id, hashes in by_writer.items():
        owner = Q(client__isnull=True) if client_id is None else Q(client_id=client_id)
        scope |= owner & Q(sha2__in=hashes)
    # One part per hash: equal hashes are equal content, whoever sent it.
    return list({a.sha2: a for a in Attachment.objects.filter(scope).order_by("-pk")}.values())
