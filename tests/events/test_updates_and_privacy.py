"""Changed sessions reach booked people's calendars; needs are forgotten; a person's data."""

from datetime import timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from events.selectors import personal_data_for_user
from events.services.booking import booking_create, booking_needs_forget

pytestmark = pytest.mark.django_db


def test_publishing_a_changed_session_sends_booked_people_an_updated_invitation(
    act, session, learners
):
    booking = act(booking_create, user=learners[0], session=session)
    act(booking_create, user=learners[1], session=session)
    act(booking_create, user=learners[2], session=session)  # waiting: nothing to update
    page = session.page

    mail.outbox.clear()
    act(lambda: page.save_revision().publish())
    assert mail.outbox == []  # nothing changed

    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.save()
    act(lambda: page.save_revision().publish())
    updates = [m for m in mail.outbox if m.subject.startswith("Session details changed")]
    assert sorted(m.to[0] for m in updates) == sorted(u.email for u in learners[:2])
    calendar = Calendar.from_ical(updates[0].attachments[0][1])
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["sequence"] == 1
    assert vevent.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    booking.refresh_from_db()
    assert booking.sequence == 1

    mail.outbox.clear()
    act(lambda: page.save_revision().publish())
    assert mail.outbox == []  # told once


def test_needs_are_forgotten_a_month_after_the_session(session, learners):
    booking = booking_create(
        user=learners[0], session=session, access_needs="Wheelchair", dietary_needs="Halal"
    )
    assert booking_needs_forget(now=session.ends_at + timedelta(days=29)) == 0
    assert booking_needs_forget(now=session.ends_at + timedelta(days=31)) == 1
    booking.refresh_from_db()
    assert (booking.access_needs, booking.dietary_needs) == ("", "")


def test_a_persons_data_download_includes_their_bookings_and_needs(session, learners):
    booking_create(user=learners[0], session=session, dietary_needs="Vegetarian")
    data = personal_data_for_user(user=learners[0])
    (row,) = data["event_bookings"]
    assert row["event"] == "Reflective supervision"
    assert row["dietary_needs"] == "Vegetarian"
    assert personal_data_for_user(user=learners[1]) == {"event_bookings": []}
