"""The register, its corrections, certificates, the same record (xAPI) and the lead's reports."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader
from ralph.models.xapi.base.statements import BaseXapiStatement

from accounts.roles import Role
from events.models import Attendance
from events.selectors import bookings_for_lead, no_shows
from events.services.attendance import register_mark
from events.services.booking import BookingError, booking_create
from learning.models import EventKind, LearningEvent
from tests.accounts.factories import UserFactory
from tests.events.conftest import training_event_journey
from tracking.lrs.models import Statement
from tracking.vocabulary import (
    TYPE_MEETING,
    VERB_ATTENDED,
    VERB_COMPLETED,
    VERB_REGISTERED,
    VERB_VOIDED,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(session, learners):
    return [booking_create(user=learner, session=session) for learner in learners[:2]]


def _during(session):
    return time_machine.travel(session.starts_at + timedelta(minutes=10))


def test_the_register_opens_an_hour_before_the_start(session, trainer, booked):
    with pytest.raises(BookingError, match="opens an hour"):
        register_mark(session=session, marks={booked[0].pk: "attended"}, marked_by=trainer)


def test_only_the_sessions_trainers_mark_its_register(session, booked, learners):
    other_trainer = UserFactory(roles=[Role.TRAINER])
    with _during(session), pytest.raises(PermissionDenied):
        register_mark(session=session, marks={booked[0].pk: "attended"}, marked_by=other_trainer)


def test_attended_records_attended_and_completed_and_left_early_attended_only(
    session, trainer, booked
):
    with _during(session):
        changed = register_mark(
            session=session,
            marks={booked[0].pk: Attendance.ATTENDED, booked[1].pk: Attendance.LEFT_EARLY},
            marked_by=trainer,
        )
    assert changed == 2
    kinds = lambda b: list(  # noqa: E731
        LearningEvent.objects.filter(registration=b.registration)
        .order_by("occurred_at")
        .values_list("kind", flat=True)
    )
    assert kinds(booked[0]) == [
        EventKind.EVENT_BOOKED,
        EventKind.EVENT_ATTENDED,
        EventKind.EVENT_COMPLETED,
    ]
    assert kinds(booked[1]) == [EventKind.EVENT_BOOKED, EventKind.EVENT_ATTENDED]


def test_saving_the_same_register_twice_records_nothing_new(session, trainer, booked):
    with _during(session):
        register_mark(session=session, marks={booked[0].pk: "attended"}, marked_by=trainer)
        before = LearningEvent.objects.count()
        assert (
            register_mark(session=session, marks={booked[0].pk: "attended"}, marked_by=trainer) == 0
        )
    assert LearningEvent.objects.count() == before


def test_statements_use_adl_verbs_validate_and_a_correction_voids_them(learners):
    events = training_event_journey(learners[0])
    by_id = {str(s.statement_id): s for s in Statement.objects.all()}
    verbs = [by_id[str(e.id)].data["verb"]["id"] for e in events]
    assert verbs == [
        VERB_REGISTERED,
        VERB_VOIDED,  # the first booking cancelled
        VERB_REGISTERED,
        VERB_ATTENDED,
        VERB_COMPLETED,
        VERB_VOIDED,  # marked did not attend: attended and completed voided
        VERB_ATTENDED,
        VERB_COMPLETED,
    ]
    for statement in by_id.values():
        BaseXapiStatement(**statement.data)
    attended = by_id[str(events[3].id)].data
    assert attended["object"]["definition"]["type"] == TYPE_MEETING
    assert attended["context"]["contextActivities"]["parent"][0]["definition"]["name"] == {
        "en-GB": "Missing children across agencies"
    }
    # The first attended and completed statements are voided; the last pair stands.
    assert by_id[str(events[3].id)].voided and by_id[str(events[4].id)].voided
    assert not by_id[str(events[6].id)].voided and not by_id[str(events[7].id)].voided
    late = by_id[str(events[6].id)].data["result"]["extensions"]
    assert list(late.values()) == ["late"]


def test_certificate_of_attendance_only_once_attended(client, session, trainer, booked, learners):
    client.force_login(learners[0])
    url = reverse("events:certificate", args=[booked[0].pk])
    assert client.get(url).status_code == 302  # not yet marked: back to the bookings page
    with _during(session):
        register_mark(session=session, marks={booked[0].pk: "late"}, marked_by=trainer)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(__import__("io").BytesIO(response.content)).pages[0].extract_text()
    assert "Certificate of attendance" in text
    assert "Reflective supervision" in text
    client.force_login(learners[1])
    assert client.get(url).status_code == 404


def test_no_shows_are_reported_to_the_agency_lead_only_for_their_agency(
    session, trainer, booked, lead
):
    outsider = UserFactory()
    outsider_booking = booking_create(
        user=outsider,
        session=session.__class__.objects.create(
            page=session.page,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            mode="online",
            joining_link="https://meet.example.org/x",
        ),
    )
    session_two = outsider_booking.session
    session_two.trainers.add(trainer)
    session_two.save()
    with _during(session):
        register_mark(
            session=session,
            marks={booked[0].pk: "did_not_attend", booked[1].pk: "attended"},
            marked_by=trainer,
        )
        register_mark(
            session=session_two, marks={outsider_booking.pk: "cancelled_late"}, marked_by=trainer
        )
    assert list(no_shows(user=lead)) == [booked[0]]
    assert outsider_booking not in bookings_for_lead(user=lead)
    admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    assert set(no_shows(user=admin)) == {booked[0], outsider_booking}
    assert not no_shows(user=booked[1].user).exists()


def test_the_register_page_has_a_radio_group_per_person_and_saves(client, session, trainer, booked):
    client.force_login(trainer)
    url = reverse("events:register", args=[session.pk])
    page = client.get(url).content.decode()
    assert page.count('class="govuk-radios__input"') == 2 * len(Attendance.choices)
    assert "<legend" in page
    with _during(session):
        client.force_login(trainer)  # a session signed in a fortnight ago has expired
        response = client.post(url, {f"booking-{booked[0].pk}": "attended"})
    assert response.status_code == 302
    assert response["Location"] == url
    booked[0].refresh_from_db()
    assert booked[0].attendance == "attended"
    assert booked[0].attendance_marked_by == trainer


def test_a_learner_cannot_open_the_register(client, session, booked, learners):
    client.force_login(learners[0])
    assert client.get(reverse("events:register", args=[session.pk])).status_code == 403


def test_the_staff_page_is_for_leads(client, session, booked, lead, learners):
    client.force_login(learners[0])
    assert client.get(reverse("events:staff")).status_code == 403
    client.force_login(lead)
    page = client.get(reverse("events:staff")).content.decode()
    assert str(learners[0]) in page
