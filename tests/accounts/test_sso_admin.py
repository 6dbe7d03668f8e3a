"""Partnership admins set up an agency's sign-in provider in the Wagtail admin."""

import pytest
from allauth.socialaccount.models import SocialApp

from accounts.models import AgencyIdentityProvider
from tests.accounts.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/sign-in-providers/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=["Partnership admin"]))
    return client


def provider_form(agency, **overrides):
    data = {
        "agency": str(agency.pk),
        "name": "Northshire Police account",
        "issuer": "https://login.microsoftonline.com/1111-2222/v2.0/",
        "client_id": "app-id",
        "client_secret": "s3cret",
        "tenant_id": "1111-2222",
    }
    return {**data, **overrides}


def test_admin_links_an_agency_to_a_new_openid_connect_app(admin_client):
    agency = AgencyFactory(slug="northshire-police")
    response = admin_client.post(f"{URL}new/", provider_form(agency))
    assert response.status_code == 302, response.content[:2000]
    link = AgencyIdentityProvider.objects.get(agency=agency)
    app = link.social_app
    assert (app.provider, app.provider_id) == ("openid_connect", "northshire-police")
    assert app.settings["server_url"] == "https://login.microsoftonline.com/1111-2222/v2.0"
    assert (app.client_id, app.secret, link.tenant_id) == ("app-id", "s3cret", "1111-2222")
    listing = admin_client.get(URL)
    assert "/accounts/oidc/northshire-police/login/callback/" in listing.text


def test_editing_without_a_secret_keeps_the_current_secret(admin_client):
    agency = AgencyFactory()
    admin_client.post(f"{URL}new/", provider_form(agency))
    link = AgencyIdentityProvider.objects.get()
    response = admin_client.post(
        f"{URL}edit/{link.pk}/", provider_form(agency, client_secret="", client_id="new-id")
    )
    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert (app.client_id, app.secret) == ("new-id", "s3cret")


def test_agency_leads_cannot_configure_sign_in(client):
    client.force_login(UserFactory(roles=["Agency lead"]))
    assert client.get(URL).status_code in (302, 403)
