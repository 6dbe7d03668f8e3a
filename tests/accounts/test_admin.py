"""The Wagtail admin for agencies, teams, job roles and users (partnership admins)."""

import pytest

from accounts.models import Agency, AgencyDomain, User
from tests.accounts.factories import AgencyFactory, JobRoleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=["Partnership admin"]))
    return client


def agency_form(**overrides):
    data = {
        "name": "Oldham Schools",
        "slug": "oldham-schools",
        "sector": "education",
        "local_authority_area": "Oldham",
        "headcount": "2400",
        "requires_approval": "on",
        "is_active": "on",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
        "domains-0-domain": "schools.example.org",
        "domains-0-ORDER": "1",
        "domains-0-id": "",
        "domains-0-DELETE": "",
    }
    data.update(overrides)
    return data


def test_partnership_admin_adds_an_agency_with_an_email_domain_inline(admin_client):
    response = admin_client.post("/admin/agencies/new/", agency_form())

    assert response.status_code == 302
    agency = Agency.objects.get(slug="oldham-schools")
    assert agency.requires_approval and agency.headcount == 2400
    assert list(agency.domains.values_list("domain", flat=True)) == ["schools.example.org"]


def test_agency_domain_with_an_at_sign_is_refused(admin_client):
    response = admin_client.post(
        "/admin/agencies/new/", agency_form(**{"domains-0-domain": "@schools.example.org"})
    )

    assert response.status_code == 200
    assert not AgencyDomain.objects.exists()


def test_partnership_admin_sets_a_users_agency_team_and_role(admin_client):
    user = UserFactory()
    agency = AgencyFactory()
    team = TeamFactory(agency=agency)
    role = JobRoleFactory()

    page = admin_client.get(f"/admin/users/edit/{user.pk}/")
    assert 'name="agency"' in page.content.decode()
    response = admin_client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "email": user.email,
            "first_name": "Asha",
            "last_name": "Khan",
            "is_active": "on",
            "agency": agency.pk,
            "team": team.pk,
            "job_role": role.pk,
            "membership_status": "approved",
            "groups": [],
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.agency, user.team, user.job_role) == (agency, team, role)


def test_user_admin_refuses_a_team_outside_the_agency(admin_client):
    user = UserFactory()

    response = admin_client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "email": user.email,
            "first_name": "Asha",
            "last_name": "Khan",
            "is_active": "on",
            "agency": user.agency.pk,
            "team": TeamFactory().pk,
            "job_role": user.job_role.pk,
            "membership_status": "approved",
        },
    )

    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).team == user.team


def test_user_list_shows_and_filters_by_agency(admin_client):
    police = AgencyFactory(name="Greater Manchester Police")
    UserFactory(agency=police, email="pc@example.org")
    UserFactory(email="nurse@example.org")

    html = admin_client.get(f"/admin/users/?agency={police.pk}").content.decode()

    assert "Greater Manchester Police" in html
    assert "pc@example.org" in html
    assert "nurse@example.org" not in html
