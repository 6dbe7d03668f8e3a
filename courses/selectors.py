"""Reads for courses: catalogue, module state, My learning, required learning, certificates."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.blocks import StreamValue

from courses.blocks import directory_services, service_ids
from courses.models import (
    ActionPlan,
    Certificate,
    CheckAnswer,
    Completion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    ModulePage,
    ModuleProgress,
    Reflection,
    RequiredLearning,
    SectionView,
)

REFRESHER_WARNING_DAYS = 30


# --- Course structure ---------------------------------------------------------------------------


def course_catalogue(
    *, index: CourseIndexPage, topic: str = "", sector: str = "", level: str = ""
) -> list[CoursePage]:
    """Live courses under the index, filtered; an audience of no sectors means every sector."""
    courses = CoursePage.objects.child_of(index).live().order_by("title")
    if topic:
        courses = courses.filter(topic=topic)
    if level:
        courses = courses.filter(level=level)
    courses = list(courses)
    if sector:  # JSON list membership, filtered in Python to stay portable across databases
        courses = [c for c in courses if not c.audience_sectors or sector in c.audience_sectors]
    return courses


def course_modules(*, course: CoursePage) -> list[ModulePage]:
    """The course's live modules in tree order."""
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


def module_section_ids(*, module: ModulePage) -> list[str]:
    """Block ids of the module's sections, in order (read from the raw JSON, nothing converted)."""
    return [section["id"] for section in module.body.raw_data]


def module_section(*, module: ModulePage, position: int):
    """The section at a 1-based position, converted alone (not every section of the module)."""
    raw = module.body.raw_data[position - 1]
    block = module.body.stream_block.child_blocks["section"]
    return StreamValue.StreamChild(block, block.to_python(raw["value"]), id=raw["id"])


def _content_blocks(module: ModulePage):
    for section in module.body:
        yield from section.value["content"]


def module_block(*, module: ModulePage, block_id: str):
    """A content block of the module by id, or None."""
    return next((b for b in _content_blocks(module) if b.id == block_id), None)


def module_check_blocks(*, module: ModulePage) -> list:
    """The module's knowledge check blocks."""
    return [b for b in _content_blocks(module) if b.block_type == "check"]


def module_scenario_ids(*, module: ModulePage) -> set[int]:
    """Primary keys of the scenarios embedded in the module."""
    return {
        b.value["scenario"].pk
        for b in _content_blocks(module)
        if b.block_type == "scenario" and b.value.get("scenario") is not None
    }


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


# --- A learner's view of a course and a module ---------------------------------------------------


def course_overview(*, course: CoursePage, user) -> dict:
    """Modules with the learner's progress, their open enrolment and latest completion."""
    modules = course_modules(course=course)
    context = {"modules": modules, "enrolment": None, "completion": None, "done_ids": set()}
    if not user.is_authenticated:
        return context
    enrolment = Enrolment.objects.filter(
        user=user, course=course, status=EnrolmentStatus.IN_PROGRESS
    ).first()
    context["enrolment"] = enrolment
    context["completion"] = (
        Completion.objects.filter(user=user, course=course, revoked_at__isnull=True)
        .select_related("certificate")
        .first()
    )
    if enrolment:
        context["done_ids"] = set(
            ModuleProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).values_list("module_id", flat=True)
        )
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


# --- My learning and required learning ------------------------------------------------------------


@dataclass
class Requirement:
    course: CoursePage
    due: datetime
    completion: Completion | None
    status: str  # "complete", "refresher_due", "overdue", "due"


