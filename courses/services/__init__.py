"""Writes for courses. ``learning_event_record`` is the single entry point for learning events.

The other services live beside it: ``learning`` (enrolment, progress, answers, completion rules),
``certificates``, ``refreshers``, ``course_format`` and ``course_files`` (Markdown import/export).
"""

import uuid
from datetime import datetime

from django.db import transaction

from courses.models import EventKind, LearningEvent


@transaction.atomic
def learning_event_record(
    *,
    user,
    kind: EventKind,
    activity: str,
    registration: uuid.UUID | None = None,
    course=None,
    module=None,
    result: dict | None = None,
    extra: dict | None = None,
    occurred_at: datetime | None = None,
) -> LearningEvent:
    """Record one learning event; not idempotent (each call is a new event).

    Every learning action in courses and scenarios goes through here, so the report rollups and
    the tracking app's xAPI statement are written in the same transaction as the event.
    """
    event = LearningEvent(
        user=user,
        kind=EventKind(kind),
        activity=activity,
        registration=registration,
        course=course,
        module=module,
        result=result or {},
        extra=extra or {},
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    event.full_clean(exclude=["course", "module"])
    event.save()
    # Same transaction: the report rollups never disagree with the records they summarise.
    from reports.services.rollup import rollup_apply_event

    rollup_apply_event(event=event)
    # Same transaction: the xAPI statement (and its outbox rows) exist exactly when the event does.
    from tracking.services import learning_event_track

    learning_event_track(event=event)
    return event
