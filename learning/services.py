"""Writes for learning events: ``learning_event_record`` is the one way to record one."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from learning.models import EventKind, LearningEvent


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
    """Record one learning event and run its subscribers; not idempotent (each call is new).

    Every learning action in courses and scenarios goes through here. The subscribers in
    ``settings.LEARNING_EVENT_SUBSCRIBERS`` (the report rollups, the xAPI statement, the course
    completion rules) run in the same transaction, so what they write exists exactly when the
    event does; an exception in one rolls the event back.
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
    for path in settings.LEARNING_EVENT_SUBSCRIBERS:
        import_string(path)(event=event)
    return event
