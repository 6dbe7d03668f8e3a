"""Completion and coverage figures per course and module, grouped by sector, agency, team or role.

Every figure is a handful of aggregate queries over the rollup rows joined to the learner's
*current* agency, team and job role; the number of queries depends on the courses shown, never
on the number of learners. Required and overdue come from the required-learning rules and from
courses assigned with a due date, written as SQL conditions so that they are counted in the
database too.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from accounts.models import Agency, JobRole, MembershipStatus, Sector, Team, User
from accounts.selectors import not_left_q
from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ModulePage,
    RequiredLearning,
)
from reports.models import CourseRollup, ModuleRollup
from reports.selectors.scope import GROUPINGS, ReportFilters, report_agency_ids

FIGURES = ("required", "enrolled", "in_progress", "completed", "overdue", "refresher_due")


@dataclass
class FigureRow:
    """One line of the figures table: a group's figures for a course or one of its modules."""

    group: object
    group_label: str
    course_id: int
    course_title: str
    module_id: int | None = None
    module_title: str = ""
    required: int = 0
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    overdue: int = 0
    refresher_due: int = 0
    required_met: int = 0  # required people holding a valid completion (course rows only)
    registered: int = 0
    headcount: int | None = None

    @property
    def coverage_headcount(self) -> float | None:
        """Completed as a percentage of the declared headcount (None when not declared)."""
        return round(100 * self.completed / self.headcount, 1) if self.headcount else None

    @property
    def coverage_registered(self) -> float | None:
        """Completed as a percentage of registered learners (None when there are none)."""
        return round(100 * self.completed / self.registered, 1) if self.registered else None


def learners_in_scope(*, agency_ids: list[int]):
    """Active, approved people in the agencies: the registered learners of coverage."""
    return User.objects.filter(
        not_left_q(),
        is_active=True,
        membership_status=MembershipStatus.APPROVED,
        agency_id__in=agency_ids,
    )


def _user_scope(agency_ids: list[int]) -> Q:
    return not_left_q(prefix="user__") & Q(
        user__is_active=True,
        user__membership_status=MembershipStatus.APPROVED,
        user__agency_id__in=agency_ids,
    )


def _between(field: str, start: datetime | None, at: datetime) -> Q:
    condition = Q(**{f"{field}__isnull": False, f"{field}__lte": at})
    return condition & Q(**{f"{field}__gte": start}) if start else condition


def _grouped(queryset, key: str | None, annotations: dict, extra_key: str | None = None) -> dict:
    """Aggregate ``queryset`` by ``key`` (and ``extra_key``): {(group, extra): {name: value}}."""
    if not annotations:
        return {}
    keys = [k for k in (key, extra_key) if k]
    if not keys:
        return {(None, None): queryset.aggregate(**annotations)}
    result = {}
    for item in queryset.values(*keys).annotate(**annotations).order_by():
        result[(item[key] if key else None, item[extra_key] if extra_key else None)] = item
    return result


def _rule_match(rule: RequiredLearning, prefix: str) -> Q:
    # Not Q(): an empty Q vanishes when OR-ed, and a rule for everyone would match nobody.
    condition = Q(**{f"{prefix}pk__isnull": False})
    if rule.sectors:
        condition &= Q(**{f"{prefix}agency__sector__in": rule.sectors})
    role_ids = [role.pk for role in rule.job_roles.all()]
    if role_ids:
        condition &= Q(**{f"{prefix}job_role_id__in": role_ids})
    return condition


def _assigned_by(course_id: int, at: datetime):
    """Ids of people assigned the course with a due date by ``at`` (an IN subquery, not a join,
    so counting people never counts one twice)."""
    return (
        Enrolment.objects.filter(course_id=course_id, due_at__isnull=False, enrolled_at__lte=at)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values("user_id")
    )


def required_conditions(
    *, rules: list[RequiredLearning], at: datetime, prefix: str = "", course_id: int | None = None
) -> tuple[Q, Q | None]:
    """(required, past due) conditions on User (or on ``prefix`` + its fields) for one course.

    A rule's due date is ``max(date_joined, rule created) + due_within_months``, as in
    courses.selectors.requirements_for_user; ``date_joined <= at - months`` is that test in SQL.
    With ``course_id``, a course assigned with a due date is required too, and past due once
    that date has gone, as it is in the learner's My learning.
    """
    required = Q(**{f"{prefix}pk__in": []})
    past_due = None
    if course_id is not None:
        assigned = _assigned_by(course_id, at)
        required |= Q(**{f"{prefix}pk__in": assigned})
        past_due = Q(**{f"{prefix}pk__in": assigned.filter(due_at__lte=at)})
    for rule in rules:
        match = _rule_match(rule, prefix)
        required |= match
        months = relativedelta(months=rule.due_within_months)
        if rule.created_at + months <= at:
            late = match & Q(**{f"{prefix}date_joined__lte": at - months})
            past_due = late if past_due is None else past_due | late
    return required, past_due