def requirements_for_user(*, user, at: datetime | None = None, rules=None) -> list[Requirement]:
    """The courses the user's sector and job role require, with due dates and status."""
    at = at or timezone.now()
    if rules is None:
        rules = RequiredLearning.objects.select_related("course").prefetch_related("job_roles")
    sector = user.agency.sector if user.agency_id else None
    due_by_course: dict[int, tuple[CoursePage, datetime]] = {}
    for rule in rules:
        if rule.sectors and sector not in rule.sectors:
            continue
        role_ids = {role.pk for role in rule.job_roles.all()}
        if role_ids and user.job_role_id not in role_ids:
            continue
        start = max(user.date_joined, rule.created_at)
        due = start + relativedelta(months=rule.due_within_months)
        current = due_by_course.get(rule.course_id)
        if current is None or due < current[1]:
            due_by_course[rule.course_id] = (rule.course, due)
    # A course assigned with a due date is required of this person by then, like a rule.
    for enrolment in Enrolment.objects.filter(
        user=user, status=EnrolmentStatus.IN_PROGRESS, due_at__isnull=False
    ).select_related("course"):
        current = due_by_course.get(enrolment.course_id)
        if current is None or enrolment.due_at < current[1]:
            due_by_course[enrolment.course_id] = (enrolment.course, enrolment.due_at)
    latest = _latest_completions(user=user, course_ids=list(due_by_course))
    result = []
    for course_id, (course, due) in due_by_course.items():
        completion = latest.get(course_id)
        if completion and completion.is_valid(at):
            status = "complete"
        elif completion and completion.revoked_at is None:
            status = "refresher_due"
        else:
            status = "overdue" if due <= at else "due"
        result.append(Requirement(course=course, due=due, completion=completion, status=status))
    return sorted(result, key=lambda r: r.due)


def _latest_completions(*, user, course_ids=None) -> dict[int, Completion]:
    completions = Completion.objects.filter(user=user, revoked_at__isnull=True)
    if course_ids is not None:
        completions = completions.filter(course_id__in=course_ids)
    latest: dict[int, Completion] = {}
    for completion in completions.select_related("course", "certificate").order_by("completed_at"):
        latest[completion.course_id] = completion
    return latest


def my_learning(*, user, at: datetime | None = None) -> dict:
    """The learner's dashboard: in progress, completed, refresher due, and required learning."""
    at = at or timezone.now()
    enrolments = list(
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.IN_PROGRESS)
        .select_related("course", "last_module", "assigned_by")
        .order_by("-enrolled_at")
    )
    # An assigned course the learner has not opened yet is "to start", not "in progress".
    unopened = {
        e.pk for e in enrolments if not e.last_module_id and e.source == EnrolmentSource.ASSIGNED
    }
    in_progress = [e for e in enrolments if e.pk not in unopened]
    assigned = [e for e in enrolments if e.pk in unopened]
    completed, refresher_due = [], []
    for completion in _latest_completions(user=user).values():
        (completed if completion.is_valid(at) else refresher_due).append(completion)
    soon = at + timedelta(days=REFRESHER_WARNING_DAYS)
    return {
        "in_progress": in_progress,
        "assigned": assigned,
        "completed": sorted(completed, key=lambda c: c.completed_at, reverse=True),
        "expiring_soon_ids": {c.pk for c in completed if c.expires_at and c.expires_at <= soon},
        "refresher_due": refresher_due,
        "required": requirements_for_user(user=user, at=at),
        "certificates": list(
            Certificate.objects.filter(completion__user=user).select_related("completion")
        ),
    }


def agency_overdue_staff(*, agency, at: datetime | None = None) -> list[tuple]:
    """(member, requirement) pairs for an agency's staff who are overdue or need a refresher."""
    at = at or timezone.now()
    rules = list(RequiredLearning.objects.select_related("course").prefetch_related("job_roles"))
    rows = []
    for member in agency.members.filter(is_active=True).select_related("agency"):
        for requirement in requirements_for_user(user=member, at=at, rules=rules):
            if requirement.status in ("overdue", "refresher_due"):
                rows.append((member, requirement))
    return rows


def assignable_learners(*, user):
    """Active, approved members the user may assign courses to: their agency's (leads) or anyone's
    (admins). People waiting for approval, or refused it, cannot take courses, so are not listed."""
    from accounts.models import MembershipStatus, User
    from accounts.selectors import user_report_agencies

    return User.objects.filter(
        agency__in=user_report_agencies(user=user),
        is_active=True,
        membership_status=MembershipStatus.APPROVED,
    ).order_by("last_name", "first_name", "email")


