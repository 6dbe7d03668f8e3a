"""Writes for tracking: a learning event's statement into the embedded LRS, and its outbox rows.

``delivery`` sends the outbox to destination LRSs; ``destinations`` holds the admin's actions.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from learning.models import EventKind
from tracking.lrs.models import Statement
from tracking.lrs.services import platform_authority, statement_store
from tracking.models import Delivery
from tracking.selectors import destination_filters
from tracking.statements import (
    VOIDING,
    statement_build,
    voiding_statements_build,
)
from tracking.vocabulary import VERB_VOIDED, activity_iri

# A delivery task is queued at most once per destination per this many seconds by a producer;
# the task clears the mark when it starts (with a shared cache), so rows committed after that get
# a task of their own; with a per-process cache the mark expires, and the sweeper is the backstop.
KICK_SECONDS = 5
PARALLEL_TASKS = 2


def _course_id(event) -> int | None:
    if event.course_id is not None:
        return event.course_id
    if event.module is not None:
        return event.module.get_parent().pk
    return None


def _voiding_targets(event) -> list[str]:
    course_iri = activity_iri(site_url=settings.SITE_URL.rstrip("/"), key=event.activity)
    return [
        str(sid)
        for sid in Statement.objects.filter(
            registration=event.registration,
            activity_id=course_iri,
            verb_id__in=VOIDING[EventKind(event.kind)],
            is_voiding=False,
            voided=False,
        )
        .order_by("stored", "id")
        .values_list("statement_id", flat=True)
    ]


def learning_event_track(*, event) -> list[str]:
    """Store the event's statement(s) in the embedded LRS and queue them for destinations.

    Runs inside the event's transaction: a rollback leaves no statement and no outbox row.
    Raises StatementBuildError, XAPIValidationError or XAPIConflict (bugs: never swallowed).
    A revoked completion (or another VOIDING kind: a cancelled booking, a corrected register)
    stores one voiding statement per statement it voids in its registration, queued to every
    destination that had the original. Not idempotent.
    """
    if event.kind in VOIDING:
        targets = _voiding_targets(event)
        if not targets:
            return []
        statements = voiding_statements_build(event=event, targets=targets)
    else:
        statements = [statement_build(event=event)]
    ids = statement_store(statements=statements, authority=platform_authority())
    _deliveries_queue(event=event, statements=statements)
    return ids


def _deliveries_queue(*, event, statements: list[dict]) -> None:
    wanted: dict[str, set[int]] = {}
    if event.kind in VOIDING:
        # Every destination that received (or is about to receive) the original.
        for statement in statements:
            wanted[statement["id"]] = set(
                Delivery.objects.filter(
                    statement__statement_id=statement["object"]["id"]
                ).values_list("destination_id", flat=True)
            )
    else:
        filters = destination_filters()
        if not filters:
            return
        course_id = _course_id(event) if any(f.courses for f in filters) else event.course_id
        for statement in statements:
            wanted[statement["id"]] = {
                f.destination_id
                for f in filters
                if f.accepts(
                    agency_id=event.user.agency_id,
                    course_id=course_id,
                    verb_id=statement["verb"]["id"],
                )
            }
    if not any(wanted.values()):
        return
    pks = dict(
        Statement.objects.filter(statement_id__in=list(wanted)).values_list("statement_id", "pk")
    )
    now = timezone.now()
    rows = [
        Delivery(
            destination_id=destination_id,
            statement_id=pks[uuid.UUID(statement_id)],
            user=event.user,
            verb_id=VERB_VOIDED
            if event.kind in VOIDING
            else next(s["verb"]["id"] for s in statements if s["id"] == statement_id),
            course_id=event.course_id,
            next_attempt_at=now,
        )
        for statement_id, destinations in wanted.items()
        for destination_id in sorted(destinations)
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    destinations_kick_on_commit(destination_ids={row.destination_id for row in rows})


def destinations_kick_on_commit(*, destination_ids: set[int], force: bool = False) -> None:
    """After commit, queue a delivery task per destination (at most one per KICK_SECONDS,
    unless ``force``: an admin's retry or resume always starts one)."""
    from tracking.tasks import destination_deliver_task

    def kick():
        for destination_id in sorted(destination_ids):
            key = f"tracking:kick:{destination_id}"
            if force or cache.add(key, 1, timeout=KICK_SECONDS):
                # Several tasks overlap one batch's database work with another's HTTP round
                # trip; claims with skip_locked keep them from sending the same rows.
                for _ in range(PARALLEL_TASKS):
                    destination_deliver_task.delay(destination_id)

    # Robust: the statements are committed whatever happens here. With Celery eager (the
    # embedded default) delivery runs right now, in the learner's request; a failure is logged
    # and the rows stay due for the sweeper, and the learner's page is not an error page.
    transaction.on_commit(kick, robust=True)


def destination_kick_clear(*, destination_id: int) -> None:
    """Let producers queue a new task for this destination (a task has started)."""
    cache.delete(f"tracking:kick:{destination_id}")
