"""Rollup rows kept up to date from learning events, and rebuilt from source records on demand.

The incremental path recomputes just the one learner-course or learner-module row an event
touches, from the courses app's records; so applying an event twice, or out of order, gives the
same row (idempotent per event id and per event order). ``rollup_rebuild`` recomputes every row
with set-based queries and must give the same figures (tests/reports/test_rollup.py proves it).
"""

from django.db import transaction
from django.db.models import Count, Max, Min, Q

from courses.models import Completion, Enrolment, EnrolmentStatus, ModuleProgress
from learning.models import EventKind
from reports.models import CourseRollup, ModuleRollup

COURSE_EVENTS = {
    EventKind.ENROLLED,
    EventKind.COURSE_COMPLETED,
    EventKind.COURSE_PASSED,
    EventKind.COURSE_FAILED,
    EventKind.COMPLETION_REVOKED,
}
MODULE_EVENTS = {EventKind.MODULE_LAUNCHED, EventKind.MODULE_COMPLETED}


def _course_values(completions) -> dict:
    """Latest non-revoked completion, and the revocation of a later revoked one, if any."""
    values = {"completed_at": None, "expires_at": None, "revoked_at": None}
    for completed_at, expires_at, revoked_at in completions:  # oldest first
        if revoked_at is None:
            values.update(completed_at=completed_at, expires_at=expires_at, revoked_at=None)
        else:
            values["revoked_at"] = revoked_at
    return values


@transaction.atomic
def course_rollup_refresh(*, user_id: int, course_id: int) -> CourseRollup | None:
    """Recompute one learner's row for one course from enrolments and completions; idempotent."""
    enrolments = Enrolment.objects.filter(user_id=user_id, course_id=course_id).aggregate(
        enrolled_at=Min("enrolled_at"),
        open=Count("id", filter=Q(status=EnrolmentStatus.IN_PROGRESS)),
    )
    completions = (
        Completion.objects.filter(user_id=user_id, course_id=course_id)
        .order_by("completed_at", "pk")
        .values_list("completed_at", "expires_at", "revoked_at")
    )
    values = _course_values(completions)
    ModuleRollup.objects.filter(user_id=user_id, course_id=course_id).update(
        course_completed_at=values["completed_at"]
    )
    if enrolments["enrolled_at"] is None and values["completed_at"] is None:
        CourseRollup.objects.filter(user_id=user_id, course_id=course_id).delete()
        return None
    row, _ = CourseRollup.objects.update_or_create(
        user_id=user_id,
        course_id=course_id,
        defaults={
            "enrolled_at": enrolments["enrolled_at"],
            "in_progress": enrolments["open"] > 0,
            **values,
        },
    )
    return row


@transaction.atomic
def module_rollup_refresh(*, user_id: int, module_id: int) -> ModuleRollup | None:
    """Recompute one learner's row for one module from module progress; idempotent."""
    # The learner's enrolments first: an index lookup by user, then by enrolment, rather than
    # a scan of every learner's progress on a popular module.
    enrolment_ids = list(Enrolment.objects.filter(user_id=user_id).values_list("pk", flat=True))
    progress = ModuleProgress.objects.filter(enrolment_id__in=enrolment_ids, module_id=module_id)
    figures = progress.aggregate(
        started_at=Min("started_at"),
        completed_at=Max("completed_at"),
        course_id=Max("enrolment__course_id"),
    )
    if figures["started_at"] is None:
        ModuleRollup.objects.filter(user_id=user_id, module_id=module_id).delete()
        return None
    course_completed_at = (
        CourseRollup.objects.filter(user_id=user_id, course_id=figures["course_id"])
        .values_list("completed_at", flat=True)
        .first()
    )
    row, _ = ModuleRollup.objects.update_or_create(
        user_id=user_id,
        module_id=module_id,
        defaults={
            "course_id": figures["course_id"],
            "started_at": figures["started_at"],
            "completed_at": figures["completed_at"],
            "course_completed_at": course_completed_at,
        },
    )
    return row


def rollup_apply_event(*, event) -> bool:
    """Bring the rollup row an event touches up to date; idempotent; True if it touched one.

    A learning event subscriber (settings.LEARNING_EVENT_SUBSCRIBERS), run after the event is
    saved: every record the event reports on (enrolment, completion, module progress) is saved
    by then.
    """
    if event.kind in COURSE_EVENTS and event.course_id:
        course_rollup_refresh(user_id=event.user_id, course_id=event.course_id)
        return True
    if event.kind in MODULE_EVENTS and event.module_id:
        module_rollup_refresh(user_id=event.user_id, module_id=event.module_id)
        return True
    return False


def _course_rows() -> list[CourseRollup]:
    rows: dict[tuple[int, int], CourseRollup] = {}
    enrolments = Enrolment.objects.values("user_id", "course_id").annotate(
        first=Min("enrolled_at"), open=Count("id", filter=Q(status=EnrolmentStatus.IN_PROGRESS))
    )
    for item in enrolments.iterator(chunk_size=5000):
        rows[(item["user_id"], item["course_id"])] = CourseRollup(
            user_id=item["user_id"],
            course_id=item["course_id"],
            enrolled_at=item["first"],
            in_progress=item["open"] > 0,
        )
    completions = Completion.objects.order_by("user_id", "course_id", "completed_at", "pk")
    grouped: dict[tuple[int, int], list] = {}
    for user_id, course_id, *dates in completions.values_list(
        "user_id", "course_id", "completed_at", "expires_at", "revoked_at"
    ).iterator(chunk_size=5000):
        grouped.setdefault((user_id, course_id), []).append(dates)
    for key, dates in grouped.items():
        row = rows.setdefault(key, CourseRollup(user_id=key[0], course_id=key[1]))
        for field, value in _course_values(dates).items():
            setattr(row, field, value)
    return [row for row in rows.values() if row.enrolled_at or row.completed_at]


def _module_rows(course_rows: list[CourseRollup]) -> list[ModuleRollup]:
    completed = {(row.user_id, row.course_id): row.completed_at for row in course_rows}
    progress = ModuleProgress.objects.values("enrolment__user_id", "module_id").annotate(
        first=Min("started_at"), last=Max("completed_at"), course_id=Max("enrolment__course_id")
    )
    return [
        ModuleRollup(
            user_id=item["enrolment__user_id"],
            module_id=item["module_id"],
            course_id=item["course_id"],
            started_at=item["first"],
            completed_at=item["last"],
            course_completed_at=completed.get((item["enrolment__user_id"], item["course_id"])),
        )
        for item in progress.iterator(chunk_size=5000)
    ]


@transaction.atomic
def rollup_rebuild() -> tuple[int, int]:
    """Recompute every rollup row from source records in one transaction; returns row counts."""
    course_rows = _course_rows()
    module_rows = _module_rows(course_rows)
    CourseRollup.objects.all().delete()
    ModuleRollup.objects.all().delete()
    CourseRollup.objects.bulk_create(course_rows, batch_size=2000)
    ModuleRollup.objects.bulk_create(module_rows, batch_size=2000)
    return len(course_rows), len(module_rows)