# --- Certificates and personal data ---------------------------------------------------------------


def certificate_verify(*, code: str, at: datetime | None = None) -> dict:
    """The public status of a certificate code: valid, expired, revoked or unknown."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    formatted = "-".join(normalised[i : i + 4] for i in range(0, len(normalised), 4))
    certificate = (
        Certificate.objects.select_related("completion").filter(code=formatted).first()
        if len(normalised) == 12
        else None
    )
    if certificate is None:
        return {"status": "unknown", "code": code}
    completion = certificate.completion
    if completion.revoked_at:
        status = "revoked"
    elif completion.is_expired(at):
        status = "expired"
    else:
        status = "valid"
    return {"status": status, "code": certificate.code, "certificate": certificate}


def certificate_for_user(*, user, code: str) -> Certificate | None:
    """The user's own certificate by code (None for anyone else's, or once it is revoked)."""
    return (
        Certificate.objects.select_related("completion__course")
        .filter(code=code, completion__user=user, completion__revoked_at__isnull=True)
        .first()
    )


def personal_data_for_user(*, user) -> dict:
    """Everything courses holds about a person, for a GDPR download (JSON-serialisable)."""
    enrolments = Enrolment.objects.filter(user=user).select_related("course")
    return {
        "course_action_plans": [
            {
                "course": plan.course.title,
                "actions": plan.actions,
                "support": plan.support,
                "review_by": plan.review_by.isoformat() if plan.review_by else None,
                "updated_at": plan.updated_at.isoformat(),
            }
            for plan in ActionPlan.objects.filter(user=user).select_related("course")
        ],
        "course_enrolments": [
            {
                "course": e.course.title,
                "registration": str(e.registration),
                "status": e.status,
                "enrolled_at": e.enrolled_at.isoformat(),
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
                "sections_viewed": [
                    {"module": title, "section": block_id, "viewed_at": at.isoformat()}
                    for title, block_id, at in e.sections.values_list(
                        "module__title", "block_id", "viewed_at"
                    )
                ],
                "answers": [
                    {
                        "module": a.module.title,
                        "question": a.block_id,
                        "chosen": a.chosen,
                        "correct": a.correct,
                        "answered_at": a.answered_at.isoformat(),
                    }
                    for a in e.answers.select_related("module")
                ],
            }
            for e in enrolments
        ],
        "course_reflections": [
            {"module": r.module.title, "text": r.text, "updated_at": r.updated_at.isoformat()}
            for r in Reflection.objects.filter(user=user).select_related("module")
        ],
        "course_completions": [
            {
                "course": c.course.title,
                "completed_at": c.completed_at.isoformat(),
                "expires_at": c.expires_at.isoformat() if c.expires_at else None,
                "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
                "certificate": getattr(c, "certificate", None) and c.certificate.code,
            }
            for c in Completion.objects.filter(user=user).select_related("course", "certificate")
        ],
    }


def action_plans_for_learner(*, user) -> QuerySet[ActionPlan]:
    """The learner's own action plans, newest first."""
    return ActionPlan.objects.filter(user=user).select_related("course")


def action_plans_for_lead(*, user) -> QuerySet[ActionPlan]:
    """Plans an agency lead may read: those of other members of their own agency, else none."""
    from accounts.selectors import user_is_agency_lead

    if not user_is_agency_lead(user=user):
        return ActionPlan.objects.none()
    return (
        ActionPlan.objects.filter(user__agency_id=user.agency_id)
        .exclude(user=user)
        .select_related("course", "user")
    )


def action_plan_for_viewer(*, user, pk: int) -> ActionPlan | None:
    """The plan if the user wrote it or leads the writer's agency; None otherwise (a 404)."""
    plan = ActionPlan.objects.select_related("course", "user").filter(pk=pk).first()
    if plan is None:
        return None
    if plan.user_id == user.pk or action_plans_for_lead(user=user).filter(pk=pk).exists():
        return plan
    return None


def action_plan_for_course(*, user, course) -> ActionPlan | None:
    """The learner's plan for one course, if written."""
    return ActionPlan.objects.filter(user=user, course=course).first()
