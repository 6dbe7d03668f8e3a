"""Single sign-on through an agency's OpenID provider, against a real provider on loopback.

The provider is panva's oidc-provider (tests/accounts/oidc); its own login and consent pages
are driven here over HTTP, and by Chromium in tests/browser/test_sso_journey.py.
"""

import re
import socket
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory

from accounts.models import MembershipStatus, User
from accounts.oidc import (
    AMR_SESSION_KEY,
    NONCE_SESSION_KEY,
    sso_session_record,
    user_has_strong_sso_session,
)
from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.accounts.oidc.fixtures import DOMAIN, PROVIDER_ID, agency_sign_in

pytestmark = pytest.mark.django_db

LOGIN = f"/accounts/oidc/{PROVIDER_ID}/login/"
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def start_sign_in(client) -> str:
    """Press the agency button; returns the provider's authorisation URL we were sent to."""
    response = client.post(LOGIN)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def provider_sign_in(authorize_url: str, login: str) -> str:
    """Sign in and consent on the provider's own pages; returns our callback URL (path+query)."""
    with httpx.Client(timeout=20) as browser:
        url = authorize_url
        for _ in range(12):
            response = browser.get(url)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["location"])
                if url.startswith("http://testserver/"):
                    return url.removeprefix("http://testserver")
                continue
            action = urljoin(url, FORM_ACTION.search(response.text).group(1))
            if 'name="login"' in response.text:
                fields = {"prompt": "login", "login": login, "password": "any"}
            else:
                fields = {"prompt": "consent"}
            response = browser.post(action, data=fields)
            assert response.status_code in (302, 303), response.text[:500]
            url = urljoin(action, response.headers["location"])
            if url.startswith("http://testserver/"):
                return url.removeprefix("http://testserver")
    raise AssertionError("the provider never sent us back")


