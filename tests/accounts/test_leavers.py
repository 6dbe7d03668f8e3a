"""Leavers: leads mark people as left; from that date they cannot sign in; records are kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.services import leavers_deactivate, leavers_import, person_mark_left
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/agency/leavers/"


@pytest.fixture
def lead():
    return UserFactory(roles=["Agency lead"])


def test_a_leaver_from_today_cannot_sign_in_and_keeps_their_records(client, lead):
    member = UserFactory(agency=lead.agency, email="gone@example.org")
    person_mark_left(by=lead, member=member, left_on=timezone.localdate())
    response = client.post(
        "/accounts/login/", {"login": "gone@example.org", "password": "correct-horse-battery"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    assert User.objects.filter(pk=member.pk, is_active=False).exists()


def test_a_signed_in_leaver_is_signed_out(client, lead):
    member = UserFactory(agency=lead.agency)
    client.force_login(member)
    person_mark_left(by=lead, member=member, left_on=timezone.localdate())
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_future_leaver_keeps_access_until_the_daily_task_reaches_their_date(lead):
    member = UserFactory(agency=lead.agency)
    later = timezone.localdate() + timedelta(days=7)
    person_mark_left(by=lead, member=member, left_on=later)
    assert leavers_deactivate() == 0
    member.refresh_from_db()
    assert member.is_active
    assert leavers_deactivate(today=later) == 1
    member.refresh_from_db()
    assert not member.is_active


def test_only_the_members_own_lead_can_mark_them(lead):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        person_mark_left(by=lead, member=stranger, left_on=date(2026, 1, 1))


def test_leavers_csv_is_all_or_nothing(lead):
    one = UserFactory(agency=lead.agency, email="one@example.org")
    errors = leavers_import(
        by=lead,
        agency=lead.agency,
        csv_text="email,leaving date\none@example.org,2026-01-31\nnobody@example.org,2026-01-31\n",
    )
    assert errors and "nobody@example.org" in errors[0]
    one.refresh_from_db()
    assert one.left_on is None


def test_lead_marks_leavers_on_the_page_one_by_one_and_by_csv(client, lead):
    one = UserFactory(agency=lead.agency, email="one@example.org")
    two = UserFactory(agency=lead.agency, email="two@example.org")
    client.force_login(lead)
    response = client.post(URL, {"email": "one@example.org", "left_on": "2026-01-31"})
    assert response.status_code == 302
    csv = b"Email,Leaving date\ntwo@example.org,28/02/2026\n"
    response = client.post(URL, {"csv": "1", "file": SimpleUploadedFile("l.csv", csv)})
    assert response.status_code == 302
    one.refresh_from_db(), two.refresh_from_db()
    assert (one.left_on, two.left_on) == (date(2026, 1, 31), date(2026, 2, 28))
    assert "one@example.org" in client.get(URL).text


def test_a_partnership_admin_marks_leavers_in_any_agency(client, lead):
    admin = UserFactory(roles=["Partnership admin"])
    member = UserFactory(agency=lead.agency, email="moved@example.org")
    client.force_login(admin)
    page = client.get(URL, {"agency": lead.agency.pk})
    assert page.status_code == 200
    assert f'<option value="{lead.agency.pk}" selected>' in page.text
    response = client.post(
        URL, {"agency": lead.agency.pk, "email": "moved@example.org", "left_on": "2026-03-31"}
    )
    assert response.status_code == 302 and f"agency={lead.agency.pk}" in response["Location"]
    member.refresh_from_db()
    assert member.left_on == date(2026, 3, 31)


def test_a_lead_cannot_mark_leavers_in_another_agency(client, lead):
    other = UserFactory(email="elsewhere@example.org")
    assert other.agency != lead.agency
    client.force_login(lead)
    assert client.get(URL, {"agency": other.agency.pk}).status_code == 404
    response = client.post(
        URL, {"agency": other.agency.pk, "email": "elsewhere@example.org", "left_on": "2026-03-31"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.left_on is None
    assert client.get(URL, {"agency": "police"}).status_code == 404


def test_a_learner_cannot_open_the_leavers_page(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
