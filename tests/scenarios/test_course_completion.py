"""Finishing an embedded scenario completes the course that requires it, at once."""

import pytest

from courses.models import Completion
from courses.services.learning import enrolment_create
from scenarios.services import attempt_choose, attempt_start
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.factories import CoursePageFactory, ModulePageFactory, section
from tests.scenarios.factories import scenario_create

pytestmark = pytest.mark.django_db


def _course_embedding(scenario):
    course = CoursePageFactory(require_scenarios=True)
    body = [section("Play", {"type": "scenario", "value": {"scenario": scenario.pk}, "id": "sc"})]
    module = ModulePageFactory(parent=course, body=body)
    return course, module


def test_finishing_the_embedded_scenario_completes_the_course_without_returning():
    learner = UserFactory()
    scenario = scenario_create()
    course, module = _course_embedding(scenario)
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    assert not Completion.objects.filter(user=learner).exists()

    attempt = attempt_start(user=learner, scenario=scenario, module=module)
    attempt_choose(attempt=attempt, node_key="arrival", choice=None)
    attempt_choose(attempt=attempt, node_key="first-call", choice="a")

    assert Completion.objects.filter(user=learner, course=course).exists()


def test_an_editor_preview_of_the_scenario_completes_nothing():
    learner = UserFactory()
    scenario = scenario_create()
    course, module = _course_embedding(scenario)
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)

    attempt = attempt_start(user=learner, scenario=scenario, module=module, preview=True)
    attempt_choose(attempt=attempt, node_key="arrival", choice=None)
    attempt_choose(attempt=attempt, node_key="first-call", choice="a")

    assert not Completion.objects.filter(user=learner).exists()
