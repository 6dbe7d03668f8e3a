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


def test_the_ending_that_completes_the_course_says_so_links_the_certificate_and_explains_the_score(
    client,
):
    learner = UserFactory()
    scenario = scenario_create()
    course, module = _course_embedding(scenario)
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    attempt = attempt_start(user=learner, scenario=scenario, module=module)
    attempt_choose(attempt=attempt, node_key="arrival", choice=None)
    attempt_choose(attempt=attempt, node_key="first-call", choice="a")
    client.force_login(learner)

    html = client.get(f"/scenarios/attempts/{attempt.registration}/end/").content.decode()

    code = Completion.objects.get(user=learner).certificate.code
    assert f"You completed “{course.title}”" in html
    assert f"/courses/certificates/{code}/pdf/" in html
    assert "Each choice adds points" in html and "Scores on this scenario run from" in html


def test_reopening_a_module_of_a_completed_course_shows_the_completion_not_not_started(client):
    learner = UserFactory()
    scenario = scenario_create()
    course, module = _course_embedding(scenario)
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    attempt = attempt_start(user=learner, scenario=scenario, module=module)
    attempt_choose(attempt=attempt, node_key="arrival", choice=None)
    attempt_choose(attempt=attempt, node_key="first-call", choice="a")
    client.force_login(learner)

    html = client.get(module.url).content.decode()

    assert "You have not started this course" not in html
    assert f"You completed “{course.title}”" in html and "Download your certificate" in html
