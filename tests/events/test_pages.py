"""The programme at /events/, its filters without JavaScript, event pages, booking, the feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import BookingStatus
from events.services.booking import booking_create
from tests.events.factories import EventPageFactory, EventSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    soon = timezone.now() + timedelta(days=3)
    online = EventSessionFactory(
        page=EventPageFactory(title="Online supervision", level="advanced"),
        mode="online",
        venue="",
        joining_link="https://meet.example.org/secret-room",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        capacity=1,
    )
    in_person = EventSessionFactory(
        page=EventPageFactory(title="Roma cultural competence", audience_sectors=["health"]),
        starts_at=soon + timedelta(days=30),
        ends_at=soon + timedelta(days=30, hours=3),
    )
    past = EventSessionFactory(
        page=EventPageFactory(title="Last year's workshop"),
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )
    return online, in_person, past


def _titles(response) -> list[str]:
    return [s.page.title for s in response.context["sessions"]]


def test_the_programme_lists_upcoming_sessions_soonest_first(client, programme):
    response = client.get("/events/")
    assert response.status_code == 200
    assert _titles(response) == ["Online supervision", "Roma cultural competence"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"mode": "online"}, ["Online supervision"]),
        ({"level": "advanced"}, ["Online supervision"]),
        ({"audience": "police"}, ["Online supervision"]),  # no sectors = everyone
        ({"audience": "health"}, ["Online supervision", "Roma cultural competence"]),
        ({"places_left": "on"}, ["Roma cultural competence"]),
    ],
)
def test_filters_work_as_a_plain_get_form(client, programme, learners, query, expected):
    booking_create(user=learners[0], session=programme[0])  # fills the online session
    assert _titles(client.get("/events/", query)) == expected


def test_a_date_range_filters_in_uk_dates_and_a_reversed_range_is_an_error(client, programme):
    start = timezone.localdate() + timedelta(days=20)
    response = client.get("/events/", {"date_from": start.isoformat()})
    assert _titles(response) == ["Roma cultural competence"]
    response = client.get(
        "/events/",
        {"date_from": start.isoformat(), "date_to": (start - timedelta(days=1)).isoformat()},
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The end date must be on or after the start date." in page


def test_the_joining_link_is_shown_only_to_people_with_a_place(client, programme, learners):
    online = programme[0]
    client.force_login(learners[1])
    assert "secret-room" not in client.get(online.page.url).content.decode()
    booking_create(user=learners[0], session=online)
    client.force_login(learners[0])
    assert "secret-room" in client.get(online.page.url).content.decode()
    assert "secret-room" not in client.get(reverse("events:feed")).content.decode()


def test_booking_through_the_pages_needs_sign_in_and_saves_needs(client, programme, learners):
    url = reverse("events:book", args=[programme[1].pk])
    assert client.get(url).status_code == 302
    client.force_login(learners[0])
    page = client.get(url).content.decode()
    assert "How we use your answers" in page
    response = client.post(url, {"access_needs": "Step-free access", "dietary_needs": ""})
    assert response.status_code == 302
    booking = programme[1].bookings.get()
    assert booking.status == BookingStatus.BOOKED
    assert booking.access_needs == "Step-free access"


def test_the_feed_is_icalendar_of_upcoming_sessions(client, programme):
    response = client.get(reverse("events:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries == ["Online supervision", "Roma cultural competence"]


def test_my_bookings_offers_accept_and_cancel_buttons(client, session, learners):
    for learner in learners[:3]:
        booking_create(user=learner, session=session)
    client.force_login(learners[0])
    mine = client.get(reverse("events:my_bookings")).content.decode()
    assert "Cancel" in mine
    booking = session.bookings.get(user=learners[0])
    client.post(reverse("events:booking_action", args=[booking.pk, "cancel"]))
    client.force_login(learners[2])
    offered = client.get(reverse("events:my_bookings")).content.decode()
    assert "Accept the place" in offered
    waiting = session.bookings.get(user=learners[2])
    client.post(reverse("events:booking_action", args=[waiting.pk, "accept"]))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED


def test_trainers_find_their_registers_and_leads_their_agency_pages(
    client, session, trainer, lead, learners
):
    client.force_login(trainer)
    page = client.get(reverse("events:my_bookings")).content.decode()
    assert reverse("events:register", args=[session.pk]) in page
    assert reverse("events:staff") not in page
    client.force_login(lead)
    page = client.get(reverse("events:my_bookings")).content.decode()
    assert reverse("events:staff") in page
    assert reverse("events:approvals") in page
    assert reverse("events:register", args=[session.pk]) not in page
