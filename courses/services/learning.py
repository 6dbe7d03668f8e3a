"""Enrolment, progress, answers, reflections and the completion rules."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.timezone import localtime

from accounts.models import NotificationKind
from accounts.services import notification_create
from courses.models import (
    CheckAnswer,
    Completion,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    ModulePage,
    ModuleProgress,
    Reflection,
    SectionView,
)
from courses.selectors.learner import prerequisites_missing, scenarios_completed
from courses.selectors.structure import (
    course_modules,
    module_block,
    module_check_blocks,
    module_scenario_ids,
    module_section_ids,
)
from learning.models import EventKind, LearningEvent
from learning.services import learning_event_record


class LearningError(Exception):
    """A learner action that cannot be done; the message is safe to show them."""


def _event(enrolment, kind: EventKind, *, user, course, module=None, activity=None, **fields):
    """Record a learning event in an enrolment (its registration); the activity defaults to the
    module's, else the course's."""
    learning_event_record(
        user=user,
        kind=kind,
        activity=activity or (f"module:{module.pk}" if module else f"course:{course.pk}"),
        registration=enrolment.registration if enrolment else None,
        course=course,
        module=module,
        **fields,
    )


def enrolment_open(*, user, course: CoursePage) -> Enrolment | None:
    """The learner's open (in progress) enrolment on a course, if any."""
    return Enrolment.objects.filter(
        user=user, course=course, status=EnrolmentStatus.IN_PROGRESS
    ).first()


@transaction.atomic
def enrolment_create(
    *, user, course: CoursePage, source: str = EnrolmentSource.SELF, assigned_by=None
) -> Enrolment:
    """Enrol a learner (idempotent: returns the open enrolment if there is one).

    Raises LearningError when a prerequisite course has no valid completion. A learner who has
    completed the course gets a new enrolment (a retake); earlier ones are kept.
    """
    existing = enrolment_open(user=user, course=course)
    if existing:
        return existing
    missing = prerequisites_missing(user=user, course=course)
    if missing:
        titles = ", ".join(page.title for page in missing)
        raise LearningError(f"Complete these courses first: {titles}.")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user, course=course, source=source, assigned_by=assigned_by
            )
    except IntegrityError:  # a concurrent request enrolled first
        return enrolment_open(user=user, course=course)
    _event(enrolment, EventKind.ENROLLED, user=user, course=course, extra={"source": source})
    return enrolment


def enrolments_assign(
    *, course: CoursePage, learners, assigned_by, due_at: datetime | None = None
) -> list[Enrolment]:
    """Assign a course to each learner (idempotent per learner) and email them after commit.

    The caller checks that ``assigned_by`` may assign to these learners. A learner missing a
    prerequisite is skipped rather than failing the whole batch; they are left out of the result.
    ``due_at`` makes the course required learning for them by then; assigning again with a date
    sets it on their open enrolment.
    """
    from courses.tasks import enrolment_assigned_email_send_task

    enrolments = []
    for learner in learners:
        with transaction.atomic():
            existing = enrolment_open(user=learner, course=course)
            try:
                enrolment = existing or enrolment_create(
                    user=learner,
                    course=course,
                    source=EnrolmentSource.ASSIGNED,
                    assigned_by=assigned_by,
                )
            except LearningError:
                continue
            if due_at is not None and enrolment.due_at != due_at:
                enrolment.due_at = due_at
                enrolment.save(update_fields=["due_at"])
            if existing is None:
                transaction.on_commit(
                    partial(enrolment_assigned_email_send_task.delay, enrolment.pk), robust=True
                )
                due = f", due by {localtime(due_at):%-d %B %Y}" if due_at else ""
                notification_create(
                    user=learner,
                    kind=NotificationKind.ASSIGNED,
                    text=f"{course.title} has been assigned to you{due}",
                    url=course.url or "",
                    key=f"assigned:{enrolment.pk}",
                )
        enrolments.append(enrolment)
    return enrolments


def _position(value, count: int, default: int) -> int:
    try:
        position = int(value)
    except (TypeError, ValueError):
        position = default
    return min(max(position, 1), max(count, 1))


@dataclass
class SectionVisit:
    """What the module page needs from a visit: the open enrolment, section shown, sections seen."""

    enrolment: Enrolment | None
    position: int
    viewed: set[str]


