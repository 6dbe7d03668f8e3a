"""Every learning event becomes a valid xAPI statement in the embedded LRS, in its transaction."""

import json

import pytest
from django.db import transaction
from ralph.models.xapi.base.statements import BaseXapiStatement

from learning.models import EventKind, LearningEvent
from learning.services import learning_event_record
from tests.events.conftest import training_event_journey
from tests.tracking.conftest import SECRET_REFLECTION, journey
from tracking.lrs.models import Statement
from tracking.models import Delivery
from tracking.statements import VOIDING
from tracking.vocabulary import (
    EXT_PROGRESS,
    TYPE_INTERACTION,
    VERB_ANSWERED,
    VERB_COMPLETED,
    VERB_PASSED,
    VERB_VOIDED,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements(police_officer, tracked_course):
    events = journey(police_officer, *tracked_course)
    stored = {str(s.statement_id): s for s in Statement.objects.all()}
    return events, stored


def test_every_event_kind_makes_a_statement_that_ralph_validates(statements, police_officer):
    events, _ = statements
    events = events + training_event_journey(police_officer)
    stored = {str(s.statement_id): s for s in Statement.objects.all()}
    assert {e.kind for e in events} == set(EventKind.values)
    for event in events:
        if event.kind in VOIDING:
            continue
        statement = stored[str(event.id)]  # statement id = event id
        BaseXapiStatement(**statement.data)
    voiding = [s for s in stored.values() if s.is_voiding]
    assert voiding
    for statement in voiding:
        BaseXapiStatement(**statement.data)


def test_actor_is_the_pseudonymous_account_and_no_name_or_email_is_sent(
    statements, police_officer, settings
):
    _, stored = statements
    dump = json.dumps([s.data for s in stored.values()])
    for private in (police_officer.email, "Zebedee", "Quarrington", "Greater Manchester Police"):
        assert private not in dump
    for statement in stored.values():
        assert statement.data["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": settings.SITE_URL, "name": str(police_officer.pseudonym)},
        }


def test_reflection_text_never_leaves_the_platform(statements):
    _, stored = statements
    assert SECRET_REFLECTION not in json.dumps([s.data for s in stored.values()])


def test_context_has_registration_hierarchy_platform_and_sector_and_role(statements, settings):
    events, stored = statements
    answered = next(e for e in events if e.kind == EventKind.CHECK_ANSWERED)
    data = stored[str(answered.id)].data
    context = data["context"]
    assert context["registration"] == str(answered.registration)
    assert context["contextActivities"]["parent"][0]["id"].endswith(f"/module/{answered.module_id}")
    assert context["contextActivities"]["grouping"][0]["id"].endswith(
        f"/course/{answered.course_id}"
    )
    assert context["language"] == "en-GB" and context["platform"]
    assert context["extensions"] == {
        f"{settings.SITE_URL}/xapi/extensions/agency-sector": "police",
        f"{settings.SITE_URL}/xapi/extensions/job-role": "police-officer",
    }


def test_a_knowledge_check_is_a_choice_interaction_with_response_and_correct_pattern(statements):
    events, stored = statements
    first = next(e for e in events if e.kind == EventKind.CHECK_ANSWERED)
    data = stored[str(first.id)].data
    assert data["verb"]["id"] == VERB_ANSWERED
    definition = data["object"]["definition"]
    assert definition["type"] == TYPE_INTERACTION
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == ["0", "1", "2"]
    assert definition["correctResponsesPattern"] == ["1"]
    assert data["result"] == {"success": False, "response": "0"}


def test_a_scenario_decision_carries_its_choices_the_response_and_duration(statements):
    events, stored = statements
    choice = next(e for e in events if e.kind == EventKind.SCENARIO_CHOICE)
    data = stored[str(choice.id)].data
    definition = data["object"]["definition"]
    assert data["object"]["id"].endswith(f"/decision/{choice.extra['scenario_id']}/first-call")
    assert [c["id"] for c in definition["choices"]] == [c["key"] for c in choice.extra["choices"]]
    assert data["result"]["response"] == "a"
    assert data["result"]["duration"].startswith("PT")
    assert data["context"]["contextActivities"]["parent"][0]["id"].endswith(
        f"/scenario/{choice.extra['scenario_id']}"
    )


def test_section_views_report_progress(statements):
    events, stored = statements
    viewed = [e for e in events if e.kind == EventKind.SECTION_VIEWED]
    last = stored[str(viewed[-1].id)].data
    assert last["result"]["extensions"][EXT_PROGRESS] == 100


def test_revocation_voids_the_completed_and_passed_statements_of_that_registration(statements):
    events, stored = statements
    originals = {
        str(e.id) for e in events if e.kind in (EventKind.COURSE_COMPLETED, EventKind.COURSE_PASSED)
    }
    assert {stored[i].data["verb"]["id"] for i in originals} == {VERB_COMPLETED, VERB_PASSED}
    voiding = [s for s in stored.values() if s.is_voiding]
    assert {s.data["object"]["id"] for s in voiding} == originals
    assert all(s.data["verb"]["id"] == VERB_VOIDED for s in voiding)
    assert all(stored[i].voided for i in originals)
    revoked = next(e for e in events if e.kind == EventKind.COMPLETION_REVOKED)
    assert str(revoked.id) in {str(s.statement_id) for s in voiding}


def test_an_event_whose_transaction_rolls_back_leaves_no_statement_and_no_outbox_row(
    police_officer, tracked_course, destination_factory
):
    course, _module, _scenario = tracked_course
    destination_factory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        learning_event_record(
            user=police_officer,
            kind=EventKind.ENROLLED,
            activity=f"course:{course.pk}",
            course=course,
        )
        assert Statement.objects.count() == 1 and Delivery.objects.count() == 1
        raise Boom
    assert not LearningEvent.objects.exists()
    assert not Statement.objects.exists()
    assert not Delivery.objects.exists()


def test_an_event_that_cannot_become_a_statement_fails_loudly(police_officer, tracked_course):
    from tracking.statements import StatementBuildError

    course, module, _scenario = tracked_course
    with pytest.raises(StatementBuildError):
        learning_event_record(
            user=police_officer,
            kind=EventKind.CHECK_ANSWERED,
            activity=f"check:{module.pk}:no-such-block",
            course=course,
            module=module,
        )
    assert not LearningEvent.objects.exists()


def test_a_course_event_recorded_without_its_page_is_named_by_its_activity_key(police_officer):
    event = learning_event_record(
        user=police_officer, kind=EventKind.COURSE_LAUNCHED, activity="course:1234"
    )
    data = Statement.objects.get(statement_id=event.id).data
    assert data["object"]["id"].endswith("/xapi/activities/course/1234")
    BaseXapiStatement(**data)
