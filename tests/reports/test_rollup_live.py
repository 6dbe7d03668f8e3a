"""The rollups follow learning as it happens, with no rebuild in between."""

import pytest

from courses.services.learning import enrolment_create
from reports.models import CourseRollup
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.factories import CoursePageFactory, ModulePageFactory, section

pytestmark = pytest.mark.django_db


def test_enrolling_and_completing_through_the_courses_app_updates_the_course_rollup():
    learner = UserFactory()
    course = CoursePageFactory()
    ModulePageFactory(parent=course, body=[section("Only section")])

    enrolment_create(user=learner, course=course)
    row = CourseRollup.objects.get(user=learner, course_id=course.pk)
    assert row.in_progress and row.completed_at is None

    visit_all(learner, course)
    row.refresh_from_db()
    assert row.completed_at is not None
    assert not row.in_progress
