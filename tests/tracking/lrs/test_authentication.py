"""Communication 4: Basic credentials, scopes, read-own, the admin and the command."""

import base64
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.tracking.lrs.conftest import XAPIClient
from tests.tracking.lrs.factories import statement
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import LRSClient

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_with_challenge(client):
    response = client.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_wrong_secret_is_401(client, lrs_client):
    token = base64.b64encode(f"{lrs_client[0].key}:wrong".encode()).decode()
    response = client.get(
        "/xapi/statements",
        headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
    )
    assert response.status_code == 401


def test_inactive_client_is_401(xapi, lrs_client):
    LRSClient.objects.filter(pk=lrs_client[0].pk).update(is_active=False)
    assert xapi.get("statements").status_code == 401


def test_read_only_client_cannot_write(client):
    reader, secret = lrs_client_create(name="Reader", can_write_statements=False)
    api = XAPIClient(client, reader.key, secret)
    assert api.post("statements", body=statement()).status_code == 403
    assert api.get("statements").status_code == 200


def test_client_without_documents_scope_cannot_use_state(client):
    writer, secret = lrs_client_create(name="Writer", can_use_documents=False)
    api = XAPIClient(client, writer.key, secret)
    response = api.get(
        "activities/state",
        params={"activityId": "https://x.org/a", "agent": {"mbox": "mailto:a@b.org"}},
    )
    assert response.status_code == 403


def test_read_own_client_sees_only_its_statements(client, xapi):
    (other_id,) = xapi.post("statements", body=statement()).json()
    own, secret = lrs_client_create(name="Own", can_read_all=False)
    api = XAPIClient(client, own.key, secret)
    (own_id,) = api.post("statements", body=statement()).json()
    listed = [s["id"] for s in api.get("statements").json()["statements"]]
    assert listed == [own_id]
    assert api.get("statements", params={"statementId": other_id}).status_code == 404


def test_create_lrs_client_command_prints_working_credentials(client):
    out = io.StringIO()
    call_command("create_lrs_client", "Police LMS", "--read-all", stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().strip().splitlines())
    api = XAPIClient(client, lines["key"], lines["secret"])
    assert api.get("statements").status_code == 200
    assert LRSClient.objects.get(key=lines["key"]).can_read_all


def test_partnership_admin_creates_client_in_wagtail_admin_and_sees_secret_once(client):
    admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    client.force_login(admin)
    index = reverse("lrs_clients:index")
    assert client.get(index).status_code == 200
    assert client.get(index, {"q": "health"}).status_code == 200
    response = client.post(
        reverse("lrs_clients:add"),
        {
            "name": "Health trust LMS",
            "is_active": "on",
            "can_write_statements": "on",
            "can_read_own": "on",
        },
    )
    assert response.status_code == 200
    created = LRSClient.objects.get(name="Health trust LMS")
    page = response.content.decode()
    key = re.search(r'id="lrs-client-key">([^<]+)<', page).group(1)
    secret = re.search(r'id="lrs-client-secret">([^<]+)<', page).group(1)
    assert key == created.key
    assert "no-store" in response["Cache-Control"]
    # The secret works, and it was not put in a message (a cookie or the session) to show later.
    assert XAPIClient(client, key, secret).get("statements").status_code == 200
    later = client.get(index).content.decode()
    assert secret not in later
    assert secret not in str(client.session.items())
    assert all(secret not in cookie.value for cookie in client.cookies.values())


def test_learner_cannot_reach_lrs_client_admin(client):
    client.force_login(UserFactory(roles=[Role.LEARNER]))
    response = client.get(reverse("lrs_clients:index"))
    assert response.status_code in (302, 403)