def section_visit(
    *, user, module: ModulePage, position, course: CoursePage | None = None
) -> SectionVisit:
    """Record that an enrolled learner viewed a section; idempotent per section.

    Completes the module when every section has been viewed, then checks the course's
    completion rules. Records nothing for a learner who is not enrolled. A revisit of a section
    already seen costs one read and no writes. ``course`` is the module's, if the caller has it.
    """
    section_ids = module_section_ids(module=module)
    course_id = course.pk if course else module.get_parent().pk
    enrolment, viewed = _enrolment_and_viewed(user=user, course_id=course_id, module=module)
    resume = enrolment.last_position if enrolment and enrolment.last_module_id == module.pk else 1
    shown = _position(position, len(section_ids), resume)
    if enrolment is None or not section_ids:
        return SectionVisit(enrolment=enrolment, position=shown, viewed=set())
    block_id = section_ids[shown - 1]
    if block_id not in viewed:
        with transaction.atomic():
            _section_view_record(
                enrolment=enrolment, module=module, block_id=block_id, position=shown,
                section_ids=section_ids, viewed=viewed,
            )  # fmt: skip
        viewed.add(block_id)
    if (enrolment.last_module_id, enrolment.last_position) != (module.pk, shown):
        Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module, last_position=shown)
        enrolment.last_module, enrolment.last_position = module, shown
    return SectionVisit(enrolment=enrolment, position=shown, viewed=viewed)


def _enrolment_and_viewed(*, user, course_id: int, module: ModulePage):
    """The learner's open enrolment and the module's sections seen, in one query (a row each)."""
    rows = list(
        Enrolment.objects.filter(user=user, course_id=course_id, status=EnrolmentStatus.IN_PROGRESS)
        .annotate(seen=FilteredRelation("sections", condition=Q(sections__module=module)))
        .annotate(seen_block=F("seen__block_id"))
        .order_by("pk")
    )
    if not rows:
        return None, set()
    viewed = {r.seen_block for r in rows if r.pk == rows[0].pk and r.seen_block is not None}
    return rows[0], viewed


def _section_view_record(*, enrolment, module, block_id, position, section_ids, viewed) -> None:
    user, course = enrolment.user, enrolment.course
    progress, started = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
    if started and not enrolment.modules.exclude(pk=progress.pk).exists():
        # The first module opened in this registration is when the course was launched.
        _event(enrolment, EventKind.COURSE_LAUNCHED, user=user, course=course)
    if started:
        _event(enrolment, EventKind.MODULE_LAUNCHED, user=user, course=course, module=module)
    _, created = SectionView.objects.get_or_create(
        enrolment=enrolment, module=module, block_id=block_id
    )
    if not created:  # a concurrent request recorded it first
        return
    _event(
        enrolment,
        EventKind.SECTION_VIEWED,
        user=user,
        course=course,
        module=module,
        activity=f"section:{module.pk}:{block_id}",
        extra={"position": position, "of": len(section_ids)},
    )
    if progress.completed_at is None and viewed | {block_id} >= set(section_ids):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        _event(
            enrolment,
            EventKind.MODULE_COMPLETED,
            user=user,
            course=course,
            module=module,
            result={"completion": True},
        )
        course_completion_evaluate(enrolment=enrolment)


