"""Writes for scenarios: a learner's attempt (start, choose, back, break) and duplication.

Every launch, choice, suspension and completion goes through learning.services
.learning_event_record, so the tracking app can emit xAPI statements (``answered`` with the
chosen option for each decision) and courses can re-check completion. Preview attempts by
editors record nothing there.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from learning.models import EventKind
from learning.services import learning_event_record
from pages.media import MediaFileError, imported_image
from scenarios import engine
from scenarios.models import Attempt, AttemptStatus, ChoiceRecord, Scenario
from scenarios.selectors import attempt_played, scenario_engine


class AttemptError(ValueError):
    """The action is not possible for this attempt (the message is for the learner)."""


STALE_STEP = "You had already moved on from that step, so nothing was changed."


class StaleStepError(AttemptError):
    """The form was for a step the attempt has already left (another tab, or the back button)."""


def _duration(attempt: Attempt) -> int:
    return int((timezone.now() - attempt.started_at).total_seconds())


def _record(attempt: Attempt, kind: EventKind, activity: str, result: dict, extra: dict) -> None:
    if attempt.is_preview:
        return
    learning_event_record(
        user=attempt.learner,
        kind=kind,
        activity=activity,
        registration=attempt.registration,
        module=attempt.module,
        result=result,
        extra={"scenario_id": attempt.scenario_id, "revision_id": attempt.revision_id, **extra},
    )


@transaction.atomic
def attempt_start(*, user, scenario: Scenario, module=None, preview: bool = False) -> Attempt:
    """Start a new attempt at the live revision (the latest draft when previewing).

    Not idempotent: each call is a new attempt (a replay). Raises AttemptError if the scenario
    is not published (or, in preview, cannot start).
    """
    revision = scenario.latest_revision if preview else scenario.live_revision
    if revision is None or (not preview and not scenario.live):
        raise AttemptError("This scenario is not published.")
    try:
        state = engine.start(scenario_engine(scenario=revision.as_object()))
    except (engine.DefinitionError, engine.StepError) as error:
        raise AttemptError(f"This scenario cannot start: {error}") from error
    attempt = Attempt.objects.create(
        learner=user,
        scenario=scenario,
        revision=revision,
        module=module,
        is_preview=preview,
        state=state.to_dict(),
        path=state.path,
    )
    _record(attempt, EventKind.SCENARIO_LAUNCHED, f"scenario:{scenario.pk}", {}, {})
    return attempt


@transaction.atomic
def attempt_resume(*, attempt: Attempt) -> Attempt:
    """Return to an attempt after a break; records a launch marked ``resumed``. Idempotent."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status == AttemptStatus.SUSPENDED:
        attempt.status = AttemptStatus.IN_PROGRESS
        attempt.save(update_fields=["status", "updated_at"])
        _record(
            attempt,
            EventKind.SCENARIO_LAUNCHED,
            f"scenario:{attempt.scenario_id}",
            {},
            {"resumed": True},
        )
    return attempt


