"""Registration, email verification, sign-in and agency approval, in Chromium with axe checks."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import (
    AgencyDomainFactory,
    AgencyFactory,
    JobRoleFactory,
    TeamFactory,
    UserFactory,
)
from tests.browser.conftest import link_in_email

PASSWORD = "a-long-and-unusual-passphrase"


def register(page, assert_accessible, *, email: str, team: str, job_role: str) -> None:
    page.goto("/")
    page.get_by_role("button", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Given name").fill("Asha")
    page.get_by_label("Family name").fill("Khan")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Team").select_option(label=team)
    page.get_by_label("Job role").select_option(label=job_role)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)


def verify_email(page, live_url, outbox, assert_accessible) -> None:
    link = link_in_email(outbox[-1], "/accounts/confirm-email/")
    page.goto(re.sub(r"^https?://[^/]+", live_url, link))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    if page.get_by_role("heading", name="Sign out").count():  # the confirmation page
        page.get_by_role("button", name="Yes, sign out").click()


def sign_in(page, assert_accessible, *, email: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_new_user_registers_verifies_email_signs_in_and_reaches_home(
    page, live_url, outbox, assert_accessible
):
    agency = AgencyFactory(name="Oldham Children's Social Care", slug="oldham-csc")
    AgencyDomainFactory(agency=agency, domain="oldham.example.org")
    TeamFactory(agency=agency, name="Children in care")
    JobRoleFactory(name="Social worker", slug="social-worker")

    register(
        page,
        assert_accessible,
        email="asha.khan@oldham.example.org",
        team="Children in care",
        job_role="Social worker",
    )
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    verify_email(page, live_url, outbox, assert_accessible)
    sign_out(page)

    sign_in(page, assert_accessible, email="asha.khan@oldham.example.org")

    assert page.url == f"{live_url}/"
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    assert_accessible(page)


def test_registration_errors_are_summarised_and_linked_to_their_fields(page, assert_accessible):
    TeamFactory(name="Children in care")
    JobRoleFactory(name="Social worker")

    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your given name")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your work email address").click()
    expect(page.get_by_label("Work email address")).to_be_focused()


def test_agency_lead_approves_a_new_member_who_can_then_train(
    page, live_url, outbox, signed_in_page, assert_accessible
):
    police = AgencyFactory(name="Greater Manchester Police", slug="gmp", requires_approval=True)
    AgencyDomainFactory(agency=police, domain="police.example.org")
    TeamFactory(agency=police, name="Missing from home team")
    JobRoleFactory(name="Police officer", slug="police-officer")
    lead = UserFactory(agency=police, roles=["Agency lead"], email="lead@police.example.org")

    register(
        page,
        assert_accessible,
        email="pc.jones@police.example.org",
        team="Missing from home team",
        job_role="Police officer",
    )
    verify_email(page, live_url, outbox, assert_accessible)
    page.goto("/courses/")
    expect(page.get_by_role("heading", name="Waiting for approval")).to_be_visible()
    assert_accessible(page)
    assert any(lead.email in message.to for message in outbox)

    signed_in_page(lead).goto("/")
    page.get_by_role("link", name="Members", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve Asha Khan").click()
    expect(page.get_by_text("You approved Asha Khan")).to_be_visible()
    assert_accessible(page)
    assert "you can now start your training" in outbox[-1].subject

    sign_out(page)
    sign_in(page, assert_accessible, email="pc.jones@police.example.org")
    page.goto("/accounts/waiting/")
    assert page.url == f"{live_url}/"
