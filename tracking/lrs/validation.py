"""Statement validation: every MUST of xAPI 1.0.3 Data 2.4 and 4, and of xAPI 2.0
(IEEE 9274.1.1) for statements sent with the 2.0.0 version header.

Hand-written on purpose: the JSON Schemas published for xAPI cannot express several rules the
specification makes (exactly one inverse functional identifier, `revision` only with activity
objects, the `-00:00` offset ban), and the pydantic models in `ralph-malph` are a test-only
oracle here (they accept properties the LRS must reject). Each error names the JSON path of the
offending property so a client can find it.
"""

import re
import uuid
from functools import lru_cache
from typing import Any

import langcodes
import rfc3987

from tracking.lrs.errors import XAPIValidationError

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
MBOX_RE = re.compile(r"^mailto:[^@\s:]+@[^@\s]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
# ISO 8601 extended or basic, with an optional zone; RFC 3339 forbids -00:00 (Data 4.5).
TIMESTAMP_RE = re.compile(
    r"^\d{4}-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):?[0-5]\d(:?[0-5]\d(\.\d+)?)?"
    r"(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$"
)
NEGATIVE_ZERO_RE = re.compile(r"-00(:?00)?$")
_NUM = r"\d+(?:[.,]\d+)?"
# ISO 8601:2004 4.4.3.2 (Data 4.6): PnYnMnDTnHnMnS, or PnW on its own (weeks never mix).
DURATION_RE = re.compile(
    rf"^P(?:{_NUM}W|(?!$)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)$"
)
VERSION_RE = re.compile(r"^1\.0(\.\d+)?$")
# xAPI 2.0 accepts statements of either version (IEEE 9274.1.1 Data 2.4.10).
VERSION_2_RE = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")
# xAPI 2.0 Data 4.5: timestamps are RFC 3339 date-times, with seconds and a zone.
RFC3339_RE = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
MIME_RE = re.compile(r"^[\w.+-]+/[\w.+-]+(\s*;.*)?$")

INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
V1 = "1.0.3"
V2 = "2.0.0"
STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
SUBSTATEMENT_KEYS = {
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
}


def fail(path: str, message: str) -> None:
    """Raise the validation error for one property."""
    raise XAPIValidationError(f"{path}: {message}", prop=path)


def check_keys(value: Any, path: str, allowed: set[str], required: tuple = ()) -> dict:
    """An object with only `allowed` keys, all `required` ones, and no nulls (Data 2.2)."""
    if not isinstance(value, dict):
        fail(path, "must be a JSON object")
    # Fast path for valid objects (the common case); the loop below names the bad property.
    if value.keys() <= allowed and None not in value.values():
        for key in required:
            if key not in value:
                fail(f"{path}.{key}", "is required")
        return value
    for key, item in value.items():
        if key not in allowed:
            fail(f"{path}.{key}", "is not a property the specification allows here")
        if item is None:
            fail(f"{path}.{key}", "must not be null")
    for key in required:
        if key not in value:
            fail(f"{path}.{key}", "is required")
    return value


def check_string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        fail(path, "must be a string")
    return value


# Statements repeat the same IRIs and language tags (verbs, activities, extension keys), and
# both checks are costly regular expressions: cache the answers.
@lru_cache(maxsize=65536)
def is_iri(value: str) -> bool:
    return rfc3987.match(value, rule="absolute_IRI") is not None


@lru_cache(maxsize=4096)
def is_language_tag(value: str) -> bool:
    return langcodes.tag_is_valid(value)


def check_iri(value: Any, path: str) -> str:
    """An absolute IRI (Data 4.3)."""
    check_string(value, path)
    if not is_iri(value):
        fail(path, "must be an absolute IRI")
    return value


def check_uuid(value: Any, path: str) -> str:
    check_string(value, path)
    if not UUID_RE.match(value):
        fail(path, "must be a UUID (RFC 4122)")
    return value


def check_bool(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        fail(path, "must be true or false")


def check_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, "must be a number")
    return value


def check_timestamp(value: Any, path: str, *, version: str = V1) -> str:
    """An ISO 8601 timestamp that does not use a negative zero offset (Data 4.5); under
    xAPI 2.0 an RFC 3339 date-time (extended format, seconds and a zone)."""
    check_string(value, path)
    if not TIMESTAMP_RE.match(value):
        fail(path, "must be an ISO 8601 timestamp")
    if version == V2 and not RFC3339_RE.match(value):
        fail(path, "must be an RFC 3339 timestamp, e.g. 2026-01-31T09:30:00.000Z (xAPI 2.0)")
    if NEGATIVE_ZERO_RE.search(value):
        fail(path, "must not use a -00:00 offset; use Z or +00:00")
    return value


def check_language_map(value: Any, path: str) -> None:
    """Keys are RFC 5646 language tags, values strings (Data 4.2)."""
    if not isinstance(value, dict):
        fail(path, "must be a language map object")
    for tag, text in value.items():
        if not is_language_tag(tag):
            fail(f"{path}.{tag}", "is not an RFC 5646 language tag")
        check_string(text, f"{path}.{tag}")


def check_extensions(value: Any, path: str) -> None:
    """Keys are IRIs; values are any JSON, null included (Data 4.1)."""
    if not isinstance(value, dict):
        fail(path, "must be an object")
    for key in value:
        check_iri(key, f"{path}.{key}")


def check_account(value: Any, path: str) -> None:
    check_keys(value, path, {"homePage", "name"}, ("homePage", "name"))
    check_iri(value["homePage"], f"{path}.homePage")
    check_string(value["name"], f"{path}.name")


def check_ifis(value: dict, path: str, *, required: bool) -> None:
    """Exactly one inverse functional identifier, each well formed (Data 2.4.2.3)."""
    present = [key for key in IFIS if key in value]
    if len(present) > 1:
        fail(path, f"has more than one inverse functional identifier: {', '.join(present)}")
    if required and not present:
        fail(path, "needs exactly one of mbox, mbox_sha1sum, openid or account")
    if "mbox" in value and not (isinstance(value["mbox"], str) and MBOX_RE.match(value["mbox"])):
        fail(f"{path}.mbox", "must be a mailto: IRI")
    if "mbox_sha1sum" in value and not (
        isinstance(value["mbox_sha1sum"], str) and SHA1_RE.match(value["mbox_sha1sum"])
    ):
        fail(f"{path}.mbox_sha1sum", "must be a SHA-1 hex digest")
    if "openid" in value:
        check_iri(value["openid"], f"{path}.openid")
    if "account" in value:
        check_account(value["account"], f"{path}.account")
    if "name" in value:
        check_string(value["name"], f"{path}.name")


AGENT_KEYS = frozenset({"objectType", "name", *IFIS})
GROUP_KEYS = AGENT_KEYS | {"member"}


def check_agent(value: Any, path: str) -> None:
    if isinstance(value, dict) and value.get("objectType", "Agent") != "Agent":
        fail(f"{path}.objectType", "must be Agent")
    check_keys(value, path, AGENT_KEYS)
    check_ifis(value, path, required=True)


def check_group(value: Any, path: str) -> None:
    """An identified group has one IFI; an anonymous one needs members (Data 2.4.2.2)."""
    check_keys(value, path, GROUP_KEYS, ("objectType",))
    if value["objectType"] != "Group":
        fail(f"{path}.objectType", "must be Group")
    check_ifis(value, path, required=False)
    members = value.get("member")
    if members is not None:
        if not isinstance(members, list):
            fail(f"{path}.member", "must be an array of agents")
        for index, member in enumerate(members):
            check_agent(member, f"{path}.member[{index}]")
    if not any(key in value for key in IFIS) and not members:
        fail(f"{path}.member", "an anonymous group must list its members")


def check_actor(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        fail(path, "must be an Agent or Group object")
    if value.get("objectType") == "Group":
        check_group(value, path)
    else:
        check_agent(value, path)


def check_verb(value: Any, path: str) -> None:
    check_keys(value, path, {"id", "display"}, ("id",))
    check_iri(value["id"], f"{path}.id")
    if "display" in value:
        check_language_map(value["display"], f"{path}.display")


def check_components(value: Any, path: str) -> None:
    """Interaction components: id and description, ids distinct (Data 2.4.4.1.1)."""
    if not isinstance(value, list):
        fail(path, "must be an array of interaction components")
    seen = set()
    for index, component in enumerate(value):
        item_path = f"{path}[{index}]"
        check_keys(component, item_path, {"id", "description"}, ("id",))
        check_string(component["id"], f"{item_path}.id")
        if component["id"] in seen:
            fail(f"{item_path}.id", "repeats an id already used in this list")
        seen.add(component["id"])
        if "description" in component:
            check_language_map(component["description"], f"{item_path}.description")


# Allowed-key sets built once, not per call (they showed up in ingest profiles).
DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *COMPONENT_LISTS,
    }
)
ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
# xAPI 2.0 Data 2.4.6: agents and groups with the roles they played (relevantTypes).
CONTEXT_KEYS_2 = CONTEXT_KEYS | {"contextAgents", "contextGroups"}


