"""Book, join a waiting list, get promoted, attend, get a certificate; the lead and LRS see it."""

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from events.models import BookingStatus
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.events.factories import EventPageFactory, EventSessionFactory
from tracking.lrs.models import Statement
from tracking.vocabulary import VERB_ATTENDED, VERB_COMPLETED, VERB_REGISTERED


def test_waiting_list_promotion_to_attendance_certificate_and_the_leads_report(
    live_url, signed_in_page, assert_accessible, outbox
):
    # Starts in half an hour: the register is open; no cut-off, so the first person may cancel.
    starts = timezone.now() + timedelta(minutes=30)
    event = EventPageFactory(
        title="Multi-agency reflective supervision", cancellation_cutoff_hours=0
    )
    session = EventSessionFactory(
        page=event, starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=1
    )
    trainer = UserFactory(first_name="Tom", last_name="Trainer", roles=[Role.TRAINER])
    session.trainers.add(trainer)
    session.save()
    police = AgencyFactory(name="Greater Manchester Police")
    first = UserFactory(first_name="Ash", last_name="First")
    second = UserFactory(first_name="Bo", last_name="Second", agency=police)
    lead = UserFactory(first_name="Lee", last_name="Lead", agency=police, roles=[Role.AGENCY_LEAD])

    page = signed_in_page(first)
    page.goto(f"{live_url}/events/")
    assert_accessible(page)
    page.get_by_role("link", name="Multi-agency reflective supervision").click()
    assert_accessible(page)
    page.get_by_role("link", name="Book a place").click()
    assert_accessible(page)
    page.get_by_label("Access needs (optional)").fill("Hearing loop")
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_role("heading", name="Your training bookings").wait_for()
    assert_accessible(page)
    assert page.get_by_text("Booked", exact=True).first.is_visible()

    page = signed_in_page(second)
    page.goto(f"{live_url}/events/")
    page.get_by_role("link", name="Multi-agency reflective supervision").click()
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_role("button", name="Join the waiting list").click()
    page.get_by_role("heading", name="Your training bookings").wait_for()
    assert page.get_by_text("On the waiting list", exact=True).first.is_visible()

    page = signed_in_page(first)
    page.goto(f"{live_url}/events/my/")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text("Cancelled", exact=True).first.wait_for()

    page = signed_in_page(second)
    page.goto(f"{live_url}/events/my/")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the place").click()
    page.get_by_text("Booked", exact=True).first.wait_for()
    assert session.bookings.get(user=second).status == BookingStatus.BOOKED
    assert any(m.subject.startswith("A place is available") for m in outbox)

    page = signed_in_page(trainer)
    page.goto(f"{live_url}/events/sessions/{session.pk}/register/")
    assert_accessible(page)
    page.get_by_role("group", name="Bo Second").get_by_label("Attended").check()
    page.get_by_role("button", name="Save the register").click()
    page.get_by_text("Register saved").wait_for()

    page = signed_in_page(second)
    page.goto(f"{live_url}/events/my/")
    link = page.get_by_role("link", name="Certificate of attendance (PDF)")
    response = page.request.get(f"{live_url}{link.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"

    page = signed_in_page(lead)
    page.goto(f"{live_url}/events/staff/")
    assert_accessible(page)
    assert page.get_by_role("cell", name="Bo Second").first.is_visible()

    verbs = set(
        Statement.objects.filter(voided=False, is_voiding=False).values_list("verb_id", flat=True)
    )
    assert {VERB_REGISTERED, VERB_ATTENDED, VERB_COMPLETED} <= verbs