def signed_in_user(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def test_sign_in_uses_pkce_and_a_nonce(client, oidc_provider):
    agency_sign_in(server_url=oidc_provider.url)
    query = parse_qs(urlparse(start_sign_in(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert client.session[NONCE_SESSION_KEY][query["state"][0]] == query["nonce"][0]


def test_new_person_is_created_in_the_agency_owning_their_domain(client, oidc_provider):
    link = agency_sign_in(server_url=oidc_provider.url)
    callback = provider_sign_in(start_sign_in(client), f"alex@{DOMAIN}")
    response = client.get(callback)
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user.email == f"alex@{DOMAIN}"
    assert user.agency == link.agency
    assert user.membership_status == MembershipStatus.APPROVED
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).provider == PROVIDER_ID


def test_existing_person_with_a_verified_email_is_signed_in_as_themselves(client, oidc_provider):
    link = agency_sign_in(server_url=oidc_provider.url)
    existing = UserFactory(email=f"jo@{DOMAIN}", agency=link.agency)
    response = client.get(provider_sign_in(start_sign_in(client), f"jo@{DOMAIN}"))
    assert response.status_code == 302
    assert signed_in_user(client) == existing
    assert User.objects.filter(email=f"jo@{DOMAIN}").count() == 1


def test_unverified_email_is_not_confirmed_nor_used_to_sign_in_its_owner(client, oidc_provider):
    link = agency_sign_in(server_url=oidc_provider.url)
    email = f"unverified.kim@{DOMAIN}"
    owner = UserFactory(email=email, agency=link.agency)
    client.get(provider_sign_in(start_sign_in(client), email))
    assert signed_in_user(client) != owner
    assert not SocialAccount.objects.filter(user=owner).exists()


def test_unverified_email_of_a_new_person_must_be_confirmed_by_email(
    client, oidc_provider, mailoutbox
):
    agency_sign_in(server_url=oidc_provider.url)
    email = f"unverified.lee@{DOMAIN}"
    response = client.get(provider_sign_in(start_sign_in(client), email), follow=True)
    assert signed_in_user(client) is None
    assert not EmailAddress.objects.get(email=email).verified
    assert "Check your email" in response.text
    assert mailoutbox and mailoutbox[-1].to == [email]


def test_email_outside_the_agency_domains_is_refused(client, oidc_provider):
    agency_sign_in(server_url=oidc_provider.url)
    response = client.get(provider_sign_in(start_sign_in(client), "sam@elsewhere.example.org"))
    assert response.status_code == 403
    assert "outside the agency" in response.text
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="sam@elsewhere.example.org").exists()


def test_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(
    client, start_oidc_provider
):
    rogue = start_oidc_provider(OIDC_ADVERTISE_OTHER_KEY="1")
    agency_sign_in(server_url=rogue.url)
    response = client.get(provider_sign_in(start_sign_in(client), f"alex@{DOMAIN}"))
    assert "could not sign you in" in response.text
    assert signed_in_user(client) is None
    assert not User.objects.filter(email=f"alex@{DOMAIN}").exists()


def test_provider_naming_another_issuer_in_discovery_is_refused(client, start_oidc_provider):
    provider = start_oidc_provider(OIDC_ISSUER="https://login.elsewhere.example")
    agency_sign_in(server_url=provider.url)
    response = client.post(LOGIN)
    assert response.status_code == 502
    assert "could not sign you in" in response.text


def test_id_token_from_another_issuer_is_refused(client, start_oidc_provider):
    provider = start_oidc_provider(OIDC_ISSUER="https://login.elsewhere.example")
    # The discovery check is satisfied by an override, so the token's own iss claim is tested.
    agency_sign_in(
        server_url=provider.url,
        settings={"openid_configuration_overrides": {"issuer": provider.url}},
    )
    response = client.get(provider_sign_in(start_sign_in(client), f"alex@{DOMAIN}"))
    assert "could not sign you in" in response.text
    assert signed_in_user(client) is None


def test_replayed_callback_is_refused(client, oidc_provider):
    agency_sign_in(server_url=oidc_provider.url)
    callback = provider_sign_in(start_sign_in(client), f"alex@{DOMAIN}")
    assert client.get(callback).status_code == 302
    client.logout()
    response = client.get(callback)
    assert "could not sign you in" in response.text
    assert signed_in_user(client) is None


def test_id_token_with_another_sign_ins_nonce_is_refused(client, oidc_provider):
    agency_sign_in(server_url=oidc_provider.url)
    authorize_url = start_sign_in(client)
    state = parse_qs(urlparse(authorize_url).query)["state"][0]
    session = client.session
    session[NONCE_SESSION_KEY] = {state: "a-nonce-from-another-sign-in"}
    session.save()
    response = client.get(provider_sign_in(authorize_url, f"alex@{DOMAIN}"))
    assert "could not sign you in" in response.text
    assert signed_in_user(client) is None


def test_provider_down_shows_a_clear_page_and_password_sign_in_still_works(client):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    agency_sign_in(server_url=f"http://127.0.0.1:{port}")
    response = client.post(LOGIN)
    assert response.status_code == 503
    assert "cannot sign in with your agency account at the moment" in response.text
    assert "sign in with your email address and password" in response.text
    user = UserFactory(email=f"pat@{DOMAIN}")
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert signed_in_user(client) == user


def test_sign_in_page_offers_each_agency_provider(client, oidc_provider):
    agency_sign_in(server_url=oidc_provider.url)
    response = client.get("/accounts/login/")
    assert "Sign in with your agency account" in response.text
    assert f'href="{LOGIN}"' in response.text


@pytest.mark.parametrize(
    ("amr", "strong"), [(["pwd", "mfa"], True), (["hwk"], True), (["pwd"], False), ([], False)]
)
def test_strong_sso_session_follows_the_amr_claim(amr, strong):
    user = UserFactory()
    request = RequestFactory().get("/")
    request.session, request.user = {}, user

    class Login:
        account = SocialAccount(extra_data={"id_token": {"amr": amr}})

    sso_session_record(request=request, sociallogin=Login)
    assert user_has_strong_sso_session(request) is strong
    sso_session_record(request=request, sociallogin=None)
    assert user_has_strong_sso_session(request) is False


@pytest.mark.parametrize(("amr", "sent_to_enrol"), [(["pwd", "mfa"], False), (["pwd"], True)])
def test_privileged_people_need_no_second_factor_here_after_one_at_their_provider(
    client, amr, sent_to_enrol
):
    client.force_login(UserFactory(roles=[Role.AGENCY_LEAD], totp=False))
    session = client.session
    session[AMR_SESSION_KEY] = amr
    session.save()
    response = client.get("/accounts/profile/")
    assert (response.status_code == 302 and "/2fa/" in response["Location"]) is sent_to_enrol


def test_a_leaver_cannot_sign_in_with_their_agency_account(client, oidc_provider):
    link = agency_sign_in(server_url=oidc_provider.url)
    leaver = UserFactory(email=f"gone@{DOMAIN}", agency=link.agency, is_active=False)
    response = client.get(provider_sign_in(start_sign_in(client), f"gone@{DOMAIN}"))
    assert signed_in_user(client) is None
    assert response.status_code == 302 and "inactive" in response["Location"]
    assert User.objects.filter(email=leaver.email).count() == 1
