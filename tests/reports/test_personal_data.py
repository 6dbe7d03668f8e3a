"""A learner's data download includes what the reports and directory apps hold about them."""

import pytest

from accounts.services import user_data_export
from courses.models import Completion
from courses.services.learning import enrolment_create
from directory.models import ProblemReport
from reports.models import StaffReminder
from reports.services.evaluation import evaluation_submit
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.factories import CoursePageFactory, ModulePageFactory, section
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _completed(user):
    course = CoursePageFactory(learning_outcomes="Know one thing")
    ModulePageFactory(parent=course, body=[section("Only")])
    enrolment_create(user=user, course=course)
    visit_all(user, course)
    return Completion.objects.get(user=user, course=course)


def test_data_download_holds_evaluations_reminders_and_problem_reports_of_that_person_only():
    learner, other, lead = UserFactory(), UserFactory(), UserFactory()
    completion = _completed(learner)
    outcomes = completion.course.learning_outcome_list
    evaluation_submit(
        user=learner, completion=completion, usefulness=4, confidence=[(2, 4)] * len(outcomes)
    )
    StaffReminder.objects.create(sender=lead, recipient=learner, message="Please finish by May")
    StaffReminder.objects.create(sender=lead, recipient=other, message="Not yours")
    service = ServiceFactory()
    ProblemReport.objects.create(service=service, reporter=learner, description="Phone is wrong")
    ProblemReport.objects.create(service=service, reporter=other, description="Someone else")

    data = user_data_export(user=learner)

    assert [e["usefulness"] for e in data["report_evaluations"]] == [4]
    assert data["report_evaluations"][0]["confidence"][0]["after"] == 4
    assert [r["message"] for r in data["report_reminders_received"]] == ["Please finish by May"]
    assert [p["what_is_wrong"] for p in data["directory_problem_reports"]] == ["Phone is wrong"]
    assert data["report_subscription"] is None
