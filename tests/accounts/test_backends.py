import pytest
from django.contrib.auth import SESSION_KEY

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_signing_in_with_the_form_keeps_the_member_signed_in_on_later_requests(client):
    user = UserFactory()

    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    page = client.get(PROFILE)
    assert page.status_code == 200
    assert page.wsgi_request.user == user
    assert page.wsgi_request.user.email == user.email


def test_each_session_loads_its_own_user(client):
    first, second = UserFactory(), UserFactory()

    client.force_login(first)
    assert client.get(PROFILE).wsgi_request.user == first
    client.force_login(second)
    assert client.get(PROFILE).wsgi_request.user == second


def test_a_deactivated_user_is_signed_out_on_their_next_request(client):
    user = UserFactory()
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get(PROFILE)

    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302


def test_a_deleted_user_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    user.delete()

    assert not client.get(PROFILE).wsgi_request.user.is_authenticated


def test_signing_in_ignores_the_case_of_the_email_address(client):
    user = UserFactory(email="sam.jones@example.org")  # as sign-up stores it

    response = client.post(
        "/accounts/login/", {"login": "SAM.JONES@EXAMPLE.ORG", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
