"""Booking: places, approval, cancellation cut-off, the waiting list and its offers, reminders."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from icalendar import Calendar

from events.models import BookingStatus
from events.services.booking import (
    BookingError,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_decline,
    booking_offer_accept,
    offers_expire,
    reminders_send,
)
from learning.models import EventKind, LearningEvent
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.courses.factories import CoursePageFactory
from tests.events.factories import EventSessionFactory

pytestmark = pytest.mark.django_db


def _ics(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_booking_a_free_place_confirms_it_records_registered_and_emails_an_invitation(
    act, session, learners
):
    booking = act(booking_create, user=learners[0], session=session, access_needs=" Hearing loop ")

    assert booking.status == BookingStatus.BOOKED
    assert booking.access_needs == "Hearing loop"
    event = LearningEvent.objects.get(user=learners[0])
    assert event.kind == EventKind.EVENT_BOOKED
    assert event.registration == booking.registration
    (message,) = mail.outbox
    assert message.subject == "Booking confirmed: Reflective supervision"
    calendar = _ics(message)
    assert calendar["method"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(booking.registration) in str(vevent["uid"])
    assert vevent.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/London"


def test_booking_twice_returns_the_same_booking(act, session, learners):
    first = act(booking_create, user=learners[0], session=session)
    assert act(booking_create, user=learners[0], session=session) == first


def test_a_full_session_puts_the_next_person_on_the_waiting_list(act, session, learners):
    for learner in learners[:2]:
        act(booking_create, user=learner, session=session)
    waiting = act(booking_create, user=learners[2], session=session)

    assert waiting.status == BookingStatus.WAITING
    assert not LearningEvent.objects.filter(user=learners[2]).exists()
    assert mail.outbox[-1].subject.startswith("You are on the waiting list")


def test_an_agencys_quota_sends_its_next_person_to_the_waiting_list_but_not_others(
    act, session, learners
):
    session.agency_quota = 1
    session.save()
    act(booking_create, user=learners[0], session=session)
    same_agency = act(booking_create, user=learners[1], session=session)
    other_agency = act(booking_create, user=UserFactory(agency=AgencyFactory()), session=session)

    assert same_agency.status == BookingStatus.WAITING
    assert other_agency.status == BookingStatus.BOOKED


def test_a_missing_prerequisite_course_refuses_the_booking(act, session, learners):
    session.page.prerequisites.add(CoursePageFactory(title="Missing children basics"))
    session.page.save()
    with pytest.raises(BookingError, match="Missing children basics"):
        act(booking_create, user=learners[0], session=session)


def test_a_session_that_has_started_cannot_be_booked(act, learners):
    session = EventSessionFactory()
    with (
        time_machine.travel(session.starts_at + timedelta(minutes=1)),
        pytest.raises(BookingError),
    ):
        act(booking_create, user=learners[0], session=session)


def test_a_cancelled_place_is_offered_to_the_first_in_the_queue_who_accepts_it(
    act, session, learners
):
    first, _ = (act(booking_create, user=u, session=session) for u in learners[:2])
    queued = [act(booking_create, user=u, session=session) for u in learners[2:]]
    mail.outbox.clear()

    act(booking_cancel, booking=first, user=learners[0])

    queued[0].refresh_from_db()
    queued[1].refresh_from_db()
    assert queued[0].status == BookingStatus.OFFERED
    assert queued[1].status == BookingStatus.WAITING
    subjects = [m.subject for m in mail.outbox]
    assert "Booking cancelled: Reflective supervision" in subjects
    cancel = next(m for m in mail.outbox if m.subject.startswith("Booking cancelled"))
    assert _ics(cancel)["method"] == "CANCEL"
    assert any(s.startswith("A place is available") for s in subjects)

    accepted = act(booking_offer_accept, booking=queued[0], user=learners[2])
    assert accepted.status == BookingStatus.BOOKED
    assert LearningEvent.objects.filter(user=learners[2], kind=EventKind.EVENT_BOOKED).exists()


def test_cancelling_voids_the_registration_statement(act, session, learners):
    from tracking.lrs.models import Statement

    booking = act(booking_create, user=learners[0], session=session)
    act(booking_cancel, booking=booking, user=learners[0])

    registered = Statement.objects.get(statement_id=LearningEvent.objects.first().id)
    assert registered.voided
    assert LearningEvent.objects.filter(kind=EventKind.EVENT_BOOKING_CANCELLED).count() == 1


def test_a_confirmed_place_cannot_be_cancelled_online_after_the_cut_off(act, session, learners):
    booking = act(booking_create, user=learners[0], session=session)
    with (
        time_machine.travel(session.starts_at - timedelta(hours=47)),
        pytest.raises(BookingError, match="too late"),
    ):
        act(booking_cancel, booking=booking, user=learners[0])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_someone_else_cannot_cancel_a_booking(act, session, learners):
    booking = act(booking_create, user=learners[0], session=session)
    with pytest.raises(PermissionDenied):
        act(booking_cancel, booking=booking, user=learners[1])


def test_an_offer_not_accepted_in_time_expires_and_passes_to_the_next_person(
    act, session, learners
):
    first, _ = (act(booking_create, user=u, session=session) for u in learners[:2])
    second_in_queue = [act(booking_create, user=u, session=session) for u in learners[2:]]
    act(booking_cancel, booking=first, user=learners[0])

    with time_machine.travel(session.starts_at - timedelta(days=1)):
        assert act(offers_expire) == 1
        with pytest.raises(BookingError):
            act(booking_offer_accept, booking=second_in_queue[0], user=learners[2])

    second_in_queue[0].refresh_from_db()
    second_in_queue[1].refresh_from_db()
    assert second_in_queue[0].status == BookingStatus.EXPIRED
    assert second_in_queue[1].status == BookingStatus.OFFERED


def test_an_event_needing_approval_holds_the_place_until_the_agency_lead_approves(
    act, session, learners, lead
):
    session.page.requires_approval = True
    session.page.save()
    booking = act(booking_create, user=learners[0], session=session)
    assert booking.status == BookingStatus.PENDING_APPROVAL
    assert not LearningEvent.objects.exists()

    approved = act(booking_approve, booking=booking, approver=lead)
    assert approved.status == BookingStatus.BOOKED
    assert approved.decided_by == lead
    assert LearningEvent.objects.filter(kind=EventKind.EVENT_BOOKED).count() == 1


def test_a_lead_of_another_agency_cannot_approve(act, session, learners):
    from accounts.roles import Role

    session.page.requires_approval = True
    session.page.save()
    booking = act(booking_create, user=learners[0], session=session)
    other_lead = UserFactory(roles=[Role.AGENCY_LEAD])
    with pytest.raises(PermissionDenied):
        act(booking_approve, booking=booking, approver=other_lead)
    with pytest.raises(PermissionDenied):
        act(booking_decline, booking=booking, approver=other_lead)


def test_reminders_go_a_week_and_a_day_before_once_each(act, session, learners):
    act(booking_create, user=learners[0], session=session)
    mail.outbox.clear()
    with time_machine.travel(session.starts_at - timedelta(days=6)):
        assert act(reminders_send) == 1
        assert act(reminders_send) == 0
    with time_machine.travel(session.starts_at - timedelta(hours=20)):
        assert act(reminders_send) == 1
        assert act(reminders_send) == 0
    assert [m.subject.split(":")[1] for m in mail.outbox] == [" one week to go", " tomorrow"]
    assert all(_ics(m)["method"] == "REQUEST" for m in mail.outbox)
