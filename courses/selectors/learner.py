"""A learner's view of a course and a module: progress, answers, reflections, prerequisites."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from courses.blocks import directory_services, service_ids
from courses.models import (
    CheckAnswer,
    Completion,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ModulePage,
    ModuleProgress,
    Reflection,
    SectionView,
)
from courses.selectors.structure import course_modules, module_section
from scenarios.models import Attempt


def scenarios_completed(*, user, scenario_ids) -> set[int]:
    """Which of the scenarios the user has completed (none while the scenarios app lacks it)."""
    if not scenario_ids:
        return set()
    try:
        from scenarios.selectors import scenarios_completed_by
    except ImportError:
        return set()
    return set(scenarios_completed_by(user=user, scenario_ids=list(scenario_ids)))


def _valid_completions(*, user, at: datetime | None = None):
    at = at or timezone.now()
    return Completion.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=at)
    )


def prerequisites_missing(*, user, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses the user has no valid completion for."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        _valid_completions(user=user)
        .filter(course__in=required)
        .values_list("course_id", flat=True)
    )
    return [page for page in required if page.pk not in done]


def completion_latest(*, user, course_id: int) -> Completion | None:
    """The learner's latest unrevoked completion of a course, with its certificate, or None."""
    return (
        Completion.objects.filter(user=user, course_id=course_id, revoked_at__isnull=True)
        .select_related("certificate")
        .first()
    )


def attempt_course_completion(*, attempt: Attempt) -> tuple[CoursePage, Completion] | None:
    """The launching module's course and its completion if it came during this scenario attempt."""
    if attempt.module_id is None or attempt.is_preview:
        return None
    module = ModulePage.objects.filter(pk=attempt.module_id).first()
    course = module.get_parent().specific if module else None
    if course is None:
        return None
    completion = completion_latest(user=attempt.learner, course_id=course.pk)
    if completion is None or completion.completed_at < attempt.started_at:
        return None
    return course, completion


@dataclass(frozen=True)
class ModuleTask:
    """A module as a row of the GOV.UK task list: its status for this learner."""

    module: ModulePage
    status: str  # "completed", "in_progress" or "not_started"

    @property
    def status_label(self) -> str:
        return {"completed": "Completed", "in_progress": "In progress"}.get(
            self.status, "Not yet started"
        )


def course_overview(*, course: CoursePage, user) -> dict:
    """Modules with the learner's progress, their open enrolment and latest completion.

    Progress is read from the open enrolment, or else from the enrolment of the latest
    completion, so a completed course shows its modules completed and 100%.
    """
    modules = course_modules(course=course)
    context = {
        "modules": modules,
        "enrolment": None,
        "completion": None,
        "done_ids": set(),
        "progress": None,
        "tasks": [ModuleTask(module=m, status="not_started") for m in modules],
    }
    if not user.is_authenticated:
        return context
    enrolment = Enrolment.objects.filter(
        user=user, course=course, status=EnrolmentStatus.IN_PROGRESS
    ).first()
    context["enrolment"] = enrolment
    completion = (
        Completion.objects.filter(user=user, course=course, revoked_at__isnull=True)
        .select_related("certificate")
        .first()
    )
    context["completion"] = completion
    source_id = enrolment.pk if enrolment else completion.enrolment_id if completion else None
    if source_id:
        started, done = set(), set()
        for module_id, completed_at in ModuleProgress.objects.filter(
            enrolment_id=source_id
        ).values_list("module_id", "completed_at"):
            (done if completed_at else started).add(module_id)
        live = {m.pk for m in modules}
        context["done_ids"] = done
        context["progress"] = CourseProgress(done=len(done & live), total=len(live))
        context["tasks"] = [
            ModuleTask(
                module=m,
                status="completed"
                if m.pk in done
                else "in_progress"
                if m.pk in started
                else "not_started",
            )
            for m in modules
        ]
    context["prerequisites_missing"] = prerequisites_missing(user=user, course=course)
    return context


@dataclass
class BlockItem:
    """A content block with the learner's own state (their answer, reflection or completion)."""

    block: object
    state: dict


