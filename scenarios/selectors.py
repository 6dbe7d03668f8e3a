"""Reads for scenarios: definitions for the engine and export, attempts, completion, exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from django.core.cache import cache
from django.db.models import QuerySet

from config.safe_yaml import text_normalised
from scenarios import engine
from scenarios.models import Attempt, AttemptStatus, ChoiceRecord, Scenario

SCENARIO_FIELDS = (
    "title",
    "slug",
    "introduction",
    "content_note",
    "estimated_minutes",
    "allow_back",
    "learning_points",
    "recommendations",
    "start",
)


def _condition(raw) -> dict:
    cond = {}
    if raw.get("min_score") is not None:
        cond["min_score"] = raw["min_score"]
    for name in ("chose", "not_chose"):
        refs = engine.refs(raw.get(name))
        if refs:
            # One reference stays text, several a list: the forms content/FORMAT.md shows.
            cond[name] = refs[0] if len(refs) == 1 else list(refs)
    return cond


def _branches(raw) -> list[dict]:
    return [{"if": _condition(b), "next": b.get("next") or ""} for b in raw or []]


def _media(raw, *, with_ids: bool) -> dict | None:
    for item in raw or []:
        value = item.value
        if item.block_type == "image":
            image = value.get("image")
            media = {"kind": "image", "file": image.title if image else "", "alt": value["alt"]}
            if with_ids and image is not None:
                media["image_id"] = image.pk
            return media
        return {
            "kind": "video",
            "url": value["url"],
            "title": value["title"],
            "transcript": value["transcript"],
        }
    return None


def _node(block, *, with_ids: bool) -> dict[str, Any]:
    value, kind = block.value, block.block_type
    node: dict[str, Any] = {"key": value["key"], "type": kind}
    if kind == "situation":
        if value["speaker"]:
            node["speaker"] = value["speaker"]
        node["text"] = value["text"]
        media = _media(value["media"], with_ids=with_ids)
        if media:
            node["media"] = media
        node["next"] = value["next"]
        if value["branches"]:
            node["branches"] = _branches(value["branches"])
    elif kind == "decision":
        node["question"] = value["question"]
        node["choices"] = []
        for choice in value["choices"]:
            item = {name: choice[name] for name in ("key", "label", "feedback", "score", "rating")}
            item["learning_points"] = list(choice["learning_points"] or [])
            item["next"] = choice["next"]
            if choice["branches"]:
                item["branches"] = _branches(choice["branches"])
            node["choices"].append(item)
        if value.get("shuffle"):
            node["shuffle"] = True
    else:
        node["outcome"] = value["outcome"]
        node["debrief"] = value["debrief"]
        node["learning_points"] = list(value["learning_points"] or [])
        node["services"] = list(value["services"] or [])
        for name in ("praises", "misses"):
            if value.get(name):
                node[name] = list(value[name])
        if value.get("notes"):
            node["notes"] = [{"if": _condition(n), "text": n["text"]} for n in value["notes"]]
    return node


def nodes_definition(*, nodes, with_ids: bool = False) -> list[dict[str, Any]]:
    """A StreamField value as the node list of content/FORMAT.md."""
    return [_node(block, with_ids=with_ids) for block in nodes]


def scenario_definition(*, scenario: Scenario, with_ids: bool = False) -> dict[str, Any]:
    """The scenario as the content/FORMAT.md dict (``with_ids`` adds image ids for the player)."""
    data: dict[str, Any] = {name: getattr(scenario, name) for name in SCENARIO_FIELDS}
    data["learning_points"] = list(data["learning_points"] or [])
    data["recommendations"] = list(data["recommendations"] or [])
    data["nodes"] = nodes_definition(nodes=scenario.nodes, with_ids=with_ids)
    return data


def scenario_engine(*, scenario: Scenario) -> engine.Scenario:
    """The engine's view of a scenario; raises engine.DefinitionError if it is mis-shaped."""
    return engine.scenario_from_dict(scenario_definition(scenario=scenario, with_ids=True))


def scenario_report(*, scenario: Scenario) -> engine.Report:
    """Validation of the scenario as saved (a mis-shaped definition is one scenario error)."""
    try:
        return engine.validate(scenario_engine(scenario=scenario))
    except engine.DefinitionError as error:
        report = engine.Report()
        report.add("", "definition", str(error))
        return report


def scenario_list_published() -> QuerySet[Scenario]:
    """Live scenarios, by title."""
    return Scenario.objects.filter(live=True).order_by("title")


@dataclass(frozen=True)
class Played:
    """A scenario as one revision has it: what the player pages show, and the engine's graph."""

    title: str
    slug: str
    allow_back: bool
    graph: engine.Scenario


