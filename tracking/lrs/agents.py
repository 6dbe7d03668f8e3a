"""Agent identity: the normalised IFI string used for indexing, and the references a statement
makes to agents and activities (for the `agent`, `related_agents`, `related_activities` filters).
"""

import json
from collections.abc import Iterator

from tracking.lrs.errors import XAPIValidationError
from tracking.lrs.validation import check_actor


def agent_ifi(agent: dict) -> str | None:
    """'mbox:mailto:a@b', 'account:<homePage> <name>' and so on; None for anonymous groups."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{agent['mbox_sha1sum'].lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent:
        account = agent["account"]
        return f"account:{account['homePage']} {account['name']}"
    return None


def agent_from_param(raw: str, name: str = "agent") -> dict:
    """Parse and validate an Agent (or identified Group) JSON query parameter."""
    try:
        agent = json.loads(raw)
    except ValueError:
        raise XAPIValidationError(f"{name}: must be JSON", prop=name) from None
    if not isinstance(agent, dict):
        raise XAPIValidationError(f"{name}: must be a JSON object", prop=name)
    check_actor(agent, name)
    if agent_ifi(agent) is None:
        raise XAPIValidationError(f"{name}: needs an identifier", prop=name)
    return agent


def _actor_ifis(actor: dict, *, with_members: bool) -> Iterator[str]:
    ifi = agent_ifi(actor)
    if ifi:
        yield ifi
    if with_members:
        for member in actor.get("member", []):
            yield from _actor_ifis(member, with_members=False)


def _context_activity_ids(context: dict) -> Iterator[str]:
    for items in context.get("contextActivities", {}).values():
        for activity in items if isinstance(items, list) else [items]:
            yield activity["id"]


def statement_agents(statement: dict, *, with_authority: bool = True) -> tuple[set[str], set[str]]:
    """(actor-or-object agents, every agent anywhere) as IFI strings (Communication 2.1.3);
    the authority's only when `with_authority`."""
    direct = set(_actor_ifis(statement["actor"], with_members=False))
    obj = statement["object"]
    if obj.get("objectType") in ("Agent", "Group"):
        direct |= set(_actor_ifis(obj, with_members=False))
    related = set(_actor_ifis(statement["actor"], with_members=True))
    if obj.get("objectType") in ("Agent", "Group"):
        related |= set(_actor_ifis(obj, with_members=True))
    context = statement.get("context", {})
    for key in ("instructor", "team"):
        if key in context:
            related |= set(_actor_ifis(context[key], with_members=True))
    # xAPI 2.0 context agents and groups are agents of the statement too (related_agents).
    for item in context.get("contextAgents", ()):
        related |= set(_actor_ifis(item["agent"], with_members=False))
    for item in context.get("contextGroups", ()):
        related |= set(_actor_ifis(item["group"], with_members=True))
    if with_authority and "authority" in statement:
        related |= set(_actor_ifis(statement["authority"], with_members=True))
    if obj.get("objectType") == "SubStatement":
        _sub_direct, sub_related = statement_agents(obj)
        related |= sub_related
    return direct, related


def statement_activities(statement: dict) -> set[str]:
    """Every activity id in the object, context activities and any SubStatement."""
    found = set(_context_activity_ids(statement.get("context", {})))
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        found.add(obj["id"])
    elif kind == "SubStatement":
        found |= statement_activities(obj)
    return found
