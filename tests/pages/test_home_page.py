"""The home page: where everyone lands after signing in."""

import pytest

from accounts.models import MembershipStatus
from accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_lead_landing_on_the_home_page_is_told_people_wait_for_approval(client):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    UserFactory(agency=lead.agency, membership_status=MembershipStatus.PENDING)
    UserFactory(agency=lead.agency, membership_status=MembershipStatus.PENDING)
    UserFactory(membership_status=MembershipStatus.PENDING)  # another agency's: not theirs
    client.force_login(lead)

    html = client.get("/").content.decode()

    assert "2 people are waiting for you to approve their membership" in html
    assert 'href="/accounts/agency/members/"' in html


def test_no_approval_banner_for_a_lead_with_nobody_waiting_or_for_learners(client):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    client.force_login(lead)
    assert "waiting for you to approve" not in client.get("/").content.decode()

    UserFactory(agency=lead.agency, membership_status=MembershipStatus.PENDING)
    client.force_login(UserFactory(agency=lead.agency))
    assert "waiting for you to approve" not in client.get("/").content.decode()
