"""A second factor for privileged roles, enrolment at first sign-in, and session limits (#15)."""

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY

from accounts.roles import DIRECTORY_EDITOR, Role
from tests.accounts.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ENROL = "/accounts/2fa/totp/activate/"
PRIVILEGED = [Role.TRAINER, Role.AGENCY_LEAD, Role.PARTNERSHIP_ADMIN]


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_password_alone_does_not_sign_in_an_enrolled_privileged_user(client, role):
    user = UserFactory(roles=[role])

    response = sign_in(client, user)

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert not signed_in(client)

    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert signed_in(client)


def test_guessing_codes_locks_the_second_step_after_five_tries(client):
    user = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    sign_in(client, user)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_users_without_a_second_factor_are_sent_to_enrol_first(client, role):
    client.force_login(UserFactory(roles=[role], totp=False))

    for path in ("/", "/courses/", "/reports/", "/admin/", "/accounts/profile/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ENROL, path


def test_directory_editors_and_superusers_must_enrol_too(client):
    editor = UserFactory(totp=False)
    editor.groups.add(editor.groups.model.objects.get(name=DIRECTORY_EDITOR))
    client.force_login(editor)
    assert client.get("/admin/")["Location"] == ENROL

    client.force_login(UserFactory(is_superuser=True, is_staff=True, roles=[], totp=False))
    assert client.get("/admin/")["Location"] == ENROL


def test_learners_need_no_second_factor(client):
    client.force_login(UserFactory(roles=[Role.LEARNER]))

    assert client.get("/accounts/profile/").status_code == 200


def test_enrolment_at_first_sign_in_then_signing_in_asks_for_a_code(client):
    trainer = UserFactory(roles=[Role.TRAINER], totp=False)
    assert sign_in(client, trainer).status_code == 302
    assert signed_in(client)  # no factor yet: the password signs in, to enrol only
    assert client.get("/courses/")["Location"] == ENROL

    # allauth asks for the password again before a factor is added.
    assert client.get(ENROL)["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get(ENROL)
    secret = re.search(r'id="authenticator-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    response = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=trainer, type="totp").exists()
    assert Authenticator.objects.filter(user=trainer, type="recovery_codes").exists()
    assert client.get("/courses/").status_code == 200

    client.logout()
    sign_in(client, trainer)
    assert not signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert signed_in(client)


def test_a_partnership_admin_resets_a_lost_factor(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN], is_staff=True)
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(admin)
    url = f"/admin/accounts/users/{trainer.pk}/reset-authenticator/"
    assert "Reset authenticator app" in client.get("/admin/users/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=trainer).exists()
    assert "authenticator app was reset" in mailoutbox[-1].subject
    client.force_login(trainer)
    assert client.get("/courses/")["Location"] == ENROL


def test_only_partnership_admins_can_reset_a_factor(client):
    lead = UserFactory(roles=[Role.AGENCY_LEAD, Role.TRAINER], is_staff=True)
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(lead)

    response = client.post(f"/admin/accounts/users/{trainer.pk}/reset-authenticator/")

    assert response.status_code in (302, 403)
    assert Authenticator.objects.filter(user=trainer).exists()


START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("roles", "idle_minutes", "signed_out"),
    [
        ([Role.LEARNER], 31, False),
        ([Role.LEARNER], 121, True),
        ([Role.TRAINER], 29, False),
        ([Role.TRAINER], 31, True),
    ],
)
def test_sessions_end_after_a_time_without_activity(client, roles, idle_minutes, signed_out):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(UserFactory(roles=roles))
        assert client.get("/accounts/profile/").status_code == 200
        traveller.shift(dt.timedelta(minutes=idle_minutes))

        response = client.get("/accounts/profile/")

        assert (response.status_code == 302) is signed_out
        assert signed_in(client) is not signed_out
    if signed_out:
        assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


@pytest.mark.parametrize(("roles", "hours"), [([Role.LEARNER], 12), ([Role.TRAINER], 8)])
def test_sessions_end_after_an_absolute_time_however_active(client, roles, hours):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(UserFactory(roles=roles))
        for _ in range(hours * 4):
            assert client.get("/accounts/profile/").status_code == 200
            traveller.shift(dt.timedelta(minutes=15))
        traveller.shift(dt.timedelta(minutes=1))

        response = client.get("/accounts/profile/")

        assert response.status_code == 302
        assert not signed_in(client)


def test_signing_in_from_an_expired_session_is_not_lost(client):
    person = UserFactory(roles=[Role.LEARNER])
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(person)
        client.get("/accounts/profile/")
        traveller.shift(dt.timedelta(hours=3))

        response = sign_in(client, person)

        assert response.status_code == 302 and response["Location"] == "/"
        assert client.session[SESSION_KEY] == str(person.pk)
