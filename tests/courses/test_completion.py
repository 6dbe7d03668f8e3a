"""Completion rules: modules visited, pass mark at its edges, scenarios, retakes and events."""

import pytest

from courses.models import CheckAnswer, Completion, Enrolment, EnrolmentStatus, ModulePage
from courses.selectors.structure import module_check_blocks
from courses.services.learning import (
    LearningError,
    check_answer,
    course_completion_evaluate,
    enrolment_create,
    section_visit,
)
from learning.models import EventKind, LearningEvent
from tests.courses.conftest import visit_all
from tests.courses.factories import CoursePageFactory, ModulePageFactory, check, section

pytestmark = pytest.mark.django_db


def answer_all(user, course, *, correct: bool = True, only=None):
    """Answer every check in the course (first option is correct in the factories)."""
    for module in ModulePage.objects.child_of(course):
        for block in module_check_blocks(module=module):
            right = [n for n, o in enumerate(block.value["options"]) if o["correct"]]
            wrong = [n for n, o in enumerate(block.value["options"]) if not o["correct"]][:1]
            use = correct if only is None else block.value["question"] in only
            check_answer(
                user=user, module=module, block_id=block.id, chosen=right if use else wrong
            )


def kinds(user):
    return list(LearningEvent.objects.filter(user=user).values_list("kind", flat=True))


def test_enrolment_is_idempotent_and_has_a_registration(learner, course):
    first = enrolment_create(user=learner, course=course)
    assert enrolment_create(user=learner, course=course) == first
    assert first.registration
    assert kinds(learner) == [EventKind.ENROLLED]


def test_viewing_every_section_completes_modules_and_then_the_course(learner, course, enrolled):
    visit_all(learner, course)
    assert not Completion.objects.exists()  # the checks are not answered yet
    answer_all(learner, course)
    completion = Completion.objects.get(user=learner)
    assert completion.score == 100
    assert completion.certificate.cpd_minutes == 90
    enrolled.refresh_from_db()
    assert enrolled.status == EnrolmentStatus.COMPLETED
    events = kinds(learner)
    assert events.count(EventKind.COURSE_LAUNCHED) == 1
    assert events.count(EventKind.MODULE_LAUNCHED) == 2
    assert events.count(EventKind.MODULE_COMPLETED) == 2
    assert events.count(EventKind.SECTION_VIEWED) == 5
    assert events[-2:] == [EventKind.COURSE_COMPLETED, EventKind.COURSE_PASSED]
    assert {e.registration for e in LearningEvent.objects.filter(user=learner)} == {
        enrolled.registration
    }


def test_answering_checks_without_visiting_every_module_does_not_complete(
    learner, course, enrolled
):
    module_one = ModulePage.objects.get(slug="module-one")
    for position in (1, 2, 3):
        section_visit(user=learner, module=module_one, position=position)
    answer_all(learner, course)
    assert not Completion.objects.exists()


def test_revisiting_a_section_records_it_once(learner, course, enrolled):
    module = ModulePage.objects.get(slug="module-one")
    for _ in range(3):
        section_visit(user=learner, module=module, position=1)
    assert kinds(learner).count(EventKind.SECTION_VIEWED) == 1


def test_section_visit_without_enrolment_records_nothing(learner, course):
    module = ModulePage.objects.get(slug="module-one")
    assert section_visit(user=learner, module=module, position=99).position == 3  # the last
    assert not LearningEvent.objects.exists()


@pytest.mark.parametrize(
    ("checks", "right", "pass_mark", "passes"),
    [
        (5, 4, 80, True),  # exactly at the pass mark
        (4, 3, 80, False),  # 75% is below 80%
        (3, 2, 67, False),  # 66.67% is below 67% (no rounding up)
        (3, 2, 66, True),
        (2, 0, 0, True),  # a pass mark of 0 passes everyone who finishes
        (2, 2, 100, True),
        (2, 1, 100, False),
    ],
)
def test_pass_mark_edges(learner, checks, right, pass_mark, passes):
    course = CoursePageFactory(pass_mark=pass_mark)
    questions = [check(question=f"Q{n}") for n in range(checks)]
    ModulePageFactory(parent=course, body=[section("Only", *questions)])
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    answer_all(learner, course, only={f"Q{n}" for n in range(right)})
    assert Completion.objects.filter(user=learner).exists() is passes
    assert (EventKind.COURSE_FAILED in kinds(learner)) is not passes


def test_retake_after_failing_keeps_every_attempt_and_then_passes(learner, course, enrolled):
    visit_all(learner, course)
    answer_all(learner, course, correct=False)
    assert not Completion.objects.exists()
    answer_all(learner, course, correct=True)
    assert Completion.objects.filter(user=learner).count() == 1
    assert CheckAnswer.objects.filter(enrolment=enrolled).count() == 4
    assert kinds(learner).count(EventKind.COURSE_FAILED) == 2


def test_a_course_without_checks_completes_on_visiting(learner):
    course = CoursePageFactory()
    ModulePageFactory(parent=course)
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    assert Completion.objects.get(user=learner).score is None


@pytest.mark.parametrize(("required", "done", "completes"), [
    (True, False, False), (True, True, True), (False, False, True),
])  # fmt: skip
def test_embedded_scenarios_count_only_when_the_course_requires_them(
    learner, monkeypatch, required, done, completes
):
    from scenarios.models import Scenario

    scenario = Scenario.objects.create(title="S", slug="s", introduction="I", start="a")
    course = CoursePageFactory(require_scenarios=required)
    body = [section("Play", {"type": "scenario", "value": {"scenario": scenario.pk}, "id": "sc1"})]
    ModulePageFactory(parent=course, body=body)
    monkeypatch.setattr(
        "courses.services.learning.scenarios_completed",
        lambda *, user, scenario_ids: set(scenario_ids) if done else set(),
    )
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    assert Completion.objects.filter(user=learner).exists() is completes


def test_a_completed_learner_can_retake_in_a_new_enrolment(learner, course, enrolled):
    visit_all(learner, course)
    answer_all(learner, course)
    retake = enrolment_create(user=learner, course=course)
    assert retake != enrolled and retake.registration != enrolled.registration
    visit_all(learner, course)
    answer_all(learner, course)
    assert Completion.objects.filter(user=learner).count() == 2
    assert Enrolment.objects.filter(user=learner).count() == 2
    assert course_completion_evaluate(enrolment=retake) == retake.completion


def test_invalid_answers_are_refused(learner, course, enrolled):
    module = ModulePage.objects.get(slug="module-one")
    block = module_check_blocks(module=module)[0]
    with pytest.raises(LearningError):
        check_answer(user=learner, module=module, block_id=block.id, chosen=[0, 1])  # single
    with pytest.raises(LearningError):
        check_answer(user=learner, module=module, block_id=block.id, chosen=[7])
    with pytest.raises(LearningError):
        check_answer(user=learner, module=module, block_id="nope", chosen=[0])
    assert not CheckAnswer.objects.exists()


def test_prerequisites_must_be_completed_first(learner, course):
    later = CoursePageFactory(title="Advanced")
    later.prerequisites.add(course)
    later.save()
    with pytest.raises(LearningError, match="Missing children"):
        enrolment_create(user=learner, course=later)
