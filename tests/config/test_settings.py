"""Settings come from the environment; a malformed value stops start-up naming the variable."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
BASE_SETTINGS = ROOT / "config" / "settings" / "base.py"


def load_base_settings(monkeypatch, **env) -> dict:
    """Execute config/settings/base.py afresh with the given environment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/training"),
        ("DATABASE_URL", "postgres://localhost"),
        ("DATABASE_URL", "not a url"),
        ("CELERY_BROKER_URL", "http://localhost:6379/0"),
        ("CELERY_BROKER_URL", "redis://"),
        ("SITE_URL", "training.example.org"),
        ("SITE_URL", "ftp://training.example.org"),
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
    ],
)
def test_a_malformed_value_raises_improperly_configured_naming_the_variable(
    monkeypatch, name, value
):
    with pytest.raises(ImproperlyConfigured, match=f"^{name}: "):
        load_base_settings(monkeypatch, **{name: value})


def test_well_formed_values_are_parsed(monkeypatch):
    settings = load_base_settings(
        monkeypatch,
        DATABASE_URL="postgres://app:secret@db.internal:5432/training",
        CELERY_BROKER_URL="redis://cache.internal:6379/1",
        SITE_URL="https://training.example.org/",
        DEBUG="off",
        ALLOWED_HOSTS="training.example.org, www.training.example.org",
    )

    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "training",
        "db.internal",
        5432,
    )
    assert settings["CELERY_BROKER_URL"] == "redis://cache.internal:6379/1"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["SITE_URL"] == "https://training.example.org"
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["training.example.org", "www.training.example.org"]


def test_without_a_broker_tasks_run_eagerly_and_sqlite_is_the_default(monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    settings = runpy.run_path(str(BASE_SETTINGS))

    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASES"]["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser harness sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly rejects.
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(DATABASE_URL="sqlite:////tmp/settings-check.sqlite3", **env)
    return subprocess.run(  # noqa: S603  fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")

    assert result.returncode != 0
    assert "SECRET_KEY: must be set in production" in result.stderr


def test_production_settings_pass_the_deployment_checklist_with_no_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://training.example.org",
        ALLOWED_HOSTS="training.example.org",
        CACHE_URL="redis://127.0.0.1:6379/13",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_a_cache_each_worker_keeps_to_itself():
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://training.example.org",
        ALLOWED_HOSTS="training.example.org",
    )

    assert result.returncode != 0
    assert "CACHE_URL: production needs a shared cache" in result.stderr