def check_relevant_types(value: Any, path: str) -> None:
    """A non-empty array of IRIs (IEEE 9274.1.1 Data 2.4.6.3, 2.4.6.4)."""
    if not isinstance(value, list) or not value:
        fail(path, "must be a non-empty array of IRIs")
    for index, item in enumerate(value):
        check_iri(item, f"{path}[{index}]")


def check_context_members(value: Any, path: str, kind: str) -> None:
    """contextAgents or contextGroups: arrays of contextAgent / contextGroup objects."""
    member, object_type = (
        ("agent", "contextAgent") if kind == "agent" else ("group", "contextGroup")
    )
    if not isinstance(value, list):
        fail(path, f"must be an array of {object_type} objects")
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        check_keys(item, item_path, {"objectType", member, "relevantTypes"}, ("objectType", member))
        if item["objectType"] != object_type:
            fail(f"{item_path}.objectType", f"must be {object_type}")
        if kind == "agent":
            check_agent(item[member], f"{item_path}.{member}")
        else:
            check_group(item[member], f"{item_path}.{member}")
        if "relevantTypes" in item:
            check_relevant_types(item["relevantTypes"], f"{item_path}.relevantTypes")


def check_definition(value: Any, path: str) -> None:
    check_keys(value, path, DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in value:
            check_language_map(value[key], f"{path}.{key}")
    if "type" in value:
        check_iri(value["type"], f"{path}.type")
    if "moreInfo" in value:
        check_iri(value["moreInfo"], f"{path}.moreInfo")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    # A string check first: `{}` or `[]` are unhashable, and must be a 400, not a 500.
    if "interactionType" in value and not (
        isinstance(value["interactionType"], str) and value["interactionType"] in INTERACTION_TYPES
    ):
        fail(f"{path}.interactionType", "is not one of the interaction types")
    if "correctResponsesPattern" in value:
        # Data 2.4.4.1: interaction properties need the interactionType they describe.
        if "interactionType" not in value:
            fail(f"{path}.correctResponsesPattern", "needs an interactionType")
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            fail(f"{path}.correctResponsesPattern", "must be an array of strings")
    for key in COMPONENT_LISTS:
        if key in value:
            if "interactionType" not in value:
                fail(f"{path}.{key}", "needs an interactionType")
            check_components(value[key], f"{path}.{key}")


def check_activity(value: Any, path: str) -> None:
    check_keys(value, path, ACTIVITY_KEYS, ("id",))
    if value.get("objectType", "Activity") != "Activity":
        fail(f"{path}.objectType", "must be Activity")
    check_iri(value["id"], f"{path}.id")
    if "definition" in value:
        check_definition(value["definition"], f"{path}.definition")


def check_statement_ref(value: Any, path: str) -> None:
    check_keys(value, path, {"objectType", "id"}, ("objectType", "id"))
    if value["objectType"] != "StatementRef":
        fail(f"{path}.objectType", "must be StatementRef")
    check_uuid(value["id"], f"{path}.id")


def check_object(value: Any, path: str, *, in_substatement: bool, version: str = V1) -> None:
    if not isinstance(value, dict):
        fail(path, "must be an object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        check_activity(value, path)
    elif kind == "Agent":
        check_agent(value, path)
    elif kind == "Group":
        check_group(value, path)
    elif kind == "StatementRef":
        check_statement_ref(value, path)
    elif kind == "SubStatement":
        if in_substatement:
            fail(f"{path}.objectType", "a SubStatement must not contain a SubStatement")
        check_substatement(value, path, version=version)
    else:
        fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement")


def check_score(value: Any, path: str) -> None:
    """Scaled in [-1, 1]; raw between min and max; min below max (Data 2.4.5.1)."""
    check_keys(value, path, SCORE_KEYS)
    for key in value:
        check_number(value[key], f"{path}.{key}")
    if "scaled" in value and not -1 <= value["scaled"] <= 1:
        fail(f"{path}.scaled", "must be between -1 and 1")
    low, high, raw = value.get("min"), value.get("max"), value.get("raw")
    if low is not None and high is not None and low >= high:
        fail(f"{path}.min", "must be less than max")
    if raw is not None and low is not None and raw < low:
        fail(f"{path}.raw", "must not be less than min")
    if raw is not None and high is not None and raw > high:
        fail(f"{path}.raw", "must not be more than max")


def check_result(value: Any, path: str) -> None:
    check_keys(value, path, RESULT_KEYS)
    if "score" in value:
        check_score(value["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in value:
            check_bool(value[key], f"{path}.{key}")
    if "response" in value:
        check_string(value["response"], f"{path}.response")
    if "duration" in value and not (
        isinstance(value["duration"], str) and DURATION_RE.match(value["duration"])
    ):
        fail(f"{path}.duration", "must be an ISO 8601 duration")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")


def check_context(value: Any, path: str, statement_object: dict, *, version: str = V1) -> None:
    check_keys(value, path, CONTEXT_KEYS_2 if version == V2 else CONTEXT_KEYS)
    if "contextAgents" in value:
        check_context_members(value["contextAgents"], f"{path}.contextAgents", "agent")
    if "contextGroups" in value:
        check_context_members(value["contextGroups"], f"{path}.contextGroups", "group")
    if "registration" in value:
        check_uuid(value["registration"], f"{path}.registration")
    if "instructor" in value:
        check_actor(value["instructor"], f"{path}.instructor")
    if "team" in value:
        check_group(value["team"], f"{path}.team")
    if "contextActivities" in value:
        activities = check_keys(
            value["contextActivities"], f"{path}.contextActivities", CONTEXT_ACTIVITY_KEYS
        )
        for key, item in activities.items():
            items = item if isinstance(item, list) else [item]
            for index, activity in enumerate(items):
                check_activity(activity, f"{path}.contextActivities.{key}[{index}]")
    is_activity = statement_object.get("objectType", "Activity") == "Activity"
    for key in ("revision", "platform"):
        if key in value:
            check_string(value[key], f"{path}.{key}")
            if not is_activity:
                fail(f"{path}.{key}", "is only allowed when the object is an Activity")
    if "language" in value and not (
        isinstance(value["language"], str) and is_language_tag(value["language"])
    ):
        fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in value:
        check_statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")


def check_attachments(value: Any, path: str) -> None:
    """Attachment metadata (Data 2.4.11); the content is matched in the request layer."""
    if not isinstance(value, list):
        fail(path, "must be an array")
    allowed = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        check_keys(
            item, item_path, allowed, ("usageType", "display", "contentType", "length", "sha2")
        )
        check_iri(item["usageType"], f"{item_path}.usageType")
        check_language_map(item["display"], f"{item_path}.display")
        if "description" in item:
            check_language_map(item["description"], f"{item_path}.description")
        if not (isinstance(item["contentType"], str) and MIME_RE.match(item["contentType"])):
            fail(f"{item_path}.contentType", "must be an Internet Media Type")
        if isinstance(item["length"], bool) or not isinstance(item["length"], int):
            fail(f"{item_path}.length", "must be an integer")
        check_string(item["sha2"], f"{item_path}.sha2")
        if "fileUrl" in item:
            check_iri(item["fileUrl"], f"{item_path}.fileUrl")


def check_core(value: dict, path: str, *, in_substatement: bool, version: str = V1) -> None:
    """The parts a Statement and a SubStatement share."""
    check_actor(value["actor"], f"{path}.actor")
    check_verb(value["verb"], f"{path}.verb")
    check_object(
        value["object"], f"{path}.object", in_substatement=in_substatement, version=version
    )
    if "result" in value:
        check_result(value["result"], f"{path}.result")
    if "context" in value:
        check_context(value["context"], f"{path}.context", value["object"], version=version)
    if "timestamp" in value:
        check_timestamp(value["timestamp"], f"{path}.timestamp", version=version)
    if "attachments" in value:
        check_attachments(value["attachments"], f"{path}.attachments")


def check_substatement(value: dict, path: str, *, version: str = V1) -> None:
    """No id, stored, version or authority, and no nested SubStatement (Data 2.4.4.3)."""
    check_keys(value, path, SUBSTATEMENT_KEYS, ("actor", "verb", "object"))
    check_core(value, path, in_substatement=True, version=version)


def statement_validate(*, statement: Any, path: str = "statement", version: str = V1) -> None:
    """Raise XAPIValidationError naming the first property that breaks Data 2.4 or 4.

    `version` is the request's ("1.0.3" or "2.0.0"): 2.0 adds context agents and groups,
    RFC 3339 timestamps and 2.0.x statement versions.
    """
    check_keys(statement, path, STATEMENT_KEYS, ("actor", "verb", "object"))
    if "id" in statement:
        check_uuid(statement["id"], f"{path}.id")
    check_core(statement, path, in_substatement=False, version=version)
    if "stored" in statement:
        check_timestamp(statement["stored"], f"{path}.stored", version=version)
    if "authority" in statement:
        check_authority(statement["authority"], f"{path}.authority")
    pattern = VERSION_2_RE if version == V2 else VERSION_RE
    if "version" in statement and not (
        isinstance(statement["version"], str) and pattern.match(statement["version"])
    ):
        allowed = "a 1.0.x or 2.0.x version" if version == V2 else "a 1.0.x version"
        fail(f"{path}.version", f"must be {allowed}")
    verb_id = statement["verb"]["id"]
    if verb_id == VOIDED_VERB and statement["object"].get("objectType") != "StatementRef":
        fail(f"{path}.object", "a voiding statement's object must be a StatementRef")


def check_authority(value: Any, path: str) -> None:
    """An Agent, or a Group of exactly two Agents for three-legged OAuth (Data 2.4.9)."""
    check_actor(value, path)
    if value.get("objectType") == "Group":
        # Only the anonymous two-agent group of three-legged OAuth is allowed.
        if any(key in value for key in IFIS):
            fail(path, "an authority group must be anonymous (an OAuth consumer and user)")
        if len(value.get("member", [])) != 2:
            fail(f"{path}.member", "an authority group must have exactly two members")


VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"


SECONDS_FRACTION_RE = re.compile(r"(\d+[.,]\d{2})\d+S$")


def duration_for_comparison(value: Any) -> Any:
    """A duration with its seconds cut to hundredths: xAPI 2.0 Data 4.6 leaves finer
    precision out of every comparison (signatures, re-sent statements)."""
    if isinstance(value, str):
        return SECONDS_FRACTION_RE.sub(r"\1S", value)
    return value


def statement_for_comparison(statement: dict) -> dict:
    """A shallow copy whose result durations (its own and a SubStatement's) are cut to
    hundredths of a second; everything else is left as it is."""
    out = dict(statement)
    if isinstance(out.get("result"), dict) and "duration" in out["result"]:
        out["result"] = {
            **out["result"],
            "duration": duration_for_comparison(out["result"]["duration"]),
        }
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        out["object"] = statement_for_comparison(obj)
    return out


def parse_uuid(value: str) -> uuid.UUID:
    """The UUID in a statement id; call after validation."""
    return uuid.UUID(value)
