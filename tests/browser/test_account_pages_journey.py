"""allauth's other pages on the GOV.UK layout: password reset, email, password change, sign out."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.conftest import link_in_email


def test_forgotten_password_journey_is_accessible(page, live_url, outbox, assert_accessible):
    UserFactory(email="asha@example.org")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("asha@example.org")
    page.get_by_role("button", name="Send reset link").click()
    assert_accessible(page)

    link = link_in_email(outbox[-1], "/accounts/password/reset/key/")
    page.goto(re.sub(r"^https?://[^/]+", live_url, link))
    assert_accessible(page)
    page.get_by_label("New Password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New Password (again)", exact=True).fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Change password").click()
    assert_accessible(page)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("asha@example.org")
    page.get_by_label("Password").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()


def test_signed_in_account_pages_are_accessible(signed_in_page, assert_accessible):
    page = signed_in_page(UserFactory())

    for path in ["/accounts/profile/", "/accounts/email/", "/accounts/password/change/"]:
        page.goto(path)
        assert_accessible(page)

    page.goto("/accounts/logout/")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, sign out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()