def report_courses(*, course_id: int | None = None) -> list[CoursePage]:
    """Live courses in catalogue order, or the one chosen (Http404 if it is not live)."""
    courses = CoursePage.objects.live().order_by("path").only("pk", "title", "path", "depth")
    if course_id is not None:
        courses = courses.filter(pk=course_id)
        if not courses:
            raise Http404("No such course.")
    return list(courses)


def _modules_by_course(courses: list[CoursePage]) -> dict[int, list[ModulePage]]:
    if not courses:
        return {}
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path, depth=course.depth + 1)
    by_path = {course.path: course.pk for course in courses}
    modules: dict[int, list[ModulePage]] = defaultdict(list)
    live = ModulePage.objects.live().filter(under).order_by("path")
    for module in live.only("pk", "title", "path"):
        modules[by_path[module.path[: -ModulePage.steplen]]].append(module)
    return modules


def group_labels(*, group_by: str | None, agency_ids: list[int]) -> dict:
    """Display names of every group in scope, including groups with nobody registered yet."""
    if group_by is None:
        return {None: "All agencies"}
    if group_by == "sector":
        sectors = set(Agency.objects.filter(pk__in=agency_ids).values_list("sector", flat=True))
        return {s: Sector(s).label for s in Sector.values if s in sectors}
    if group_by == "agency":
        return dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    if group_by == "team":
        teams = Team.objects.filter(agency_id__in=agency_ids).select_related("agency")
        labels = {team.pk: str(team) if len(agency_ids) > 1 else team.name for team in teams}
        return {**labels, None: "No team"}
    roles = dict(JobRole.objects.values_list("pk", "name"))
    return {**roles, None: "No job role"}


def _headcounts(group_by: str | None, agency_ids: list[int]) -> dict:
    agencies = Agency.objects.filter(pk__in=agency_ids)
    if group_by is None:
        return {None: agencies.aggregate(n=Sum("headcount"))["n"] or 0}
    if group_by == "sector":
        return {i["sector"]: i["n"] for i in agencies.values("sector").annotate(n=Sum("headcount"))}
    if group_by == "agency":
        return dict(agencies.values_list("pk", "headcount"))
    return {}


