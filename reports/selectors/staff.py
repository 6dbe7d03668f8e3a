"""An agency's staff list: each person's status on their required and started courses."""

from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta

from courses.models import Enrolment, EnrolmentStatus, RequiredLearning
from learning.selectors import requirement_standings
from reports.models import CourseRollup, ModuleRollup
from reports.selectors.figures import learners_in_scope
from reports.selectors.scope import ReportFilters, report_agency_ids

# Worst first: the order of the staff list and of each person's overall status.
STATUS_ORDER = ("overdue", "refresher_due", "in_progress", "due", "completed", "none")
STATUS_LABELS = {
    "overdue": "Overdue",
    "refresher_due": "Refresher due",
    "in_progress": "In progress",
    "due": "Not started",
    "completed": "Up to date",
    "none": "Nothing required",
}

# A required-learning provider's statuses in the staff list's words.
OTHER_STATUS = {
    "complete": "completed",
    "refresher_due": "refresher_due",
    "overdue": "overdue",
    "due": "due",
}


@dataclass
class StaffRow:
    """One member of staff and where they stand on each course."""

    user_id: int
    name: str
    email: str
    team: str
    job_role: str
    courses: dict[str, list[str]] = field(default_factory=dict)  # status -> course titles

    @property
    def status(self) -> str:
        return next((s for s in STATUS_ORDER if self.courses.get(s)), "none")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _rule_applies(rule: RequiredLearning, user, role_ids: set[int]) -> bool:
    if rule.sectors and user.agency.sector not in rule.sectors:
        return False
    return not role_ids or user.job_role_id in role_ids


def staff_statuses(*, viewer, filters: ReportFilters) -> list[StaffRow]:
    """Staff of one agency in scope, worst status first; a fixed number of queries whatever the
    headcount. Required training events count alongside courses.

    Raises ValueError without an agency when the viewer may see several (partnership admins
    choose one); PermissionDenied / Http404 as report_agency_ids.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    if len(agency_ids) != 1:
        raise ValueError("Choose one agency to list its staff.")
    at = filters.at
    rules = [
        (rule, {role.pk for role in rule.job_roles.all()})
        for rule in RequiredLearning.objects.select_related("course").prefetch_related("job_roles")
        if filters.course_id is None or rule.course_id == filters.course_id
    ]
    people = learners_in_scope(agency_ids=agency_ids).select_related("agency", "team", "job_role")
    # Courses each person has opened: an assigned course nobody has opened is not "in progress".
    started = set(
        ModuleRollup.objects.filter(
            user__in=people.values("pk"), started_at__isnull=False
        ).values_list("user_id", "course_id")
    )
    # Courses assigned with a due date are required by then, as in figures.required_conditions.
    assigned: dict[int, list[tuple[int, str, datetime]]] = {}
    for user_id, course_id, title, due_at in (
        Enrolment.objects.filter(
            user__in=people.values("pk"), due_at__isnull=False, enrolled_at__lte=at
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("user_id", "course_id", "course__title", "due_at")
    ):
        if filters.course_id is None or course_id == filters.course_id:
            assigned.setdefault(user_id, []).append((course_id, title, due_at))
    rollups: dict[int, dict[int, CourseRollup]] = {}
    for row in CourseRollup.objects.filter(
        user__in=people.values("pk"), user__agency_id__in=agency_ids
    ).select_related("course"):
        if filters.course_id is None or row.course_id == filters.course_id:
            rollups.setdefault(row.user_id, {})[row.course_id] = row
    # Required training events (settings.REQUIRED_LEARNING_PROVIDERS) are not courses: they
    # show with the whole list, not when the list is narrowed to one course.
    other: dict[int, list] = {}
    if filters.course_id is None:
        for standing in requirement_standings(users=people, at=at):
            other.setdefault(standing.user_id, []).append(standing)
    result = []
    for person in people.order_by("last_name", "first_name", "email"):
        staff = StaffRow(
            user_id=person.pk,
            name=person.get_full_name() or person.email,
            email=person.email,
            team=person.team.name if person.team else "",
            job_role=person.job_role.name if person.job_role else "",
        )
        mine = rollups.get(person.pk, {})
        due: dict[int, tuple[str, datetime]] = {}
        for rule, role_ids in rules:
            if _rule_applies(rule, person, role_ids):
                when = max(person.date_joined, rule.created_at) + relativedelta(
                    months=rule.due_within_months
                )
                if rule.course_id not in due or when < due[rule.course_id][1]:
                    due[rule.course_id] = (rule.course.title, when)
        for course_id, title, when in assigned.get(person.pk, ()):
            if course_id not in due or when < due[course_id][1]:
                due[course_id] = (title, when)
        for course_id in set(due) | set(mine):
            row = mine.get(course_id)
            title = row.course.title if row else due[course_id][0]
            status = _course_status(row, due.get(course_id), at, (person.pk, course_id) in started)
            staff.courses.setdefault(status, []).append(title)
        for standing in other.get(person.pk, []):
            status = OTHER_STATUS[standing.status]
            staff.courses.setdefault(status, []).append(standing.title)
        for titles in staff.courses.values():
            titles.sort()
        result.append(staff)
    result.sort(key=lambda s: STATUS_ORDER.index(s.status))  # stable: names stay in order
    return result


def _course_status(row: CourseRollup | None, due, at: datetime, started: bool) -> str:
    if row and row.completed_at and row.completed_at <= at:
        if row.expires_at is None or row.expires_at > at:
            return "completed"
        return "refresher_due"
    if due and due[1] <= at:
        return "overdue"
    if row and row.in_progress and started:
        return "in_progress"
    return "due" if due or (row and row.in_progress) else "none"
