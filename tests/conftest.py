"""Shared fixtures. App-specific factories live in tests/<app>/factories.py."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with an empty cache (allauth keeps its rate limits there)."""
    cache.clear()
    yield
    cache.clear()
