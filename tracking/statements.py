"""The one place that turns a learning event into an xAPI statement (pure: reads, never writes).

Statements are built with ADL's ``tincan`` objects and serialised as xAPI 1.0.3. Activity IRIs
come from ids (``tracking.vocabulary.activity_iri``), never slugs, so they survive editors'
renames. The actor is the learner's pseudonymous account; names and email never appear here
(a destination configured for ``mbox`` gets the email swapped in when it is sent). Reflection
text is private and never leaves the platform: its statement says only that one was written.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    AgentAccount,
    Context,
    ContextActivities,
    InteractionComponent,
    Result,
    Score,
    Statement,
    StatementRef,
    Verb,
)

from learning.models import EventKind
from tracking import vocabulary as v

XAPI_VERSION = "1.0.3"

# Event kind -> verb. COMPLETION_REVOKED is handled apart (voiding statements).
VERBS = {
    EventKind.ENROLLED: v.VERB_REGISTERED,
    EventKind.COURSE_LAUNCHED: v.VERB_LAUNCHED,
    EventKind.MODULE_LAUNCHED: v.VERB_INITIALIZED,
    EventKind.SECTION_VIEWED: v.VERB_PROGRESSED,
    EventKind.CHECK_ANSWERED: v.VERB_ANSWERED,
    EventKind.REFLECTION_SUBMITTED: v.VERB_COMPLETED,
    EventKind.MODULE_COMPLETED: v.VERB_COMPLETED,
    EventKind.COURSE_COMPLETED: v.VERB_COMPLETED,
    EventKind.COURSE_PASSED: v.VERB_PASSED,
    EventKind.COURSE_FAILED: v.VERB_FAILED,
    EventKind.SCENARIO_LAUNCHED: v.VERB_LAUNCHED,
    EventKind.SCENARIO_CHOICE: v.VERB_ANSWERED,
    EventKind.SCENARIO_SUSPENDED: v.VERB_SUSPENDED,
    EventKind.SCENARIO_COMPLETED: v.VERB_COMPLETED,
    EventKind.EVENT_BOOKED: v.VERB_REGISTERED,
    EventKind.EVENT_ATTENDED: v.VERB_ATTENDED,
    EventKind.EVENT_COMPLETED: v.VERB_COMPLETED,
}
# The verbs whose statements a revoked completion voids.
COMPLETION_VERBS = (v.VERB_COMPLETED, v.VERB_PASSED)
# Corrections sent as voiding statements (Data 2.3.2): kind -> the verbs of the registration's
# statements on the same activity that it voids.
VOIDING = {
    EventKind.COMPLETION_REVOKED: COMPLETION_VERBS,
    EventKind.EVENT_BOOKING_CANCELLED: (v.VERB_REGISTERED,),
    EventKind.EVENT_ATTENDANCE_CORRECTED: (v.VERB_ATTENDED, v.VERB_COMPLETED),
}


class StatementBuildError(ValueError):
    """The event cannot be expressed as a statement: a bug, never silently dropped."""


def _lang(text: str) -> dict:
    return {v.LANGUAGE: text}


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _iri(key: str) -> str:
    return v.activity_iri(site_url=_site(), key=key)


def _verb(verb_id: str) -> Verb:
    return Verb(id=verb_id, display={"en-US": v.VERB_DISPLAY[verb_id]})


def actor_account(*, user) -> Agent:
    """The learner as a pseudonymous account agent (homePage SITE_URL, name their pseudonym)."""
    return Agent(account=AgentAccount(home_page=_site(), name=str(user.pseudonym)))


def _page_activity(page, *, kind: str, type_iri: str) -> Activity:
    definition = ActivityDefinition(name=_lang(page.title), type=type_iri)
    summary = getattr(page, "summary", "")
    if summary:
        definition.description = _lang(summary)
    return Activity(id=_iri(f"{kind}:{page.pk}"), definition=definition)


@dataclass
class _Parts:
    """The pieces of one statement, gathered per event kind."""

    obj: Activity
    parent: list
    grouping: list
    other: list
    result: Result | None = None


def _course_of(event):
    if event.course is not None:
        return event.course
    return event.module.get_parent() if event.module is not None else None


def _hierarchy(event, course) -> tuple[list, list]:
    """(parent, grouping) for an activity inside a module: the module, then the course."""
    module = (
        _page_activity(event.module, kind="module", type_iri=v.TYPE_MODULE)
        if event.module
        else None
    )
    course_activity = (
        _page_activity(course, kind="course", type_iri=v.TYPE_COURSE) if course else None
    )
    if module:
        return [module], [course_activity] if course_activity else []
    return ([course_activity] if course_activity else []), []


def _score(data: dict | None) -> Score | None:
    if not data or data.get("max", 1) <= data.get("min", 0):
        return None  # e.g. a course with no knowledge checks: 0 of 0 is no score at all
    return Score(**{key: data[key] for key in ("raw", "min", "max", "scaled") if key in data})


def _result(event, **more) -> Result | None:
    data = event.result or {}
    result = Result(**more)
    if "score" in data:
        result.score = _score(data["score"])
    if "success" in data:
        result.success = bool(data["success"])
    if "completion" in data:
        result.completion = bool(data["completion"])
    if "duration_seconds" in data:
        result.duration = timedelta(seconds=int(data["duration_seconds"]))
    empty = not any(
        getattr(result, f, None) is not None
        for f in ("score", "success", "completion", "duration", "response", "extensions")
    )
    return None if empty else result


def _check_parts(event, course) -> _Parts:
    from courses.selectors.structure import module_block

    _, module_id, block_id = event.activity.split(":", 2)
    block = module_block(module=event.module.specific, block_id=block_id)
    if block is None:
        raise StatementBuildError(f"{event.activity}: the knowledge check no longer exists")
    options = block.value["options"]
    definition = ActivityDefinition(
        name=_lang(block.value["question"]),
        type=v.TYPE_INTERACTION,
        interaction_type="choice",
        correct_responses_pattern=[
            "[,]".join(str(n) for n, o in enumerate(options) if o["correct"])
        ],
        choices=[
            InteractionComponent(id=str(n), description=_lang(o["text"]))
            for n, o in enumerate(options)
        ],
    )
    parent, grouping = _hierarchy(event, course)
    response = "[,]".join(str(n) for n in (event.result or {}).get("response", []))
    return _Parts(
        Activity(id=_iri(event.activity), definition=definition),
        parent,
        grouping,
        [],
        _result(event, response=response),
    )


def _scenario_activity(scenario_id: int) -> Activity:
    from scenarios.models import Scenario

    title = Scenario.objects.filter(pk=scenario_id).values_list("title", flat=True).first()
    definition = ActivityDefinition(
        name=_lang(title or f"Scenario {scenario_id}"), type=v.TYPE_SIMULATION
    )
    return Activity(id=_iri(f"scenario:{scenario_id}"), definition=definition)


def _decision_parts(event, course) -> _Parts:
    extra = event.extra
    scenario = _scenario_activity(int(extra["scenario_id"]))
    definition = ActivityDefinition(
        name=_lang(extra.get("question") or "Decision"),
        type=v.TYPE_INTERACTION,
        interaction_type="choice",
        choices=[
            InteractionComponent(id=c["key"], description=_lang(c["label"]))
            for c in extra.get("choices", [])
        ],
    )
    parent, grouping = _hierarchy(event, course)
    extensions = {}
    if extra.get("rating"):
        extensions[v.extension_iri(site_url=_site(), name=v.EXT_RATING)] = extra["rating"]
    result = _result(
        event, response=str(event.result.get("response", "")), extensions=extensions or None
    )
    return _Parts(
        Activity(id=_iri(event.activity), definition=definition),
        [scenario],
        [*parent, *grouping],
        [],
        result,
    )


def _training_event_parts(event) -> _Parts:
    """A session of a training event (a meeting) inside the event; names come from ``extra``."""
    extra = event.extra
    session = Activity(
        id=_iri(event.activity),
        definition=ActivityDefinition(
            name=_lang(f"{extra['event_title']}, session of {extra['starts_at'][:10]}"),
            type=v.TYPE_MEETING,
        ),
    )
    parent = Activity(
        id=_iri(f"event:{extra['event_id']}"),
        definition=ActivityDefinition(name=_lang(extra["event_title"]), type=v.TYPE_COURSE),
    )
    attendance = (event.result or {}).get("attendance")
    extensions = (
        {v.extension_iri(site_url=_site(), name=v.EXT_ATTENDANCE): attendance}
        if attendance
        else None
    )
    return _Parts(session, [parent], [], [], _result(event, extensions=extensions))


def _parts(event) -> _Parts:
    kind = EventKind(event.kind)
    if kind in (EventKind.EVENT_BOOKED, EventKind.EVENT_ATTENDED, EventKind.EVENT_COMPLETED):
        return _training_event_parts(event)
    course = _course_of(event)
    if kind in (EventKind.ENROLLED, EventKind.COURSE_LAUNCHED) or kind in (
        EventKind.COURSE_COMPLETED,
        EventKind.COURSE_PASSED,
        EventKind.COURSE_FAILED,
    ):
        if course is None:  # recorded without the page: the activity key still names it
            obj = Activity(
                id=_iri(event.activity), definition=ActivityDefinition(type=v.TYPE_COURSE)
            )
        else:
            obj = _page_activity(course, kind="course", type_iri=v.TYPE_COURSE)
        return _Parts(obj, [], [], [], _result(event))
    if kind in (EventKind.MODULE_LAUNCHED, EventKind.MODULE_COMPLETED):
        obj = _page_activity(event.module, kind="module", type_iri=v.TYPE_MODULE)
        parent = [_page_activity(course, kind="course", type_iri=v.TYPE_COURSE)]
        return _Parts(obj, parent, [], [], _result(event))
    if kind == EventKind.SECTION_VIEWED:
        obj = _page_activity(event.module, kind="module", type_iri=v.TYPE_MODULE)
        parent = [_page_activity(course, kind="course", type_iri=v.TYPE_COURSE)]
        position, of = int(event.extra["position"]), int(event.extra["of"])
        section = Activity(
            id=_iri(event.activity),
            definition=ActivityDefinition(
                name=_lang(f"{event.module.title}: section {position} of {of}"),
                type=v.TYPE_LESSON,
            ),
        )
        result = Result(extensions={v.EXT_PROGRESS: min(100, position * 100 // max(of, 1))})
        return _Parts(obj, parent, [], [section], result)
    if kind == EventKind.CHECK_ANSWERED:
        return _check_parts(event, course)
    if kind == EventKind.REFLECTION_SUBMITTED:
        # Private: the prompt's id only, never the learner's text.
        definition = ActivityDefinition(
            name=_lang("Reflection"), type=v.TYPE_INTERACTION, interaction_type="long-fill-in"
        )
        parent, grouping = _hierarchy(event, course)
        obj = Activity(id=_iri(event.activity), definition=definition)
        return _Parts(obj, parent, grouping, [], Result(completion=True))
    if kind == EventKind.SCENARIO_CHOICE:
        return _decision_parts(event, course)
    if kind in (
        EventKind.SCENARIO_LAUNCHED,
        EventKind.SCENARIO_SUSPENDED,
        EventKind.SCENARIO_COMPLETED,
    ):
        obj = _scenario_activity(int(event.extra["scenario_id"]))
        parent, grouping = _hierarchy(event, course)
        return _Parts(obj, parent, grouping, [], _result(event))
    raise StatementBuildError(f"no statement is defined for {kind}")


def _context(*, user, registration, parts: _Parts | None) -> Context:
    extensions = {}
    agency = user.agency
    if agency is not None:
        extensions[v.extension_iri(site_url=_site(), name=v.EXT_AGENCY_SECTOR)] = agency.sector
    if user.job_role_id is not None:
        extensions[v.extension_iri(site_url=_site(), name=v.EXT_JOB_ROLE)] = user.job_role.slug
    context = Context(extensions=extensions or None)
    if parts is not None:
        # platform (and revision) only when the object is an Activity (Data 2.4.6).
        context.platform, context.language = v.PLATFORM, v.LANGUAGE
    if registration:
        context.registration = uuid.UUID(str(registration))
    if parts is not None:
        activities = {
            key: value
            for key, value in (
                ("parent", parts.parent),
                ("grouping", parts.grouping),
                ("other", parts.other),
            )
            if value
        }
        if activities:
            context.context_activities = ContextActivities(**activities)
    return context


def event_verb(*, event) -> str:
    """The verb IRI an event is sent as (voided for a revoked completion or a correction)."""
    if event.kind in VOIDING:
        return v.VERB_VOIDED
    if event.kind == EventKind.SCENARIO_LAUNCHED and event.extra.get("resumed"):
        return v.VERB_RESUMED
    return VERBS[EventKind(event.kind)]


def statement_build(*, event) -> dict:
    """The xAPI 1.0.3 statement for one learning event, id = the event's id.

    Raises StatementBuildError for an event kind without a statement (COMPLETION_REVOKED and the
    other VOIDING kinds make voiding statements: see ``voiding_statements_build``).
    """
    if event.kind in VOIDING:
        raise StatementBuildError(f"{event.kind} is sent as voiding statements")
    parts = _parts(event)
    statement = Statement(
        id=event.id,
        actor=actor_account(user=event.user),
        verb=_verb(event_verb(event=event)),
        object=parts.obj,
        context=_context(user=event.user, registration=event.registration, parts=parts),
        timestamp=event.occurred_at,
    )
    if parts.result is not None:
        statement.result = parts.result
    return statement.as_version(XAPI_VERSION)


def voiding_statements_build(*, event, targets: list[str]) -> list[dict]:
    """Voiding statements (Data 2.3.2) for each target statement id; the first has the event's id.

    Later ones get ids derived from the event's (uuid5), so a rebuild gives the same ids.
    """
    statements = []
    for index, target in enumerate(targets):
        statement_id = event.id if index == 0 else uuid.uuid5(event.id, str(target))
        statement = Statement(
            id=statement_id,
            actor=actor_account(user=event.user),
            verb=_verb(v.VERB_VOIDED),
            object=StatementRef(id=uuid.UUID(str(target))),
            context=_context(user=event.user, registration=event.registration, parts=None),
            timestamp=event.occurred_at,
        )
        statements.append(statement.as_version(XAPI_VERSION))
    return statements
