"""One way in (issue 15): every sign-in, sign-out and password reset is allauth's."""

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_admin_login_pages_never_sign_in_an_unconfirmed_email(client, path):
    user = UserFactory(
        verified_email=False, is_staff=True, is_superuser=True, roles=[Role.PARTNERSHIP_ADMIN]
    )

    client.post(path, {"username": user.email, "password": PASSWORD}, follow=True)

    assert not signed_in(client)


def test_allauth_sign_in_refuses_an_unconfirmed_email(client):
    user = UserFactory(verified_email=False)

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/admin/login/?next=/admin/pages/", "/accounts/login/?next=/admin/pages/"),
        ("/django-admin/login/?next=/django-admin/", "/accounts/login/?next=/django-admin/"),
        ("/admin/", "/accounts/login/?next=/admin/"),
        ("/admin/password_reset/", "/accounts/password/reset/"),
        ("/django-admin/password_change/", "/accounts/password/change/"),
    ],
)
def test_admin_sign_in_and_reset_pages_redirect_to_allauth(client, path, target):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == target


def test_wagtails_own_password_reset_pages_are_gone(client):
    assert client.get("/admin/password_reset/done/").status_code == 404


def test_admin_sign_out_form_signs_out_through_allauth(client):
    client.force_login(UserFactory(roles=[Role.LEARNER]))

    response = client.post("/admin/logout/", follow=True)

    assert response.redirect_chain[0] == ("/accounts/logout/", 307)
    assert not signed_in(client)


def test_forty_wrong_passwords_at_the_wagtail_login_leave_the_account_locked(client):
    user = UserFactory(is_staff=True, is_superuser=True, roles=[Role.PARTNERSHIP_ADMIN])

    for _ in range(40):
        client.post("/admin/login/", {"username": user.email, "password": "wrong-password-1"})
    client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert not signed_in(client)

    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong-password-1"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_failed_logins_lock_the_account_not_the_shared_address(client):
    """Five wrong passwords for one account do not stop a colleague behind the same proxy."""
    target, colleague = UserFactory(), UserFactory()
    for _ in range(6):
        client.post("/accounts/login/", {"login": target.email, "password": "wrong-password-1"})

    response = client.post("/accounts/login/", {"login": colleague.email, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in(client)


def test_two_hundred_staff_behind_one_proxy_all_sign_in_at_nine(client, django_user_model):
    """A police force's staff share one address: per-address limits must not stop them."""
    agency = UserFactory().agency
    people = [UserFactory(agency=agency, team=None) for _ in range(200)]
    signed = 0
    for number, person in enumerate(people):
        client.logout()
        if number % 10 == 0:  # one in ten mistypes first
            client.post(
                "/accounts/login/",
                {"login": person.email, "password": "wrong-password-1"},
                REMOTE_ADDR="203.0.113.9",
            )
        response = client.post(
            "/accounts/login/",
            {"login": person.email, "password": PASSWORD},
            REMOTE_ADDR="203.0.113.9",
        )
        signed += response.status_code == 302 and signed_in(client)

    assert signed == 200


def test_passwords_shorter_than_twelve_characters_are_refused(client):
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "elevenchars", "password2": "elevenchars"},
    )
    assert response.status_code == 302  # not signed in: nothing changes
    client.force_login(user := UserFactory())

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Elevenchar5", "password2": "Elevenchar5"},
    )

    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
