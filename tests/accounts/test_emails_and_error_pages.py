"""Branded emails with plain-text and HTML parts, the one password link, and GOV.UK error pages."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.views.defaults import server_error

from accounts.models import MembershipStatus
from accounts.roles import Role
from accounts.services import membership_pending_notify
from tests.accounts.factories import (
    AgencyDomainFactory,
    JobRoleFactory,
    TeamFactory,
    UserFactory,
)
from tests.accounts.test_registration import form_data

pytestmark = pytest.mark.django_db


def _html_part(message) -> str:
    parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(parts) == 1, "an HTML part besides the plain text"
    return parts[0]


def test_allauths_password_reset_email_is_branded_in_text_and_html(client):
    UserFactory(email="asha@example.org")
    client.post("/accounts/password/reset/", {"email": "asha@example.org"})

    message = mail.outbox[0]
    assert "Hello from" not in message.body and "testserver" not in message.body.split("http")[0]
    assert "Reset your password" in message.subject
    assert "/accounts/password/reset/key/" in message.body
    html = _html_part(message)
    assert "Safeguarding training" in html and 'href="http' in html


def test_allauths_signup_confirmation_email_is_branded(client):
    domain = AgencyDomainFactory(domain="oldham.example.org")
    team, job_role = TeamFactory(agency=domain.agency), JobRoleFactory()
    client.post(
        "/accounts/signup/",
        form_data(agency=domain.agency.pk, team=team.pk, job_role=job_role.pk),
    )

    (confirm,) = mail.outbox
    assert confirm.subject.endswith("Confirm your email address")
    assert "Hello from" not in confirm.body and "Thank you for using" not in confirm.body
    assert "/accounts/confirm-email/" in confirm.body
    assert "Safeguarding training" in _html_part(confirm)


def test_our_own_membership_email_has_an_html_part_too():
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    member = UserFactory(agency=lead.agency, membership_status=MembershipStatus.PENDING)
    membership_pending_notify(user_id=member.pk)
    assert "/accounts/agency/members/" in _html_part(mail.outbox[0])


def test_the_sign_in_page_has_one_forgotten_password_link(client):
    html = client.get("/accounts/login/").content.decode()
    assert html.count('href="/accounts/password/reset/"') == 1
    assert "Forgot your password?" not in html


def test_a_missing_page_is_the_gov_uk_page_not_found_page(client):
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found" in html and "If you typed the web address" in html


def test_a_server_error_is_the_gov_uk_problem_with_the_service_page():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