def course_figures(
    *,
    viewer,
    filters: ReportFilters,
    group_by: str | None = None,
    include_modules: bool = True,
) -> list[FigureRow]:
    """Required, enrolled, in progress, completed, overdue and refresher due, with coverage.

    Scoped to the viewer's agencies (PermissionDenied / Http404 as report_agency_ids). A fixed
    number of queries whatever the number of learners. Counts people by their current agency.
    """
    if group_by is not None and group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    at, start = filters.at, filters.start
    courses = report_courses(course_id=filters.course_id)
    course_ids = [c.pk for c in courses]
    modules = _modules_by_course(courses) if include_modules else {}
    module_ids = [m.pk for ms in modules.values() for m in ms]
    user_key = GROUPINGS.get(group_by) if group_by else None
    rollup_key = f"user__{user_key}" if user_key else None
    valid = Q(completed_at__isnull=False, completed_at__lte=at) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=at)
    )
    rules: dict[int, list[RequiredLearning]] = defaultdict(list)
    for rule in RequiredLearning.objects.filter(course_id__in=course_ids).prefetch_related(
        "job_roles"
    ):
        rules[rule.course_id].append(rule)
    # Overdue without correlated subqueries: past-due people, less those past due who hold a
    # completion (counted on course rows), less those who completed the module without one
    # (counted on module rows, whose course_completed_at copies the course's).
    annotations = {"registered": Count("id")}
    late_on_course = Q(pk__in=[])
    required_on_course = Q(pk__in=[])
    for course in courses:
        required, past_due = required_conditions(rules=rules[course.pk], at=at, course_id=course.pk)
        annotations[f"r{course.pk}"] = Count("id", filter=required)
        annotations[f"p{course.pk}"] = Count("id", filter=past_due)
        user_required, late = required_conditions(
            rules=rules[course.pk], at=at, prefix="user__", course_id=course.pk
        )
        required_on_course |= Q(course_id=course.pk) & user_required
        late_on_course |= Q(course_id=course.pk) & late
    done_at = Q(completed_at__isnull=False, completed_at__lte=at)
    course_counts = _grouped(
        CourseRollup.objects.filter(_user_scope(agency_ids), course_id__in=course_ids),
        rollup_key,
        {
            "enrolled": Count("id", filter=_between("enrolled_at", start, at)),
            "in_progress": Count(
                "id", filter=Q(in_progress=True) & _between("enrolled_at", start, at) & ~valid
            ),
            "completed": Count("id", filter=valid & _between("completed_at", start, at)),
            "refresher_due": Count("id", filter=done_at & Q(expires_at__lte=at)),
            "late_done": Count("id", filter=late_on_course & done_at),
            "required_met": Count("id", filter=required_on_course & valid),
        },
        "course_id",
    )
    module_counts = (
        _grouped(
            ModuleRollup.objects.filter(_user_scope(agency_ids), module_id__in=module_ids),
            rollup_key,
            {
                "enrolled": Count("id", filter=_between("started_at", start, at)),
                "in_progress": Count(
                    "id",
                    filter=_between("started_at", start, at)
                    & (Q(completed_at__isnull=True) | Q(completed_at__gt=at)),
                ),
                "completed": Count("id", filter=_between("completed_at", start, at)),
                "late_module_only": Count(
                    "id",
                    filter=late_on_course
                    & done_at
                    & (Q(course_completed_at__isnull=True) | Q(course_completed_at__gt=at)),
                ),
            },
            "module_id",
        )
        if module_ids
        else {}
    )
    people = _grouped(learners_in_scope(agency_ids=agency_ids), user_key, annotations)
    labels = group_labels(group_by=group_by, agency_ids=agency_ids)
    for group, _ in people:
        labels.setdefault(group, "Unknown")
    headcounts = _headcounts(group_by, agency_ids)
    rows = []
    for group, label in sorted(labels.items(), key=lambda item: (item[0] is None, item[1])):
        person = people.get((group, None), {})
        for course in courses:
            counts = course_counts.get((group, course.pk), {})
            base = {
                "group": group,
                "group_label": label,
                "course_id": course.pk,
                "course_title": course.title,
                "required": person.get(f"r{course.pk}", 0),
                "registered": person.get("registered", 0),
                "headcount": headcounts.get(group) if headcounts else None,
                "refresher_due": counts.get("refresher_due", 0),
            }
            rows.append(
                FigureRow(
                    **base,
                    enrolled=counts.get("enrolled", 0),
                    in_progress=counts.get("in_progress", 0),
                    completed=counts.get("completed", 0),
                    overdue=person.get(f"p{course.pk}", 0) - counts.get("late_done", 0),
                    required_met=counts.get("required_met", 0),
                )
            )
            for module in modules.get(course.pk, []):
                m_counts = module_counts.get((group, module.pk), {})
                rows.append(
                    FigureRow(
                        **base,
                        module_id=module.pk,
                        module_title=module.title,
                        enrolled=m_counts.get("enrolled", 0),
                        in_progress=m_counts.get("in_progress", 0),
                        completed=m_counts.get("completed", 0),
                        overdue=person.get(f"p{course.pk}", 0)
                        - counts.get("late_done", 0)
                        - m_counts.get("late_module_only", 0),
                    )
                )
    return rows


@dataclass
class TrendPoint:
    month: date
    enrolled: int
    completed: int


def monthly_trend(*, viewer, filters: ReportFilters, months: int = 12) -> list[TrendPoint]:
    """First enrolments and completions per calendar month, over the date range or last year.

    Completions are each learner's latest completion of a course that was not revoked.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    at = filters.at
    first = (filters.start or at - relativedelta(months=months - 1)).date().replace(day=1)
    if filters.course_id is not None:
        report_courses(course_id=filters.course_id)
    rollups = CourseRollup.objects.filter(_user_scope(agency_ids))
    if filters.course_id is not None:
        rollups = rollups.filter(course_id=filters.course_id)
    series = {}
    for field, name in (("enrolled_at", "enrolled"), ("completed_at", "completed")):
        monthly = (
            rollups.filter(_between(field, filters.start, at))
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        series[name] = {_month(item["month"]): item["n"] for item in monthly}
    points, month = [], first
    while month <= at.date():
        points.append(
            TrendPoint(
                month=month,
                enrolled=series["enrolled"].get(month, 0),
                completed=series["completed"].get(month, 0),
            )
        )
        month = month + relativedelta(months=1)
    return points


def _month(value) -> date:
    return (value.date() if isinstance(value, datetime) else value).replace(day=1)
