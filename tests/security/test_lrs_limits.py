"""LRS limits (issue 15): one POST of 23,762 statements took 17.6 s, and no client was ever
slowed down; a batch cap answers 413 and a per-client rate limit 429 with Retry-After."""

import pytest

from tests.tracking.lrs.conftest import XAPIClient
from tests.tracking.lrs.factories import statement
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_xapi(client):
    def make(name="Police LMS"):
        lrs_client, secret = lrs_client_create(name=name, can_read_all=True)
        return XAPIClient(client, lrs_client.key, secret)

    return make


def test_a_batch_over_the_cap_is_413_and_stores_nothing(make_xapi, settings):
    settings.LRS_MAX_BATCH = 5
    xapi = make_xapi()
    response = xapi.post("statements", body=[statement() for _ in range(6)])
    assert response.status_code == 413
    assert "at most 5" in response.json()["error"]
    assert Statement.objects.count() == 0
    assert xapi.post("statements", body=[statement() for _ in range(5)]).status_code == 200


def test_the_cap_is_on_by_default():
    from django.conf import settings

    assert 0 < settings.LRS_MAX_BATCH <= 5000


def test_a_client_over_its_rate_is_429_with_retry_after_and_others_are_not(make_xapi, settings):
    settings.LRS_RATE_LIMIT_PER_MINUTE = 3
    police, health = make_xapi("Police LMS"), make_xapi("Health LMS")
    assert [police.get("statements").status_code for _ in range(3)] == [200, 200, 200]
    refused = police.post("statements", body=statement())
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "retry after" in refused.json()["error"]
    assert refused["X-Experience-API-Version"] == "1.0.3"
    assert Statement.objects.count() == 0
    assert health.get("statements").status_code == 200


def test_the_rate_limit_is_on_by_default():
    from django.conf import settings

    assert settings.LRS_RATE_LIMIT_PER_MINUTE > 0
