"""Report test data: learning records made directly, each with its learning event applied to
the rollups the way learning.services.learning_event_record will apply it."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.roles import Role
from courses.models import Completion, Enrolment, EnrolmentStatus, ModuleProgress
from learning.models import EventKind
from learning.services import learning_event_record
from reports.services.rollup import rollup_apply_event
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory, ModulePageFactory


def when(text: str) -> datetime:
    """An aware datetime from 'YYYY-MM-DD'."""
    return timezone.make_aware(datetime.fromisoformat(text))


def course_with_modules(*, modules: int = 2, refresher_months: int = 12, **fields):
    course = CoursePageFactory(refresher_months=refresher_months, **fields)
    return course, [ModulePageFactory(parent=course) for _ in range(modules)]


def _event(user, kind, course, *, module=None, registration=None, at=None):
    event = learning_event_record(
        user=user,
        kind=kind,
        activity=f"course:{course.pk}",
        course=course,
        module=module,
        registration=registration,
        occurred_at=at,
    )
    rollup_apply_event(event=event)
    return event


def enrol(user, course, at: str) -> Enrolment:
    enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=when(at))
    _event(user, EventKind.ENROLLED, course, registration=enrolment.registration, at=when(at))
    return enrolment


def module_done(enrolment: Enrolment, module, started: str, completed: str | None = None):
    ModuleProgress.objects.create(
        enrolment=enrolment,
        module=module,
        started_at=when(started),
        completed_at=when(completed) if completed else None,
    )
    user, course = enrolment.user, enrolment.course
    _event(user, EventKind.MODULE_LAUNCHED, course, module=module, at=when(started))
    if completed:
        _event(user, EventKind.MODULE_COMPLETED, course, module=module, at=when(completed))


def complete(enrolment: Enrolment, at: str) -> Completion:
    course = enrolment.course
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, when(at)
    enrolment.save()
    completion = Completion.objects.create(
        user=enrolment.user,
        course=course,
        enrolment=enrolment,
        completed_at=when(at),
        expires_at=when(at) + relativedelta(months=course.refresher_months)
        if course.refresher_months
        else None,
    )
    _event(enrolment.user, EventKind.COURSE_COMPLETED, course, at=when(at))
    return completion


def revoke(completion: Completion, at: str) -> None:
    completion.revoked_at = when(at)
    completion.save()
    _event(completion.user, EventKind.COMPLETION_REVOKED, completion.course, at=when(at))


def lead_of(agency):
    return UserFactory(agency=agency, roles=[Role.AGENCY_LEAD])


def admin():
    return UserFactory(agency=None, roles=[Role.PARTNERSHIP_ADMIN])
