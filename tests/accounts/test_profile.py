"""The profile page and the personal-data download."""

import json

import pytest
from django.core import mail

from accounts.models import MembershipStatus
from accounts.services import user_data_export
from learning.models import EventKind
from learning.services import learning_event_record
from tests.accounts.factories import (
    AgencyDomainFactory,
    AgencyFactory,
    JobRoleFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_profile_needs_sign_in(client):
    assert client.get(PROFILE)["Location"].startswith("/accounts/login/")


def test_profile_shows_the_members_details(client):
    user = UserFactory(first_name="Asha", last_name="Khan")
    client.force_login(user)

    html = client.get(PROFILE).content.decode()

    assert user.email in html
    assert 'value="Asha"' in html
    assert f'<option value="{user.team.pk}" selected>' in html


def test_member_corrects_name_team_and_job_role(client):
    user = UserFactory()
    new_team = TeamFactory(agency=user.agency)
    new_role = JobRoleFactory()
    client.force_login(user)

    response = client.post(
        PROFILE,
        {
            "first_name": " Asha ",
            "last_name": "Khan-Smith",
            "agency": user.agency.pk,
            "team": new_team.pk,
            "job_role": new_role.pk,
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.first_name, user.last_name) == ("Asha", "Khan-Smith")
    assert (user.team, user.job_role) == (new_team, new_role)
    assert user.membership_status == MembershipStatus.APPROVED


def test_moving_to_an_agency_that_approves_members_needs_approval(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    police = AgencyFactory(requires_approval=True)
    lead = UserFactory(agency=police, roles=["Agency lead"])
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            PROFILE,
            {
                "first_name": "Asha",
                "last_name": "Khan",
                "agency": police.pk,
                "team": TeamFactory(agency=police).pk,
                "job_role": user.job_role.pk,
            },
        )

    user.refresh_from_db()
    assert user.agency == police
    assert user.membership_status == MembershipStatus.PENDING
    assert [m.to for m in mail.outbox] == [[lead.email]]


def test_an_agency_lead_who_moves_agency_loses_the_lead_role_and_the_other_agencys_data(client):
    lead = UserFactory(roles=["Learner", "Agency lead"])
    other = AgencyFactory(requires_approval=False)
    AgencyDomainFactory(agency=other, domain="example.org")  # the lead's address: approved
    UserFactory(agency=other)
    client.force_login(lead)

    client.post(
        PROFILE,
        {
            "first_name": "Lee",
            "last_name": "Mover",
            "agency": other.pk,
            "team": TeamFactory(agency=other).pk,
            "job_role": lead.job_role.pk,
        },
    )

    lead.refresh_from_db()
    assert lead.agency == other
    assert set(lead.groups.values_list("name", flat=True)) == {"Learner"}
    assert client.get(f"/reports/agencies/{other.pk}/").status_code in (403, 404)
    assert client.get(f"/reports/export/staff.csv?agency={other.pk}").status_code in (403, 404)
    assert client.get("/accounts/agency/members/").status_code in (403, 404)


def test_a_learner_who_corrects_details_in_the_same_agency_keeps_their_roles(client):
    lead = UserFactory(roles=["Learner", "Agency lead"])
    client.force_login(lead)

    client.post(
        PROFILE,
        {
            "first_name": "Lee",
            "last_name": "Stayer",
            "agency": lead.agency.pk,
            "team": lead.team.pk,
            "job_role": lead.job_role.pk,
        },
    )

    assert set(lead.groups.values_list("name", flat=True)) == {"Learner", "Agency lead"}


def test_profile_with_a_team_from_another_agency_is_refused_and_changes_nothing(client):
    user = UserFactory(first_name="Asha")
    client.force_login(user)

    response = client.post(
        PROFILE,
        {
            "first_name": "Changed",
            "last_name": "Khan",
            "agency": user.agency.pk,
            "team": TeamFactory().pk,
            "job_role": user.job_role.pk,
        },
    )

    user.refresh_from_db()
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert user.first_name == "Asha"


def test_data_download_is_a_json_attachment_with_details_and_learning_events(client):
    user = UserFactory(email="asha@example.org")
    other = UserFactory()
    learning_event_record(user=user, kind=EventKind.COURSE_LAUNCHED, activity="course:1")
    learning_event_record(user=other, kind=EventKind.COURSE_LAUNCHED, activity="course:2")
    client.force_login(user)

    response = client.get("/accounts/profile/data.json")

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["you"]["email"] == "asha@example.org"
    assert data["you"]["agency"] == user.agency.name
    assert [e["activity"] for e in data["learning_events"]] == ["course:1"]


def test_data_export_includes_every_registered_exporter(settings):
    settings.PERSONAL_DATA_EXPORTERS = ["tests.accounts.test_profile.example_exporter"]

    export = user_data_export(user=UserFactory())

    assert export["example"] == {"answer": 42}


def test_data_export_refuses_two_exporters_claiming_one_section(settings):
    settings.PERSONAL_DATA_EXPORTERS = [
        "tests.accounts.test_profile.example_exporter",
        "tests.accounts.test_profile.example_exporter",
    ]

    with pytest.raises(ValueError, match="section 'example'"):
        user_data_export(user=UserFactory())


def example_exporter(*, user) -> dict:
    return {"example": {"answer": 42}}