@transaction.atomic
def attempt_choose(
    *, attempt: Attempt, choice: str | None, node_key: str | None = None
) -> engine.StepResult:
    """Take a choice (None continues from a situation); records it and any completion.

    Raises AttemptError for a finished attempt, StaleStepError when ``node_key`` (the step the
    form was for) is no longer the current node, and engine.StepError for an impossible choice.
    The row is locked, so a double-submitted form cannot record a choice twice.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status == AttemptStatus.COMPLETED:
        raise AttemptError("This attempt has finished. You can play the scenario again.")
    scenario, state = attempt_played(attempt=attempt)
    node = state.current
    if node_key is not None and node_key != node.key:
        raise StaleStepError(STALE_STEP)
    result = engine.step(state, choice)
    attempt.status = AttemptStatus.IN_PROGRESS
    attempt.score = result.state.score
    attempt.path = result.state.path
    attempt.state = {**result.state.to_dict(), "feedback": None}
    if result.choice is not None:
        picked = result.choice
        ChoiceRecord.objects.create(
            attempt=attempt,
            sequence=attempt.choices.count() + 1,
            node_key=node.key,
            choice_key=picked.key,
            choice_label=picked.label,
            rating=picked.rating,
            score_change=picked.score,
            score_after=result.state.score,
        )
        attempt.state["feedback"] = {"node": node.key, "choice": picked.key}
        _record(
            attempt,
            EventKind.SCENARIO_CHOICE,
            f"decision:{attempt.scenario_id}:{node.key}",
            {
                "response": picked.key,
                "score": {"raw": result.state.score},
                "duration_seconds": _duration(attempt),
            },
            {
                "question": node.question,
                "choice_label": picked.label,
                "rating": picked.rating,
                "choices": [{"key": c.key, "label": c.label} for c in node.choices],
            },
        )
    if result.state.finished:
        attempt.status = AttemptStatus.COMPLETED
        attempt.finished_at = timezone.now()
    # Saved before the completion event: its subscribers (a course embedding this scenario may
    # now be complete, courses.services.learning) read the finished attempt.
    attempt.save()
    if result.state.finished:
        _record(
            attempt,
            EventKind.SCENARIO_COMPLETED,
            f"scenario:{attempt.scenario_id}",
            {
                "score": {"raw": result.state.score},
                "completion": True,
                "duration_seconds": _duration(attempt),
            },
            {"ending": result.node.key, "path": result.state.path},
        )
    return result


@transaction.atomic
def attempt_back(*, attempt: Attempt) -> Attempt:
    """Go back one step where the scenario allows it; the undone choice is marked withdrawn."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    scenario, state = attempt_played(attempt=attempt)
    if not scenario.allow_back:
        raise AttemptError("This scenario does not allow going back.")
    if attempt.status == AttemptStatus.COMPLETED:
        raise AttemptError("This attempt has finished.")
    last = state.history[-1] if state.history else None
    try:
        previous = engine.back(state)
    except engine.StepError as error:
        raise AttemptError(str(error)) from error
    if last is not None and last.choice is not None:
        record = attempt.choices.filter(node_key=last.node, withdrawn=False).last()
        if record is not None:
            record.withdrawn = True
            record.save(update_fields=["withdrawn"])
    attempt.score = previous.score
    attempt.path = previous.path
    attempt.state = {**previous.to_dict(), "feedback": None}
    attempt.save()
    return attempt


