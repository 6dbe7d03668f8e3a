"""Agency approval: the waiting page, the agency members page and decisions."""

import pytest
from django.core import mail

from accounts.models import MembershipStatus
from tests.accounts.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = "/accounts/agency/members/"


@pytest.fixture
def police():
    return AgencyFactory(name="Greater Manchester Police", slug="gmp", requires_approval=True)


@pytest.fixture
def lead(police):
    return UserFactory(agency=police, roles=["Agency lead"])


@pytest.fixture
def waiting(police):
    return UserFactory(
        agency=police, membership_status=MembershipStatus.PENDING, email="pc.new@example.org"
    )


@pytest.mark.parametrize("path", ["/courses/", "/scenarios/", "/reports/", "/admin/"])
def test_a_waiting_member_is_sent_to_the_waiting_page(client, waiting, path):
    client.force_login(waiting)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/waiting/"


@pytest.mark.parametrize("path", ["/", "/privacy/", "/accessibility/", "/accounts/profile/"])
def test_a_waiting_member_can_still_see_public_pages_and_their_account(client, waiting, path):
    client.force_login(waiting)

    assert client.get(path).status_code == 200


def test_the_waiting_page_explains_the_wait_and_approved_members_skip_it(client, waiting, lead):
    client.force_login(waiting)
    assert "Waiting for approval" in client.get("/accounts/waiting/").content.decode()

    client.force_login(lead)
    assert client.get("/accounts/waiting/")["Location"] == "/"


def test_a_rejected_member_is_told_so_on_the_waiting_page(client, police):
    rejected = UserFactory(agency=police, membership_status=MembershipStatus.REJECTED)
    client.force_login(rejected)

    response = client.get("/courses/", follow=True)

    assert "did not approve your account" in response.content.decode()


def test_agency_lead_sees_only_their_own_agency_members(client, lead, waiting):
    other_agency_waiting = UserFactory(
        membership_status=MembershipStatus.PENDING, email="elsewhere@example.org"
    )
    client.force_login(lead)

    html = client.get(MEMBERS).content.decode()

    assert waiting.email in html
    assert lead.email in html
    assert other_agency_waiting.email not in html


@pytest.mark.parametrize("roles", [["Learner"], ["Trainer"], ["Partnership admin"]])
def test_members_page_is_forbidden_to_everyone_but_agency_leads(client, roles):
    client.force_login(UserFactory(roles=roles))

    assert client.get(MEMBERS).status_code == 403


def test_members_page_needs_sign_in(client):
    response = client.get(MEMBERS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_lead_approves_a_waiting_member_who_is_emailed(
    client, lead, waiting, django_capture_on_commit_callbacks
):
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MEMBERS, {"member": waiting.pk, "decision": "approve"})

    waiting.refresh_from_db()
    assert response.status_code == 302
    assert waiting.membership_status == MembershipStatus.APPROVED
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert "you can now start your training" in mail.outbox[0].subject


def test_lead_rejects_a_waiting_member_who_is_emailed(
    client, lead, waiting, django_capture_on_commit_callbacks
):
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(MEMBERS, {"member": waiting.pk, "decision": "reject"})

    waiting.refresh_from_db()
    assert waiting.membership_status == MembershipStatus.REJECTED
    assert "did not approve" in mail.outbox[0].subject
    assert "/accounts/profile/" in mail.outbox[0].body


def test_lead_cannot_decide_for_another_agencys_member(client, lead):
    stranger = UserFactory(membership_status=MembershipStatus.PENDING)
    client.force_login(lead)

    response = client.post(MEMBERS, {"member": stranger.pk, "decision": "approve"})

    stranger.refresh_from_db()
    assert response.status_code == 403
    assert stranger.membership_status == MembershipStatus.PENDING


def test_deciding_twice_is_refused_with_a_message(client, lead, waiting):
    client.force_login(lead)
    client.post(MEMBERS, {"member": waiting.pk, "decision": "approve"})

    response = client.post(MEMBERS, {"member": waiting.pk, "decision": "reject"}, follow=True)

    waiting.refresh_from_db()
    assert waiting.membership_status == MembershipStatus.APPROVED
    assert "is not waiting for approval" in response.content.decode()


def test_a_malformed_decision_changes_nothing(client, lead, waiting):
    client.force_login(lead)

    response = client.post(MEMBERS, {"member": waiting.pk, "decision": "maybe"}, follow=True)

    waiting.refresh_from_db()
    assert waiting.membership_status == MembershipStatus.PENDING
    assert "Choose approve or reject" in response.content.decode()


def test_partnership_admins_hear_about_waiting_members_when_the_agency_has_no_lead(
    police, django_capture_on_commit_callbacks
):
    from accounts.services import user_membership_join

    admin = UserFactory(roles=["Partnership admin"])
    member = UserFactory(agency=None, team=None)

    with django_capture_on_commit_callbacks(execute=True):
        user_membership_join(user=member, agency=police, team=None, job_role=member.job_role)

    assert [m.to for m in mail.outbox] == [[admin.email]]
