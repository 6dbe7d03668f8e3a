"""Agency membership is automatic only for the agency's own email domains (issue 15)."""

import pytest

from accounts.models import MembershipStatus, User
from accounts.roles import Role
from tests.accounts.factories import (
    AgencyDomainFactory,
    AgencyFactory,
    JobRoleFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    """An agency that does not ask to approve its members."""
    agency = AgencyFactory(name="Oldham schools", slug="oldham-schools", requires_approval=False)
    AgencyDomainFactory(agency=agency, domain="schools.example.org")
    return agency


def sign_up(client, *, email: str, agency) -> User:
    client.post(
        "/accounts/signup/",
        {
            "first_name": "Pat",
            "last_name": "Jones",
            "email": email,
            "agency": agency.pk,
            "team": TeamFactory(agency=agency).pk,
            "job_role": JobRoleFactory().pk,
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    return User.objects.get(email=email)


def test_a_personal_address_choosing_an_open_agency_waits_for_its_lead(client, schools):
    user = sign_up(client, email="pat.jones@personal-mail.example.com", agency=schools)

    assert user.agency == schools
    assert user.membership_status == MembershipStatus.PENDING


def test_an_address_on_the_agencys_own_domain_is_approved_at_once(client, schools):
    user = sign_up(client, email="pat.jones@schools.example.org", agency=schools)

    assert user.membership_status == MembershipStatus.APPROVED


def test_another_agencys_domain_does_not_approve_membership_here(client, schools):
    police = AgencyFactory(requires_approval=False)
    AgencyDomainFactory(agency=police, domain="police.example.org")

    user = sign_up(client, email="pat.jones@police.example.org", agency=schools)

    assert user.membership_status == MembershipStatus.PENDING


def test_moving_to_an_open_agency_from_a_personal_address_waits_for_its_lead(client, schools):
    user = UserFactory(email="pat@personal-mail.example.com")
    UserFactory(agency=schools, roles=[Role.AGENCY_LEAD])
    client.force_login(user)

    client.post(
        "/accounts/profile/",
        {
            "first_name": "Pat",
            "last_name": "Jones",
            "agency": schools.pk,
            "team": TeamFactory(agency=schools).pk,
            "job_role": user.job_role.pk,
        },
    )

    user.refresh_from_db()
    assert user.agency == schools
    assert user.membership_status == MembershipStatus.PENDING
