"""LRS boundaries, voiding (issue 15): a client with write scope could void the platform's
statements, and could void an id before it existed so that another client's later statement
arrived voided; reconciliation then skipped those completions."""

import pytest

from tests.tracking.lrs.conftest import XAPIClient
from tests.tracking.lrs.factories import new_id, statement
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import Statement
from tracking.lrs.services import statement_store

pytestmark = pytest.mark.django_db
VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-GB": "voided"}}


def voiding(target: str) -> dict:
    return statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target})


@pytest.fixture
def systems(client):
    def make(name):
        lrs_client, secret = lrs_client_create(name=name, can_read_all=True)
        xapi = XAPIClient(client, lrs_client.key, secret)
        xapi.lrs_client = lrs_client
        return xapi

    return make("Police LMS"), make("Health LMS")


def test_a_client_cannot_void_the_platforms_statements(systems):
    police, _health = systems
    (platform_id,) = statement_store(statements=[statement()])
    response = police.post("statements", body=voiding(platform_id))
    assert response.status_code == 403
    assert response.json()["property"] == "object.id"
    assert not Statement.objects.get(statement_id=platform_id).voided
    assert Statement.objects.count() == 1  # the voiding statement was not stored


def test_a_client_cannot_void_another_clients_statements(systems):
    police, health = systems
    (theirs,) = health.post("statements", body=statement()).json()
    assert police.post("statements", body=voiding(theirs)).status_code == 403
    assert not Statement.objects.get(statement_id=theirs).voided


def test_a_client_cannot_void_another_systems_statement_ahead_of_time(systems):
    police, health = systems
    future = new_id()
    # Accepted, as xAPI 2.0 requires (4.2.4.1: the LRS shall not reject a voiding statement
    # because it cannot find its target), but it voids nothing of another system's.
    (voiding_id,) = police.post("statements", body=voiding(future)).json()
    assert Statement.objects.filter(statement_id=voiding_id).exists()
    assert (
        health.put("statements", params={"statementId": future}, body=statement()).status_code
        == 204
    )
    assert not Statement.objects.get(statement_id=future).voided
    assert health.get("statements", params={"statementId": future}).status_code == 200
    assert health.get("statements", params={"voidedStatementId": future}).status_code == 404


def test_an_early_voiding_still_applies_to_the_same_clients_later_statement(systems):
    police, _health = systems
    future = new_id()
    police.post("statements", body=voiding(future))
    police.put("statements", params={"statementId": future}, body=statement())
    assert Statement.objects.get(statement_id=future).voided


def test_an_old_early_voiding_by_another_client_does_not_void_a_later_statement(systems):
    # Voidings stored ahead of time before this rule may still be in the database.
    police, health = systems
    future = new_id()
    (early,) = statement_store(statements=[voiding(future)])
    Statement.objects.filter(statement_id=early).update(client=police.lrs_client)
    health.put("statements", params={"statementId": future}, body=statement())
    assert not Statement.objects.get(statement_id=future).voided


def test_a_client_still_voids_its_own_statements_and_the_platform_any(systems):
    police, health = systems
    (mine,) = police.post("statements", body=statement()).json()
    assert police.post("statements", body=voiding(mine)).status_code == 200
    assert Statement.objects.get(statement_id=mine).voided
    (theirs,) = health.post("statements", body=statement()).json()
    statement_store(statements=[voiding(theirs)])
    assert Statement.objects.get(statement_id=theirs).voided
    # A batch may store a statement and void it.
    sid = new_id()
    batch = [statement(id=sid), voiding(sid)]
    assert police.post("statements", body=batch).status_code == 200
    assert Statement.objects.get(statement_id=sid).voided