@transaction.atomic
def attempt_suspend(*, attempt: Attempt) -> Attempt:
    """Take a break: the state is already saved; mark it and record once. Idempotent."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        attempt.status = AttemptStatus.SUSPENDED
        attempt.save(update_fields=["status", "updated_at"])
        _record(
            attempt,
            EventKind.SCENARIO_SUSPENDED,
            f"scenario:{attempt.scenario_id}",
            {"completion": False, "duration_seconds": _duration(attempt)},
            {"node": attempt.state.get("node")},
        )
    return attempt


@transaction.atomic
def scenario_duplicate(*, scenario: Scenario, user=None) -> Scenario:
    """Copy the latest draft of a scenario as a new unpublished scenario with a free slug."""
    source = scenario.get_latest_revision_as_object()
    base = f"{scenario.slug}-copy"[:90]
    slug, n = base, 1
    while Scenario.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    copy = Scenario(
        title=f"Copy of {source.title}"[:255],
        slug=slug,
        introduction=source.introduction,
        content_note=source.content_note,
        estimated_minutes=source.estimated_minutes,
        allow_back=source.allow_back,
        learning_points=list(source.learning_points),
        recommendations=list(source.recommendations),
        start=source.start,
        nodes=source.nodes.get_prep_value(),
        live=False,
    )
    copy.save()
    copy.save_revision(user=user, log_action=True)
    return copy


class ScenarioImportError(ValueError):
    """The definition cannot be imported; the message lists every problem found."""


def _raw_condition(cond: dict) -> dict:
    def joined(value) -> str:
        return ", ".join(value) if isinstance(value, list) else value or ""

    return {
        "min_score": cond.get("min_score"),
        "chose": joined(cond.get("chose")),
        "not_chose": joined(cond.get("not_chose")),
    }


def _raw_branches(branches: list) -> list[dict]:
    return [{**_raw_condition(b["if"]), "next": b["next"]} for b in branches or []]


def _raw_media(media: dict | None, media_root) -> list[dict]:
    if not media:
        return []
    if media["kind"] == "video":
        return [
            {
                "type": "video",
                "value": {
                    "url": media["url"],
                    "title": media.get("title", ""),
                    "transcript": media.get("transcript", ""),
                },
            }
        ]
    try:
        image = imported_image(file=media["file"], media_root=media_root)
    except MediaFileError:
        raise ScenarioImportError(f"Image “{media['file']}” is not in the media folder.") from None
    return [{"type": "image", "value": {"image": image.pk, "alt": media.get("alt", "")}}]


def _raw_nodes(nodes: list[dict], media_root) -> list[dict]:
    raw = []
    for node in nodes:
        value = {k: v for k, v in node.items() if k not in ("type", "branches", "media")}
        if node["type"] == "situation":
            value.setdefault("speaker", "")
            value["media"] = _raw_media(node.get("media"), media_root)
            value["branches"] = _raw_branches(node.get("branches"))
        elif node["type"] == "decision":
            value["choices"] = [
                {
                    **{k: v for k, v in c.items() if k != "branches"},
                    "branches": _raw_branches(c.get("branches")),
                }
                for c in node["choices"]
            ]
        elif node["type"] == "ending":
            value["notes"] = [
                {**_raw_condition(n["if"]), "text": n["text"]} for n in node.get("notes") or []
            ]
        raw.append({"type": node["type"], "value": value})
    return raw


def _check_fields(data: dict) -> list[str]:
    from scenarios.blocks import LEARNING_POINTS, RECOMMENDATIONS

    problems = [
        f"“{name}” is required."
        for name in ("title", "slug", "introduction")
        if not str(data.get(name) or "").strip()
    ]
    known = {code for code, _ in LEARNING_POINTS + RECOMMENDATIONS}
    for name in ("learning_points", "recommendations"):
        value = data.get(name) or []
        if not isinstance(value, list) or set(map(str, value)) - known:
            problems.append(f"“{name}” must list codes from LP1–LP4 and R1–R11.")
    minutes = data.get("estimated_minutes", 10)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes < 1000:
        problems.append("“estimated_minutes” must be a whole number of minutes.")
    return problems


@transaction.atomic
def scenario_import(*, data, media_root, user=None, publish: bool = True) -> tuple[Scenario, str]:
    """Create or update the scenario with ``data['slug']``; returns it and "created",
    "updated" or "unchanged". Idempotent by slug. Raises ScenarioImportError, writing nothing,
    if the definition is mis-shaped, fails a block's validation or has engine errors.
    """
    from django.core.exceptions import ValidationError

    from scenarios.selectors import scenario_definition

    try:
        graph = engine.scenario_from_dict(data)
    except engine.DefinitionError as error:
        raise ScenarioImportError(str(error)) from error
    problems = _check_fields(data)
    problems += [f"{i.node or 'scenario'}: {i.message}" for i in engine.validate(graph).errors]
    if problems:
        raise ScenarioImportError(" ".join(problems))
    scenario = Scenario.objects.filter(slug=data["slug"]).first()
    created = scenario is None
    if created:
        scenario = Scenario(live=False)
    else:
        scenario = scenario.get_latest_revision_as_object()
        before = scenario_definition(scenario=scenario)
    for name in ("title", "slug", "introduction", "start"):
        setattr(scenario, name, str(data[name]))
    scenario.content_note = str(data.get("content_note") or "")
    scenario.estimated_minutes = data.get("estimated_minutes", 10)
    scenario.allow_back = data.get("allow_back", False)
    scenario.learning_points = [str(v) for v in data.get("learning_points") or []]
    scenario.recommendations = [str(v) for v in data.get("recommendations") or []]
    scenario.nodes = _raw_nodes(data["nodes"], media_root)
    try:
        scenario.full_clean(exclude=["nodes"])
        Scenario._meta.get_field("nodes").stream_block.clean(scenario.nodes)
    except ValidationError as error:
        raise ScenarioImportError(_validation_message(error)) from error
    if (
        not created
        and scenario_definition(scenario=scenario) == before
        and (scenario.live and not scenario.has_unpublished_changes or not publish)
    ):
        return scenario, "unchanged"
    if created:
        scenario.save()  # an existing row keeps its live content until the revision is published
    revision = scenario.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        scenario.refresh_from_db()
    return scenario, "created" if created else "updated"


def _error_lines(data, where: str) -> list[str]:
    lines = [f"{where}: {m}" for m in data.get("messages", [])] if isinstance(data, dict) else []
    if isinstance(data, dict) and "blockErrors" in data:
        children = data["blockErrors"]
        items = children.items() if isinstance(children, dict) else enumerate(children)
        for name, child in items:
            if child is not None:
                label = f"item {name + 1}" if isinstance(name, int) else name
                lines += _error_lines(child, f"{where} › {label}")
    elif isinstance(data, list):
        lines += [f"{where}: {m}" for m in data]
    return lines


def _validation_message(error) -> str:
    """Flatten a (StreamField) ValidationError into lines naming each failing field."""
    if hasattr(error, "as_json_data"):
        data = error.as_json_data()
        if "blockErrors" in data and isinstance(data["blockErrors"], dict):
            lines = []
            for index, child in data["blockErrors"].items():
                lines += _error_lines(child, f"node {index + 1}")
            return " ".join(lines)
    return " ".join(error.messages)
