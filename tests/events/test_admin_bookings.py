"""The read-only bookings listing in the Wagtail admin: who sees it, and whose bookings."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import Role
from events.models import Booking
from events.services.booking import booking_create
from tests.accounts.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/events/bookings/"


@pytest.fixture
def bookings(session):
    oldham, police = AgencyFactory(name="Oldham Council"), AgencyFactory(name="GM Police")
    mine = booking_create(
        user=UserFactory(agency=oldham, email="ola@oldham.example"), session=session
    )
    theirs = booking_create(
        user=UserFactory(agency=police, email="pat@police.example"), session=session
    )
    return mine, theirs


def _lead_with_admin_access(agency):
    lead = UserFactory(agency=agency, roles=[Role.AGENCY_LEAD])
    lead.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return lead


def test_partnership_admin_lists_every_agencys_bookings(client, bookings):
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_ADMIN]))

    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "ola@oldham.example" in text and "pat@police.example" in text
    assert "Reflective supervision" in text


def test_agency_lead_with_admin_access_lists_only_their_agencys_bookings(client, bookings):
    mine, _ = bookings
    client.force_login(_lead_with_admin_access(mine.agency))

    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "ola@oldham.example" in text
    assert "pat@police.example" not in text


def test_bookings_filter_by_status_and_search_by_email(client, bookings):
    mine, theirs = bookings
    Booking.objects.filter(pk=theirs.pk).update(status="cancelled")
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_ADMIN]))

    booked = client.get(URL, {"status": "booked"}).content.decode()
    found = client.get(URL, {"q": "pat@police"}).content.decode()

    assert "ola@oldham.example" in booked and "pat@police.example" not in booked
    assert "pat@police.example" in found and "ola@oldham.example" not in found


def test_bookings_cannot_be_added_edited_or_deleted_in_the_admin_even_by_a_superuser(
    client, bookings
):
    mine, _ = bookings
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}new/").status_code in (302, 403, 404)
    assert client.post(f"{URL}edit/{mine.pk}/", {"status": "cancelled"}).status_code in (
        302,
        403,
        404,
    )
    assert client.post(f"{URL}delete/{mine.pk}/").status_code in (302, 403, 404)
    assert Booking.objects.filter(pk=mine.pk, status="booked").exists()


def test_learners_and_trainers_cannot_see_bookings_in_the_admin(client, bookings, trainer):
    client.force_login(trainer)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(UserFactory())
    assert client.get(URL).status_code in (302, 403)


def test_the_role_groups_hold_only_the_view_permission_on_bookings():
    for name in (Role.PARTNERSHIP_ADMIN, Role.AGENCY_LEAD):
        codenames = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="events", content_type__model="booking")
            .values_list("codename", flat=True)
        )
        assert codenames == {"view_booking"}
