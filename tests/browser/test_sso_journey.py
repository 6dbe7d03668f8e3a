"""Signing in with an agency account through a real OpenID provider (oidc-provider, npm)."""

from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.oidc.fixtures import (  # noqa: F401
    DOMAIN,
    agency_sign_in,
    callback_uris,
    oidc_provider_dir,
    start_oidc_provider,
)


def test_agency_account_sign_in_through_the_provider_pages(
    page,
    live_url,
    start_oidc_provider,  # noqa: F811
    assert_accessible,
):
    provider = start_oidc_provider(redirect_uris=callback_uris(live_url))
    link = agency_sign_in(server_url=provider.url)

    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Northshire Police account").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    # The provider's own pages: its login form, then consent.
    page.locator("input[name=login]").fill(f"robin@{DOMAIN}")
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()

    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    assert page.url.startswith(live_url)
    assert_accessible(page)
    assert User.objects.get(email=f"robin@{DOMAIN}").agency == link.agency
