"""Self-registration: the form, agency from the email domain, approval holds, email verification."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import MembershipStatus, User
from tests.accounts.factories import (
    AgencyDomainFactory,
    AgencyFactory,
    JobRoleFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


@pytest.fixture
def agency():
    agency = AgencyFactory(name="Oldham Children's Social Care", slug="oldham-csc")
    AgencyDomainFactory(agency=agency, domain="oldham.example.org")
    return agency


@pytest.fixture
def team(agency):
    return TeamFactory(agency=agency, name="Children in care")


@pytest.fixture
def job_role():
    return JobRoleFactory(name="Social worker", slug="social-worker")


def form_data(**overrides):
    data = {
        "first_name": "Asha",
        "last_name": "Khan",
        "email": "asha.khan@oldham.example.org",
        "agency": "",
        "team": "",
        "job_role": "",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    }
    data.update(overrides)
    return data


def test_signup_page_uses_govuk_markup_with_teams_grouped_by_agency(client, team):
    response = client.get(SIGNUP)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-input' in html
    assert f'<optgroup label="{team.agency.name}"'.replace("'", "&#x27;") in html
    assert "Work it out from my email address" in html


def test_valid_signup_creates_an_unverified_member_and_emails_a_confirmation_link(
    client, team, job_role
):
    response = client.post(
        SIGNUP, form_data(agency=team.agency.pk, team=team.pk, job_role=job_role.pk)
    )

    assert response.status_code == 302
    user = User.objects.get(email="asha.khan@oldham.example.org")
    assert (user.first_name, user.last_name) == ("Asha", "Khan")
    assert (user.agency, user.team, user.job_role) == (team.agency, team, job_role)
    assert user.membership_status == MembershipStatus.APPROVED
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/\S+", mail.outbox[0].body)


def test_blank_agency_is_taken_from_the_email_domain(client, team, job_role):
    client.post(SIGNUP, form_data(team=team.pk, job_role=job_role.pk))

    assert User.objects.get(email="asha.khan@oldham.example.org").agency == team.agency


def test_blank_agency_with_an_unknown_domain_asks_for_the_agency(client, team, job_role):
    response = client.post(
        SIGNUP, form_data(email="asha@gmail.example.com", team=team.pk, job_role=job_role.pk)
    )

    assert response.status_code == 200
    assert (
        "Select your agency: your email address does not tell us which it is"
        in (response.context["form"].errors["agency"])
    )
    assert not User.objects.exists()


def test_unknown_agency_is_a_form_error(client, team, job_role):
    response = client.post(SIGNUP, form_data(agency=999999, team=team.pk, job_role=job_role.pk))

    assert response.context["form"].errors["agency"] == ["Select your agency from the list"]
    assert not User.objects.exists()


def test_team_from_another_agency_is_a_form_error(client, team, job_role):
    other_team = TeamFactory(name="Response")

    response = client.post(
        SIGNUP, form_data(agency=team.agency.pk, team=other_team.pk, job_role=job_role.pk)
    )

    assert response.context["form"].errors["team"] == [
        "Select a team in Oldham Children's Social Care, your agency"
    ]


def test_team_is_required_when_the_agency_has_teams(client, team, job_role):
    response = client.post(SIGNUP, form_data(job_role=job_role.pk))

    assert response.context["form"].errors["team"] == [
        "Select your team in Oldham Children's Social Care"
    ]


def test_malformed_email_is_a_form_error_shown_in_the_error_summary(client, team, job_role):
    response = client.post(
        SIGNUP,
        form_data(
            email="asha.khan-at-oldham", agency=team.agency.pk, team=team.pk, job_role=job_role.pk
        ),
    )

    html = response.content.decode()
    message = "Enter an email address in the correct format, like name@example.org"
    assert response.context["form"].errors["email"] == [message]
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_email">{message}</a>' in html
    assert "<title>Error: Create an account" in html


def test_duplicate_email_is_a_form_error(client, team, job_role):
    UserFactory(email="asha.khan@oldham.example.org")

    response = client.post(
        SIGNUP,
        form_data(email="Asha.Khan@oldham.example.org", team=team.pk, job_role=job_role.pk),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_missing_name_job_role_and_passwords_are_form_errors(client, team):
    response = client.post(
        SIGNUP, form_data(first_name="", last_name="", team=team.pk, password1="", password2="")
    )

    errors = response.context["form"].errors
    assert errors["first_name"] == ["Enter your given name"]
    assert errors["last_name"] == ["Enter your family name"]
    assert errors["job_role"] == ["Select your job role"]
    assert errors["password1"] == ["Enter a password"]
    assert errors["password2"] == ["Enter your password again"]


def test_agency_requiring_approval_holds_the_member_and_emails_leads_once_email_is_confirmed(
    client, job_role, django_capture_on_commit_callbacks
):
    police = AgencyFactory(name="Greater Manchester Police", slug="gmp", requires_approval=True)
    AgencyDomainFactory(agency=police, domain="police.example.org")
    team = TeamFactory(agency=police, name="Missing from home")
    lead = UserFactory(agency=police, roles=["Agency lead"], email="lead@police.example.org")
    UserFactory(roles=["Agency lead"], email="other-lead@example.org")  # another agency's lead

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            SIGNUP,
            form_data(email="pc.jones@police.example.org", team=team.pk, job_role=job_role.pk),
        )
    user = User.objects.get(email="pc.jones@police.example.org")
    assert user.membership_status == MembershipStatus.PENDING
    assert not [m for m in mail.outbox if "waiting to join" in m.subject]

    confirm = re.search(r"/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)

    to_leads = [m for m in mail.outbox if "waiting to join" in m.subject]
    assert [m.to for m in to_leads] == [[lead.email]]
    assert "/accounts/agency/members/" in to_leads[0].body
    assert response["Location"] == "/accounts/waiting/"


def test_verifying_the_email_signs_the_member_in(client, team, job_role):
    client.post(SIGNUP, form_data(team=team.pk, job_role=job_role.pk))
    path = re.search(r"/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)

    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="asha.khan@oldham.example.org").verified
    assert client.get("/accounts/profile/").status_code == 200


def test_an_unverified_member_cannot_sign_in(client, team, job_role):
    client.post(SIGNUP, form_data(team=team.pk, job_role=job_role.pk))
    client.logout()

    response = client.post(
        "/accounts/login/",
        {"login": "asha.khan@oldham.example.org", "password": "a-long-and-unusual-passphrase"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/accounts/profile/").status_code == 302
