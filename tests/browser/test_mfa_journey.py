"""A trainer sets up an authenticator app at first sign-in, then signs in with a code."""

import time

import pyotp
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory

PASSWORD = "correct-horse-battery"


def sign_in_with_password(page, assert_accessible, email: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fresh_code(totp: pyotp.TOTP) -> str:
    """A code with at least 10 s of its period left, so it is still current when the form is
    submitted (a code read just before the period ends was refused: a flaky failure)."""
    while totp.interval - time.time() % totp.interval < 10:
        time.sleep(1)
    return totp.now()


def test_trainer_enrols_an_authenticator_app_then_signs_in_with_a_code(
    page, live_url, assert_accessible
):
    UserFactory(email="tom.trainer@example.org", roles=[Role.TRAINER], totp=False)

    sign_in_with_password(page, assert_accessible, "tom.trainer@example.org")
    page.goto("/courses/")  # privileged: sent to enrol before anything else
    # allauth asks for the password again before a factor is added.
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.get_by_label("Code from your app").fill(fresh_code(pyotp.TOTP(secret)))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert_accessible(page)

    page.goto("/courses/")
    assert page.url == f"{live_url}/courses/"
    page.get_by_role("button", name="Sign out").click()
    if page.get_by_role("heading", name="Sign out").count():
        page.get_by_role("button", name="Yes, sign out").click()

    sign_in_with_password(page, assert_accessible, "tom.trainer@example.org")
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)
    # The previous code was spent on enrolment; wait for the next one rather than reuse it.
    totp = pyotp.TOTP(secret)
    used = totp.now()
    while totp.now() == used:
        page.wait_for_timeout(1000)
    page.get_by_label("Security code").fill(totp.now())
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    assert_accessible(page)