def _enrolment_for_module(*, user, module: ModulePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(
        user=user, course_id=module.get_parent().pk, status=EnrolmentStatus.IN_PROGRESS
    ).first()
    if enrolment is None:
        raise LearningError("Start the course before answering its questions.")
    return enrolment


@transaction.atomic
def check_answer(*, user, module: ModulePage, block_id: str, chosen: list[int]) -> CheckAnswer:
    """Save an answer to a knowledge check (every attempt is kept) and re-check completion.

    Raises LearningError for an unknown check, an invalid choice, or a learner not enrolled.
    """
    block = module_block(module=module, block_id=block_id)
    if block is None or block.block_type != "check":
        raise LearningError("That question is not part of this module.")
    enrolment = _enrolment_for_module(user=user, module=module)
    options = block.value["options"]
    chosen = sorted(set(chosen))
    if not chosen or any(n < 0 or n >= len(options) for n in chosen):
        raise LearningError("Choose an answer.")
    if block.value["kind"] == "single" and len(chosen) != 1:
        raise LearningError("Choose one answer.")
    correct = chosen == [n for n, option in enumerate(options) if option["correct"]]
    answer = CheckAnswer.objects.create(
        enrolment=enrolment, module=module, block_id=block_id, chosen=chosen, correct=correct
    )
    _event(
        enrolment,
        EventKind.CHECK_ANSWERED,
        user=user,
        course=enrolment.course,
        module=module,
        activity=f"check:{module.pk}:{block_id}",
        result={"success": correct, "response": chosen},
        extra={"question": block.value["question"], "options": len(options)},
    )
    course_completion_evaluate(enrolment=enrolment)
    return answer


@transaction.atomic
def reflection_save(*, user, module: ModulePage, block_id: str, text: str) -> Reflection:
    """Save (or replace) the learner's private reflection; raises LearningError if not a prompt."""
    block = module_block(module=module, block_id=block_id)
    if block is None or block.block_type != "reflection":
        raise LearningError("That reflection prompt is not part of this module.")
    reflection, _ = Reflection.objects.update_or_create(
        user=user,
        module=module,
        block_id=block_id,
        defaults={"text": text, "updated_at": timezone.now()},
    )
    enrolment = enrolment_open(user=user, course=module.get_parent().specific)
    # The text stays private: the event says only that a reflection was written.
    _event(
        enrolment,
        EventKind.REFLECTION_SUBMITTED,
        user=user,
        course=module.get_parent(),
        module=module,
        activity=f"reflection:{module.pk}:{block_id}",
        result={"completion": True},
    )
    return reflection


def _course_score(*, enrolment: Enrolment, modules) -> tuple[int, int] | None:
    """(correct, total) over the latest answer to every check, or None if any is unanswered."""
    checks = [
        (module.pk, block.id) for module in modules for block in module_check_blocks(module=module)
    ]
    latest: dict[tuple[int, str], bool] = {}
    for answer in CheckAnswer.objects.filter(enrolment=enrolment).order_by("answered_at", "pk"):
        latest[(answer.module_id, answer.block_id)] = answer.correct
    if any(key not in latest for key in checks):
        return None
    return sum(1 for key in checks if latest[key]), len(checks)


@transaction.atomic
def course_completion_evaluate(*, enrolment: Enrolment) -> Completion | None:
    """Apply the course's completion rules; complete the enrolment and issue a certificate.

    Rules: every live module completed; every knowledge check answered with the latest answers
    at or above the pass mark; embedded scenarios completed when the course requires them.
    Records COURSE_FAILED when everything is done but the score is below the pass mark.
    Idempotent: a completed enrolment returns its completion.
    """
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return enrolment.completion
    if enrolment.status != EnrolmentStatus.IN_PROGRESS:
        return None
    course, user = enrolment.course, enrolment.user
    modules = course_modules(course=course)
    done = set(
        ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "module_id", flat=True
        )
    )
    if not modules or any(module.pk not in done for module in modules):
        return None
    if course.require_scenarios:
        wanted = {sid for module in modules for sid in module_scenario_ids(module=module)}
        if wanted - scenarios_completed(user=user, scenario_ids=wanted):
            return None
    score = _course_score(enrolment=enrolment, modules=modules)
    if score is None:
        return None
    correct, total = score
    # Integer comparison: 4 of 5 at a pass mark of 80 passes; no rounding at the edge.
    passed = total == 0 or correct * 100 >= course.pass_mark * total
    result = {"score": {"raw": correct, "min": 0, "max": total}, "success": passed}
    if total:
        result["score"]["scaled"] = round(correct / total, 4)
    if not passed:
        _event(enrolment, EventKind.COURSE_FAILED, user=user, course=course, result=result)
        return None
    now = timezone.now()
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, now
    enrolment.save(update_fields=["status", "completed_at"])
    completion = Completion.objects.create(
        user=user,
        course=course,
        enrolment=enrolment,
        completed_at=now,
        expires_at=now + relativedelta(months=course.refresher_months)
        if course.refresher_months
        else None,
        score=correct * 100 // total if total else None,
    )
    for kind in (EventKind.COURSE_COMPLETED, EventKind.COURSE_PASSED):
        _event(enrolment, kind, user=user, course=course, result={**result, "completion": True})
    from courses.services.certificates import certificate_issue

    certificate_issue(completion=completion)
    return completion


def enrolments_reevaluate(*, user) -> list[Completion]:
    """Re-apply completion rules to the learner's open enrolments (e.g. after a scenario)."""
    completions = []
    for enrolment in Enrolment.objects.filter(user=user, status=EnrolmentStatus.IN_PROGRESS):
        completion = course_completion_evaluate(enrolment=enrolment)
        if completion:
            completions.append(completion)
    return completions


def learning_event_course_reevaluate(*, event: LearningEvent) -> None:
    """A learning event subscriber: a completed scenario may complete the courses embedding it."""
    if event.kind == EventKind.SCENARIO_COMPLETED:
        enrolments_reevaluate(user=event.user)


@transaction.atomic
def completion_revoke(*, completion: Completion, reason: str, by=None) -> Completion:
    """Revoke a completion (its certificate then verifies as revoked); idempotent."""
    if completion.revoked_at:
        return completion
    completion.revoked_at, completion.revoked_reason = timezone.now(), reason
    completion.save(update_fields=["revoked_at", "revoked_reason"])
    _event(
        completion.enrolment,
        EventKind.COMPLETION_REVOKED,
        user=completion.user,
        course=completion.course,
        extra={"reason": reason, "by": by.pk if by else None},
    )
    return completion
