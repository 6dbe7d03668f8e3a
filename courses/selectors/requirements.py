"""My learning and required learning: due dates, refreshers, overdue staff."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from courses.models import (
    Certificate,
    Completion,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    RequiredLearning,
)
from courses.selectors.learner import enrolments_progress
from learning.selectors import requirement_standings

REFRESHER_WARNING_DAYS = 30


@dataclass
class Requirement:
    course: CoursePage
    due: datetime
    completion: Completion | None
    status: str  # "complete", "refresher_due", "overdue", "due"

    @property
    def title(self) -> str:
        return self.course.title


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
    progress = enrolments_progress(enrolments=in_progress)
    completed, refresher_due = [], []
    for completion in _latest_completions(user=user).values():
        (completed if completion.is_valid(at) else refresher_due).append(completion)
    soon = at + timedelta(days=REFRESHER_WARNING_DAYS)
    return {
        "in_progress": in_progress,
        # (enrolment, CourseProgress) pairs: two queries for all of them, none per course.
        "in_progress_cards": [(e, progress[e.pk]) for e in in_progress],
        "assigned": assigned,
        "completed": sorted(completed, key=lambda c: c.completed_at, reverse=True),
        "expiring_soon_ids": {c.pk for c in completed if c.expires_at and c.expires_at <= soon},
        "refresher_due": refresher_due,
        "required": requirements_for_user(user=user, at=at),
        # Required learning other apps own (training events to attend), by due date.
        "required_other": sorted(
            requirement_standings(users=[user], at=at), key=lambda standing: standing.due
        ),
        "certificates": list(
            Certificate.objects.filter(completion__user=user).select_related("completion")
        ),
    }


def agency_overdue_staff(*, agency, at: datetime | None = None) -> list[tuple]:
    """(member, requirement) pairs for an agency's staff who are overdue or need a refresher:
    required courses (a Requirement) and required learning other apps own, such as training
    events (a learning.selectors.RequirementStanding); both have ``title``, ``status``, ``due``."""
    at = at or timezone.now()
    rules = list(RequiredLearning.objects.select_related("course").prefetch_related("job_roles"))
    members = agency.members.filter(is_active=True).select_related("agency")
    other: dict[int, list] = {}
    for standing in requirement_standings(users=members, at=at):
        other.setdefault(standing.user_id, []).append(standing)
    rows = []
    for member in members:
        for requirement in [
            *requirements_for_user(user=member, at=at, rules=rules),
            *other.get(member.pk, []),
        ]:
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