def module_view(
    *, module: ModulePage, user, position, visit=None, course: CoursePage | None = None
) -> dict:
    """Everything the module page shows: one section, its blocks with the learner's state.

    ``visit`` is what ``section_visit`` returned for this request (enrolment, position, sections
    seen), and ``course`` the module's course, so nothing is read twice. A fixed number of
    queries whatever the number of sections, blocks or modules.
    """
    sections = [
        {"id": raw["id"], "heading": raw["value"]["heading"]} for raw in module.body.raw_data
    ]
    course = course or module.get_parent().specific
    if visit is not None:
        enrolment, current, viewed = visit.enrolment, visit.position, visit.viewed
    else:
        enrolment = Enrolment.objects.filter(
            user=user, course_id=course.pk, status=EnrolmentStatus.IN_PROGRESS
        ).first()
        try:
            current = int(position)
        except (TypeError, ValueError):
            current = 1
        current = min(max(current, 1), max(len(sections), 1))
        viewed = set()
        if enrolment:
            viewed = set(
                SectionView.objects.filter(enrolment=enrolment, module=module).values_list(
                    "block_id", flat=True
                )
            )
    section = module_section(module=module, position=current) if sections else None
    blocks = list(section.value["content"]) if section else []
    kinds = {b.block_type for b in blocks}
    # Plain values, not model instances: only what the blocks show (the page's hot path).
    answers: dict[str, tuple[list[int], bool]] = {}
    if enrolment and "check" in kinds:
        for block_id, chosen, correct in CheckAnswer.objects.filter(
            enrolment=enrolment, module=module
        ).values_list("block_id", "chosen", "correct"):
            answers[block_id] = (chosen, correct)  # ordered by time: the latest wins
    reflections = {}
    if "reflection" in kinds:
        reflections = dict(
            Reflection.objects.filter(user=user, module=module).values_list("block_id", "text")
        )
    scenario_ids = {
        b.value["scenario"].pk
        for b in blocks
        if b.block_type == "scenario" and b.value.get("scenario") is not None
    }
    completed_scenarios = scenarios_completed(user=user, scenario_ids=scenario_ids)
    ids_by_block = {b.id: service_ids(b.value) for b in blocks if b.block_type == "services"}
    services = {
        str(s.pk): s
        for s in directory_services(ids=[i for ids in ids_by_block.values() for i in ids])
    }
    items = []
    for b in blocks:
        state = _block_state(b, answers, reflections, completed_scenarios, module=module)
        if b.id in ids_by_block:
            state["services"] = [services[i] for i in ids_by_block[b.id] if i in services]
        items.append(BlockItem(block=b, state=state))
    next_module = (
        None
        if current < len(sections)
        else ModulePage.objects.sibling_of(module, inclusive=False)
        .live()
        .filter(path__gt=module.path)
        .order_by("path")
        .first()
    )
    return {
        "course": course,
        "enrolment": enrolment,
        # Someone back in a course they completed is not told they have not started it.
        "completion": None if enrolment else completion_latest(user=user, course_id=course.pk),
        "sections": [
            {"position": n, "heading": s["heading"], "viewed": s["id"] in viewed}
            for n, s in enumerate(sections, start=1)
        ],
        "section": section,
        "position": current,
        "items": items,
        "previous_position": current - 1 if current > 1 else None,
        "next_position": current + 1 if current < len(sections) else None,
        "next_module": next_module,
    }


def _block_state(block, answers, reflections, completed_scenarios, *, module) -> dict:
    if block.block_type == "check":
        if block.id not in answers:
            return {"answered": False}
        chosen, correct = answers[block.id]
        options = block.value["options"]
        return {
            "answered": True,
            "correct": correct,
            "chosen": [
                {"text": options[n]["text"], "feedback": options[n]["feedback"]}
                for n in chosen
                if n < len(options)
            ],
            "chosen_positions": chosen,
        }
    if block.block_type == "reflection":
        return {"text": reflections.get(block.id, "")}
    if block.block_type == "scenario":
        scenario = block.value.get("scenario")
        return {
            "completed": scenario is not None and scenario.pk in completed_scenarios,
            "module_id": module.pk,
        }
    return {}


@dataclass(frozen=True)
class CourseProgress:
    """How much of a course an enrolment has done: modules completed of the live modules."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole per cent complete, rounded down so that 100 means every module is done."""
        return 100 * self.done // self.total if self.total else 0


def _live_module_ids_by_course(courses: list[CoursePage]) -> dict[int, set[int]]:
    if not courses:
        return {}
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path, depth=course.depth + 1)
    by_path = {course.path: course.pk for course in courses}
    modules: dict[int, set[int]] = {course.pk: set() for course in courses}
    for pk, path in ModulePage.objects.live().filter(under).values_list("pk", "path"):
        modules[by_path[path[: -ModulePage.steplen]]].add(pk)
    return modules


def enrolments_progress(*, enrolments: list[Enrolment]) -> dict[int, CourseProgress]:
    """Each enrolment's progress (by enrolment id) as modules completed of the course's live
    modules. Two queries however many enrolments; the enrolments need ``course`` selected."""
    if not enrolments:
        return {}
    modules = _live_module_ids_by_course(list({e.course_id: e.course for e in enrolments}.values()))
    done: dict[int, set[int]] = {e.pk: set() for e in enrolments}
    for enrolment_id, module_id in ModuleProgress.objects.filter(
        enrolment__in=[e.pk for e in enrolments], completed_at__isnull=False
    ).values_list("enrolment_id", "module_id"):
        done[enrolment_id].add(module_id)
    return {
        e.pk: CourseProgress(
            done=len(done[e.pk] & modules[e.course_id]), total=len(modules[e.course_id])
        )
        for e in enrolments
    }
