"""Shared fixtures. App-specific factories live in tests/<app>/factories.py."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with an empty cache (allauth keeps its rate limits there)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, enrolled with an authenticator app as superusers must be."""
    from tests.accounts.factories import give_totp

    give_totp(admin_user)
    return admin_user
