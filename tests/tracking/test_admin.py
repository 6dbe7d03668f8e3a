"""The destination admin: partnership admins only, secrets write-only, status and retry."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from learning.models import EventKind
from learning.services import learning_event_record
from tests.accounts.factories import UserFactory
from tracking.credentials import secret_decrypt
from tracking.models import Delivery, DeliveryState, LRSDestination

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_ADMIN], is_staff=True))
    return client


def _form(**overrides) -> dict:
    data = {
        "name": "Police LRS",
        "endpoint": "https://lrs.police.example.org/xapi/",
        "username": "key-1",
        "secret": "first-secret",
        "xapi_version": "1.0.3",
        "identifier": "account",
        "is_active": "on",
        "batch_size": "100",
        "max_attempts": "10",
        "timeout_seconds": "10",
    }
    return {**data, **overrides}


def test_a_partnership_admin_adds_a_destination_and_the_secret_is_stored_encrypted(admin_client):
    response = admin_client.post(reverse("lrs_destinations:add"), _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    destination = LRSDestination.objects.get()
    assert "first-secret" not in destination.secret_encrypted
    assert secret_decrypt(token=destination.secret_encrypted) == "first-secret"
    # Never shown again, and a blank secret on edit keeps it.
    page = admin_client.get(reverse("lrs_destinations:edit", args=[destination.pk]))
    assert b"first-secret" not in page.content
    admin_client.post(
        reverse("lrs_destinations:edit", args=[destination.pk]),
        _form(secret="", name="Police LRS (GMP)"),
    )
    destination.refresh_from_db()
    assert destination.name == "Police LRS (GMP)"
    assert secret_decrypt(token=destination.secret_encrypted) == "first-secret"


def test_a_destination_on_another_machine_must_use_https(admin_client):
    response = admin_client.post(
        reverse("lrs_destinations:add"), _form(endpoint="http://lrs.police.example.org/xapi/")
    )
    assert response.status_code == 200
    assert "Use an https:// address" in response.content.decode()
    assert not LRSDestination.objects.exists()


def test_an_email_identifier_needs_named_agencies(admin_client):
    from tests.accounts.factories import AgencyFactory

    response = admin_client.post(reverse("lrs_destinations:add"), _form(identifier="mbox"))
    assert response.status_code == 200
    assert "Choose the agencies" in response.content.decode()
    assert not LRSDestination.objects.exists()

    police = AgencyFactory()
    response = admin_client.post(
        reverse("lrs_destinations:add"), _form(identifier="mbox", agencies=[police.pk])
    )
    assert response.status_code == 302
    assert list(LRSDestination.objects.get().agencies.all()) == [police]


def test_a_new_destination_needs_a_secret(admin_client):
    response = admin_client.post(reverse("lrs_destinations:add"), _form(secret=""))
    assert response.status_code == 200
    assert "Enter the secret the destination gave you." in response.content.decode()
    assert not LRSDestination.objects.exists()


def test_people_without_the_permission_cannot_see_or_retry_destinations(
    client, destination_factory
):
    destination = destination_factory()
    client.force_login(UserFactory(roles=[Role.TRAINER], is_staff=True))
    for name in ("status", "reconciliation", "edit"):
        response = client.get(reverse(f"lrs_destinations:{name}", args=[destination.pk]))
        assert response.status_code == 302 and response["Location"] == "/admin/"
    for name in ("retry", "resume", "backfill"):
        response = client.post(reverse(f"lrs_destinations:{name}", args=[destination.pk]))
        assert response.status_code == 302 and response["Location"] == "/admin/"


def test_status_shows_queue_failures_with_reasons_and_retry_buttons_work(
    admin_client, destination_factory, police_officer, tracked_course
):
    destination = destination_factory(name="Police LRS")
    course = tracked_course[0]
    for _ in range(3):
        learning_event_record(
            user=police_officer,
            kind=EventKind.COURSE_LAUNCHED,
            activity=f"course:{course.pk}",
            course=course,
        )
    first, second, _third = Delivery.objects.order_by("id")
    Delivery.objects.filter(pk__in=[first.pk, second.pk]).update(
        state=DeliveryState.FAILED, last_status=400, last_error="HTTP 400: verb.id is not an IRI"
    )
    url = reverse("lrs_destinations:status", args=[destination.pk])
    page = admin_client.get(url).content.decode()
    assert "verb.id is not an IRI" in page
    assert "Retry all 2 failed" in page

    admin_client.post(
        reverse("lrs_destinations:retry", args=[destination.pk]), {"delivery": first.pk}
    )
    assert Delivery.objects.get(pk=first.pk).state == DeliveryState.RETRY
    assert Delivery.objects.get(pk=second.pk).state == DeliveryState.FAILED
    admin_client.post(reverse("lrs_destinations:retry", args=[destination.pk]))
    assert Delivery.objects.get(pk=second.pk).state == DeliveryState.RETRY
    assert Delivery.objects.get(pk=second.pk).attempts == 0


def test_a_paused_destination_says_why_and_can_be_resumed(admin_client, destination_factory):
    destination = destination_factory()
    LRSDestination.objects.filter(pk=destination.pk).update(
        paused_reason="the destination refused our credentials (HTTP 401)"
    )
    page = admin_client.get(reverse("lrs_destinations:status", args=[destination.pk]))
    assert "refused our credentials" in page.content.decode()
    admin_client.post(reverse("lrs_destinations:resume", args=[destination.pk]))
    destination.refresh_from_db()
    assert destination.paused_reason == ""


def test_the_list_links_to_status_and_reconciliation(admin_client, destination_factory):
    destination = destination_factory(name="Police LRS")
    page = admin_client.get(reverse("lrs_destinations:index")).content.decode()
    assert reverse("lrs_destinations:status", args=[destination.pk]) in page
    assert reverse("lrs_destinations:reconciliation", args=[destination.pk]) in page
    page = admin_client.get(reverse("lrs_destinations:reconciliation", args=[destination.pk]))
    assert page.status_code == 200 and "No gaps" in page.content.decode()
