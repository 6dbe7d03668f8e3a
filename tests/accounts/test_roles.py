"""What each role may do: the permission checks in code, through real requests."""

import pytest

from accounts.models import Agency
from accounts.selectors import user_report_agencies
from pages.models import HomePage
from tests.accounts.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get()


def admin_status(client, user, path="/admin/"):
    client.force_login(user)
    return client.get(path).status_code


def test_learner_has_no_admin_access(client):
    client.force_login(UserFactory(roles=["Learner"]))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"  # allauth: one way in


def test_learner_sees_no_one_elses_reports():
    assert list(user_report_agencies(user=UserFactory(roles=["Learner"]))) == []


def test_trainer_reaches_the_admin_and_can_add_and_edit_pages_but_not_publish(client, home):
    trainer = UserFactory(roles=["Trainer"])

    assert admin_status(client, trainer) == 200
    permissions = home.permissions_for_user(trainer)
    assert permissions.can_add_subpage()
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert not permissions.can_publish_subpage()


def test_trainer_cannot_manage_agencies_or_users(client):
    trainer = UserFactory(roles=["Trainer"])

    assert admin_status(client, trainer, "/admin/agencies/") == 302
    assert admin_status(client, trainer, "/admin/users/") == 302


def test_agency_lead_has_no_admin_access_and_sees_only_their_agency(client):
    lead = UserFactory(roles=["Agency lead"])
    AgencyFactory()

    assert admin_status(client, lead) == 302
    assert list(user_report_agencies(user=lead)) == [lead.agency]
    assert client.get("/accounts/agency/members/").status_code == 200


def test_agency_lead_waiting_for_approval_leads_nothing():
    lead = UserFactory(roles=["Agency lead"], membership_status="pending")

    assert list(user_report_agencies(user=lead)) == []


def test_partnership_admin_can_publish_and_manage_agencies_users_and_sites(client, home):
    admin = UserFactory(roles=["Partnership admin"])

    assert admin_status(client, admin) == 200
    assert home.permissions_for_user(admin).can_publish()
    for path in [
        "/admin/agencies/",
        "/admin/teams/",
        "/admin/job-roles/",
        "/admin/users/",
        "/admin/sites/",
        "/admin/redirects/",
    ]:
        assert client.get(path).status_code == 200, path
    assert set(user_report_agencies(user=admin)) == set(Agency.objects.all())


def test_partnership_admins_approve_pages_in_the_default_workflow():
    from wagtail.models import GroupApprovalTask

    task = GroupApprovalTask.objects.get(name="Moderators approval")

    assert task.groups.filter(name="Partnership admin").exists()