# A revision's content does not change (when Wagtail overwrites a draft revision it renews its
# created_at), so what is built from it is kept under its id and time. Building it (the
# revision's JSON to a model, then its StreamField to the engine's graph) was most of each
# player page's work, and a learner's every step built it once or twice.
PLAYED_CACHE_SECONDS = 24 * 3600


def _played(scenario: Scenario) -> Played:
    return Played(
        title=scenario.title,
        slug=scenario.slug,
        allow_back=scenario.allow_back,
        graph=scenario_engine(scenario=scenario),
    )


def attempt_played(*, attempt: Attempt) -> tuple[Played, engine.State]:
    """The scenario as at the attempt's revision, and the attempt's engine state."""
    revision = attempt.revision
    if revision is None:
        played = _played(attempt.scenario)
    else:
        key = f"scenarios:played:{revision.pk}:{revision.created_at.timestamp()}"
        played = cache.get(key)
        if played is None:
            played = _played(revision.as_object())
            cache.set(key, played, PLAYED_CACHE_SECONDS)
    return played, engine.State.from_dict(played.graph, attempt.state)


def score_range(*, state: engine.State) -> tuple[int, int] | None:
    """The lowest and highest final scores over every path of the played scenario, or None
    when it has too many paths to walk."""
    try:
        scores = [path.score for path in engine.paths(state.scenario)]
    except engine.PathLimitError:
        return None
    return (min(scores), max(scores)) if scores else None


def attempt_unfinished(*, user, scenario: Scenario, preview: bool = False) -> Attempt | None:
    """The learner's most recent attempt at the scenario that is not yet completed."""
    return (
        Attempt.objects.filter(learner=user, scenario=scenario, is_preview=preview)
        .exclude(status=AttemptStatus.COMPLETED)
        .order_by("-started_at")
        .first()
    )


def attempt_for_learner(*, user, registration) -> Attempt:
    """The learner's own attempt; raises Attempt.DoesNotExist for anyone else's."""
    return Attempt.objects.select_related("scenario", "revision").get(
        registration=registration, learner=user
    )


def attempt_choices(*, attempt: Attempt) -> QuerySet[ChoiceRecord]:
    """The choices that stand (not withdrawn by going back), in order."""
    return attempt.choices.filter(withdrawn=False).order_by("sequence")


def scenarios_completed_by(*, user, scenario_ids) -> set[int]:
    """Ids among ``scenario_ids`` that the user has a completed (non-preview) attempt at."""
    return set(
        Attempt.objects.filter(
            learner=user,
            scenario_id__in=list(scenario_ids),
            status=AttemptStatus.COMPLETED,
            is_preview=False,
        ).values_list("scenario_id", flat=True)
    )


def services_for_ids(*, ids: list[str]) -> list:
    """Directory services for the ids, when the directory app provides its selector."""
    if not ids:
        return []
    try:
        from directory.selectors import service_list_by_ids
    except ImportError:
        return []
    return list(service_list_by_ids(ids=ids))


def service_link_messages(*, ids: list[str]) -> dict[str, str]:
    """Warnings about linked directory services (missing, unpublished, stale) by service id,
    in one query for all the ids given; empty without the directory app."""
    if not ids:
        return {}
    try:
        from directory.selectors import service_link_warnings
    except ImportError:
        return {}
    return {str(w.service_id): w.message for w in service_link_warnings(ids=ids)}


def personal_data_for_user(*, user) -> dict[str, Any]:
    """Every scenario attempt and choice of the user, for a subject access export."""
    attempts = (
        Attempt.objects.filter(learner=user, is_preview=False)
        .select_related("scenario")
        .prefetch_related("choices")
        .order_by("started_at")
    )
    return {
        "scenario_attempts": [
            {
                "scenario": attempt.scenario.title,
                "scenario_slug": attempt.scenario.slug,
                "registration": str(attempt.registration),
                "status": attempt.status,
                "started_at": attempt.started_at.isoformat(),
                "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
                "score": attempt.score,
                "path": attempt.path,
                "choices": [
                    {
                        "decision": c.node_key,
                        "choice": c.choice_key,
                        "label": c.choice_label,
                        "rating": c.rating,
                        "score_change": c.score_change,
                        "chosen_at": c.chosen_at.isoformat(),
                        "withdrawn": c.withdrawn,
                    }
                    for c in attempt.choices.all()
                ],
            }
            for attempt in attempts
        ]
    }


class _LiteralDumper(yaml.SafeDumper):
    """Write multi-line text as YAML block scalars so exported Markdown stays readable."""


def _str_presenter(dumper, value: str):
    value = text_normalised(value)
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _str_presenter)


def scenario_yaml(*, scenario: Scenario) -> str:
    """The scenario as a YAML document that import_scenario reads back unchanged."""
    return yaml.dump(
        scenario_definition(scenario=scenario),
        Dumper=_LiteralDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
