"""Query parameter parsing for the xAPI resources: 400 naming the parameter on bad input."""

import uuid
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from tracking.lrs.agents import agent_from_param, agent_ifi
from tracking.lrs.errors import XAPIValidationError
from tracking.lrs.selectors import StatementQuery, cursor_load
from tracking.lrs.validation import UUID_RE, check_iri, check_timestamp

QUERY_PARAMS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "more",
}


def uuid_param(params: dict, name: str, *, required: bool = False) -> uuid.UUID | None:
    value = params.get(name)
    if value is None:
        if required:
            raise XAPIValidationError(f"{name}: is required", prop=name)
        return None
    if not UUID_RE.match(value):
        raise XAPIValidationError(f"{name}: must be a UUID", prop=name)
    return uuid.UUID(value)


def timestamp_param(params: dict, name: str) -> datetime | None:
    value = params.get(name)
    if value is None:
        return None
    check_timestamp(value, name)
    moment = parse_datetime(value.replace(" ", "+"))
    if moment is None:
        raise XAPIValidationError(f"{name}: must be an ISO 8601 timestamp", prop=name)
    # A timestamp without a zone is read as UTC, the zone the LRS stores in.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def bool_param(params: dict, name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise XAPIValidationError(f"{name}: must be true or false", prop=name)
    return value == "true"


def iri_param(params: dict, name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise XAPIValidationError(f"{name}: is required", prop=name)
        return None
    return check_iri(value, name)


def statement_query_from(params: dict, *, now: datetime) -> tuple[StatementQuery, dict]:
    """The StatementQuery for GET /statements parameters, or for a `more` link's token."""
    unknown = set(params) - QUERY_PARAMS
    if unknown:
        name = sorted(unknown)[0]
        raise XAPIValidationError(f"{name}: not a statements query parameter", prop=name)
    after, ceiling = None, None
    if "more" in params:
        cursor = cursor_load(token=params["more"])
        params, after = cursor["p"], tuple(cursor["a"])
        ceiling = datetime.fromisoformat(cursor["c"])
    limit_raw = params.get("limit", "0")
    if not limit_raw.isdigit():
        raise XAPIValidationError("limit: must be a non-negative integer", prop="limit")
    agent = agent_from_param(params["agent"]) if "agent" in params else None
    query = StatementQuery(
        agent_ifi=agent_ifi(agent) if agent else None,
        verb=iri_param(params, "verb"),
        activity=iri_param(params, "activity"),
        registration=uuid_param(params, "registration"),
        related_activities=bool_param(params, "related_activities"),
        related_agents=bool_param(params, "related_agents"),
        since=timestamp_param(params, "since"),
        until=timestamp_param(params, "until"),
        limit=int(limit_raw),
        ascending=bool_param(params, "ascending"),
        after=after,
        ceiling=ceiling or now,
    )
    return query, {k: v for k, v in params.items() if k != "more"}
