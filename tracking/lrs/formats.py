"""Statement result formats: exact, ids and canonical (Communication 2.1.3)."""

import copy

from tracking.lrs.models import Activity

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
LANGUAGE_MAP_KEYS = ("name", "description", "display")


def _agent_ids(agent: dict) -> dict:
    slim = {key: agent[key] for key in ("objectType", *IFI_KEYS) if key in agent}
    if "member" in agent and not any(key in agent for key in IFI_KEYS):
        slim["member"] = [_agent_ids(member) for member in agent["member"]]
    return slim


def _ids(statement: dict) -> dict:
    """Agents keep only identifiers (and objectType), activities and verbs only their id."""
    out = dict(statement)
    out["actor"] = _agent_ids(statement["actor"])
    out["verb"] = {"id": statement["verb"]["id"]}
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        # Only the identifier, at the top level and inside a SubStatement alike (XAPI-00171
        # checks that a SubStatement's Activity has no key but `id`).
        out["object"] = {"id": obj["id"]}
    elif kind in ("Agent", "Group"):
        out["object"] = _agent_ids(obj)
    elif kind == "SubStatement":
        out["object"] = _ids(obj)
    if "authority" in statement:
        out["authority"] = _agent_ids(statement["authority"])
    if "context" in statement:
        context = dict(statement["context"])
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _agent_ids(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [{"id": a["id"]} for a in items]
                for key, items in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def _pick_language(language_map: dict, languages: list[str]) -> dict:
    """Keep the best match for Accept-Language, or the first entry (Communication 2.1.3)."""
    for wanted in languages:
        for tag, text in language_map.items():
            if tag.lower() == wanted:
                return {tag: text}
        for tag, text in language_map.items():
            if tag.lower().split("-")[0] == wanted.split("-")[0]:
                return {tag: text}
    for tag, text in list(language_map.items())[:1]:
        return {tag: text}
    return {}


def _filter_maps(value, languages: list[str], key: str | None = None):
    if isinstance(value, dict):
        if key in LANGUAGE_MAP_KEYS and all(isinstance(v, str) for v in value.values()):
            return _pick_language(value, languages)
        return {
            k: v if k == "extensions" else _filter_maps(v, languages, k) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_filter_maps(item, languages) for item in value]
    return value


def _activities(value, found: list):
    if isinstance(value, dict):
        if (
            value.get("objectType", "Activity") == "Activity"
            and "id" in value
            and ("definition" in value or set(value) <= {"id", "objectType"})
        ):
            found.append(value)
        for key, item in value.items():
            if key not in ("extensions", "actor", "authority", "verb"):
                _activities(item, found)
    elif isinstance(value, list):
        for item in value:
            _activities(item, found)


def statements_format(*, statements: list[dict], fmt: str, languages: list[str]) -> list[dict]:
    """Apply `format` to stored statements; `languages` come from Accept-Language."""
    if fmt == "ids":
        return [_ids(s) for s in statements]
    if fmt != "canonical":
        return statements
    statements = copy.deepcopy(statements)
    found: list[dict] = []
    for statement in statements:
        _activities(statement.get("object"), found)
        _activities(statement.get("context", {}).get("contextActivities"), found)
    canonical = dict(
        Activity.objects.filter(activity_id__in={a["id"] for a in found}).values_list(
            "activity_id", "definition"
        )
    )
    for activity in found:
        if canonical.get(activity["id"]):
            activity["definition"] = canonical[activity["id"]]
    return [_filter_maps(s, languages) for s in statements]


def accept_languages(header: str | None) -> list[str]:
    """Accept-Language tags, best first."""
    if not header:
        return []
    weighted = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*":
            weighted.append((-quality, index, tag.lower()))
    return [tag for _q, _i, tag in sorted(weighted)]
