"""A partnership admin adds a partner LRS, then sees a failure with its reason and retries it."""

from playwright.sync_api import expect

from accounts.roles import Role
from learning.models import EventKind
from learning.services import learning_event_record
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory
from tracking.models import Delivery, DeliveryState, LRSDestination


def test_admin_adds_a_destination_sees_a_failure_reason_and_retries_it(
    signed_in_page, live_url, assert_accessible
):
    page = signed_in_page(UserFactory(roles=[Role.PARTNERSHIP_ADMIN], is_staff=True))
    page.goto(f"{live_url}/admin/lrs_destinations/")
    assert_accessible(page)
    page.get_by_role("link", name="Add LRS destination").first.click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Name", exact=False).first.fill("Police LRS")
    page.get_by_label("Endpoint").fill("http://127.0.0.1:9/xapi/")  # nothing listens
    page.get_by_label("Key (Basic auth user name)").fill("police-key")
    page.get_by_label("Secret (Basic auth password)").fill("police-secret")
    page.get_by_role("button", name="Create").first.click()
    expect(page.get_by_role("link", name="Delivery status")).to_be_visible()
    assert_accessible(page)
    destination = LRSDestination.objects.get(name="Police LRS")
    assert "police-secret" not in destination.secret_encrypted

    course = CoursePageFactory()
    learning_event_record(
        user=UserFactory(), kind=EventKind.ENROLLED, activity=f"course:{course.pk}", course=course
    )
    Delivery.objects.update(
        state=DeliveryState.FAILED, last_status=400, last_error="HTTP 400: verb.id is not an IRI"
    )
    page.get_by_role("link", name="Delivery status").click()
    expect(page.get_by_text("verb.id is not an IRI")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Retry all 1 failed").click()
    expect(page.get_by_text("queued to send again")).to_be_visible()
    assert_accessible(page)
    # Queued again and tried at once: nothing listens there, so it waits to retry.
    assert Delivery.objects.get().state == DeliveryState.RETRY
