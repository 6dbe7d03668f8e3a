"""Which destinations get which statements, voiding after revocation, reconciliation, GDPR,
and the add_lrs_destination command."""

import json
import os

import pytest
from django.core.management import CommandError, call_command

from accounts.services import user_data_export
from learning.models import EventKind
from learning.services import learning_event_record
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.courses.factories import CoursePageFactory
from tests.tracking.conftest import journey
from tracking.credentials import secret_decrypt
from tracking.models import Delivery, DeliveryState, LRSDestination
from tracking.selectors import destination_reconciliation
from tracking.services.destinations import deliveries_backfill
from tracking.vocabulary import VERB_COMPLETED, VERB_PASSED, VERB_VOIDED

pytestmark = pytest.mark.django_db


def _launch(user, course):
    return learning_event_record(
        user=user, kind=EventKind.COURSE_LAUNCHED, activity=f"course:{course.pk}", course=course
    )


def test_the_police_lrs_receives_only_police_officers_statements(destination_factory):
    police = AgencyFactory(sector="police")
    police_lrs = destination_factory(agencies=[police])
    everyone = destination_factory()
    course = CoursePageFactory()
    officer, teacher = UserFactory(agency=police), UserFactory()

    officer_event, teacher_event = _launch(officer, course), _launch(teacher, course)

    assert set(
        Delivery.objects.filter(destination=police_lrs).values_list(
            "statement__statement_id", flat=True
        )
    ) == {officer_event.id}
    assert Delivery.objects.filter(destination=everyone).count() == 2
    assert teacher_event.id in set(
        Delivery.objects.filter(destination=everyone).values_list(
            "statement__statement_id", flat=True
        )
    )


def test_course_and_verb_filters_select_statements(
    destination_factory, police_officer, tracked_course
):
    course, module, scenario = tracked_course
    other = CoursePageFactory()
    completions_only = destination_factory(verbs=[VERB_COMPLETED, VERB_PASSED], courses=[course])
    _launch(police_officer, course)
    _launch(police_officer, other)
    assert not Delivery.objects.filter(destination=completions_only).exists()
    journey(police_officer, course, module, scenario)
    verbs = set(
        Delivery.objects.filter(destination=completions_only).values_list("verb_id", flat=True)
    )
    # completed (modules, course, reflection, scenario), passed, and voiding of the course's.
    assert verbs == {VERB_COMPLETED, VERB_PASSED, VERB_VOIDED}


def test_a_voiding_statement_goes_to_every_destination_that_had_the_original(
    destination_factory, police_officer, tracked_course
):
    all_verbs = destination_factory()
    launches_only = destination_factory(verbs=["http://adlnet.gov/expapi/verbs/launched"])
    events = journey(police_officer, *tracked_course)
    revoked = next(e for e in events if e.kind == EventKind.COMPLETION_REVOKED)
    voiding = Delivery.objects.filter(verb_id=VERB_VOIDED)
    assert set(voiding.values_list("destination_id", flat=True)) == {all_verbs.pk}
    assert voiding.count() == 2  # completed and passed
    assert revoked.id in set(voiding.values_list("statement__statement_id", flat=True))
    assert not Delivery.objects.filter(destination=launches_only, verb_id=VERB_VOIDED).exists()


def test_reconciliation_lists_unacknowledged_completions_and_backfill_queues_them(
    destination_factory, police_officer, tracked_course
):
    events = journey(police_officer, *tracked_course, revoke=False)
    late = destination_factory()  # added after the learner completed
    completions = {
        str(e.id) for e in events if e.kind in (EventKind.COURSE_COMPLETED, EventKind.COURSE_PASSED)
    }

    report = destination_reconciliation(destination=late)
    assert report["local"] == 2 and report["acknowledged"] == 0
    assert {g.statement_id for g in report["gaps"]} == completions
    assert {g.problem for g in report["gaps"]} == {"never queued"}

    assert deliveries_backfill(destination=late) == 2
    assert deliveries_backfill(destination=late) == 0  # idempotent
    Delivery.objects.filter(destination=late).update(state=DeliveryState.SENT)
    report = destination_reconciliation(destination=late)
    assert report["acknowledged"] == 2 and report["gaps"] == []


def test_a_completion_revoked_before_the_destination_existed_is_neither_a_gap_nor_backfilled(
    destination_factory, police_officer, tracked_course
):
    journey(police_officer, *tracked_course)  # completes, then the completion is revoked
    late = destination_factory()

    report = destination_reconciliation(destination=late)

    assert report == {"local": 0, "acknowledged": 0, "gaps": []}
    assert deliveries_backfill(destination=late) == 0
    assert not Delivery.objects.filter(destination=late).exists()


def test_download_your_data_includes_the_learners_statements_and_where_they_went(
    destination_factory, police_officer, tracked_course
):
    destination_factory(name="Police LRS")
    event = _launch(police_officer, tracked_course[0])
    other = _launch(UserFactory(), tracked_course[0])
    export = json.loads(json.dumps(user_data_export(user=police_officer), default=str))
    ids = [s["id"] for s in export["xapi_statements"]]
    assert ids == [str(event.id)]
    assert str(other.id) not in json.dumps(export)
    assert export["xapi_forwarded"] == [
        {
            "statement_id": str(event.id),
            "destination": "Police LRS",
            "state": "pending",
            "sent_at": None,
        }
    ]


def test_add_lrs_destination_sets_one_up_with_the_secret_from_the_environment(monkeypatch, capsys):
    police = AgencyFactory(slug="gmp")
    monkeypatch.setitem(os.environ, "LRS_SECRET", "s3cret")
    call_command(
        "add_lrs_destination",
        "Police LRS",
        "https://lrs.police.example.org/xapi/",
        "--key",
        "abc",
        "--agency",
        "gmp",
        "--verb",
        "completed",
        "--identifier",
        "mbox",
    )
    destination = LRSDestination.objects.get(name="Police LRS")
    assert list(destination.agencies.all()) == [police]
    assert destination.verbs == [VERB_COMPLETED] and destination.identifier == "mbox"
    assert "s3cret" not in destination.secret_encrypted
    assert secret_decrypt(token=destination.secret_encrypted) == "s3cret"
    assert "Added LRS destination" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "nope"], "No agency with the slug nope"),
        (["--verb", "liked"], "Unknown verb “liked”"),
        (["--batch-size", "9999"], "batch_size"),
    ],
)
def test_add_lrs_destination_explains_bad_input_and_creates_nothing(monkeypatch, args, message):
    monkeypatch.setitem(os.environ, "LRS_SECRET", "s3cret")
    with pytest.raises(CommandError, match=message):
        call_command(
            "add_lrs_destination", "X", "https://lrs.example.org/xapi/", "--key", "k", *args
        )
    assert not LRSDestination.objects.exists()


def test_add_lrs_destination_needs_the_secret(monkeypatch):
    monkeypatch.delitem(os.environ, "LRS_SECRET", raising=False)
    with pytest.raises(CommandError, match="LRS_SECRET"):
        call_command("add_lrs_destination", "X", "https://lrs.example.org/xapi/", "--key", "k")
