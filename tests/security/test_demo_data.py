"""load_demo: never under production settings; its privileged accounts print their TOTP keys."""

import io
import secrets

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from tests.config.test_settings import manage

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_curriculum(monkeypatch):
    monkeypatch.setattr("pages.management.commands.load_demo.get_commands", lambda: {})


def test_load_demo_refuses_to_run_under_production_settings():
    result = manage(
        "load_demo",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://training.example.org",
        ALLOWED_HOSTS="training.example.org",
        CACHE_URL="redis://127.0.0.1:6379/13",
    )

    assert result.returncode != 0
    assert "load_demo: refused" in result.stderr


@override_settings(DEMO_DATA_ALLOWED=False)
def test_load_demo_refuses_where_demo_data_is_not_allowed():
    with pytest.raises(CommandError, match="refused"):
        load_demo()

    assert not User.objects.exists()


def test_load_demo_prints_a_working_totp_key_for_each_privileged_account(client):
    out = load_demo()
    line = next(row for row in out.splitlines() if "trainer@oldham.example.org" in row)
    key = line.split()[-1]

    client.post(
        "/accounts/login/",
        {"login": "trainer@oldham.example.org", "password": "safeguarding-demo-2026"},
    )
    client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(key).now()})

    assert client.get("/accounts/profile/").status_code == 200
    assert key in load_demo()  # the same key on a second run
    learner = next(row for row in out.splitlines() if "learner@oldham.example.org" in row)
    assert learner.split()[-1] == "-"
