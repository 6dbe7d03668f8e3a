from unittest import mock

import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_health_reports_each_dependency_as_json(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "eager",
    }


@pytest.mark.django_db
def test_health_returns_503_when_the_database_is_down(client):
    with mock.patch("config.health.connection") as connection:
        connection.cursor.side_effect = DatabaseError("connection refused")
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
