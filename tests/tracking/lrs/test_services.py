"""The platform's own writer: statement_store without HTTP."""

import pytest
from django.db import transaction

from tests.tracking.lrs.factories import new_id, statement
from tracking.lrs.errors import XAPIConflict, XAPIValidationError
from tracking.lrs.models import Activity, Statement, StatementIndex
from tracking.lrs.services import platform_authority, statement_store

pytestmark = pytest.mark.django_db


def test_statement_store_returns_ids_and_sets_platform_authority():
    sid = new_id()
    ids = statement_store(statements=[statement(id=sid), statement()])
    assert ids[0] == sid and len(ids) == 2
    row = Statement.objects.get(statement_id=sid)
    assert row.data["authority"] == platform_authority()
    assert row.actor_ifi == "mbox:mailto:sam@example.org"
    assert row.verb_id == "http://adlnet.gov/expapi/verbs/completed"


def test_statement_store_rejects_invalid_batch_atomically():
    with pytest.raises(XAPIValidationError) as error:
        statement_store(statements=[statement(), statement(verb={"id": "nope"})])
    assert error.value.prop == "statements[1].verb.id"
    assert not Statement.objects.exists()


def test_statement_store_inside_outer_transaction_rolls_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        statement_store(statements=[statement()])
        raise RuntimeError("the learning event failed")
    assert not Statement.objects.exists()


def test_same_id_twice_in_a_batch_is_rejected():
    sid = new_id()
    with pytest.raises(XAPIValidationError):
        statement_store(statements=[statement(id=sid), statement(id=sid)])


def test_conflicting_resend_raises_conflict():
    sid = new_id()
    statement_store(statements=[statement(id=sid)])
    with pytest.raises(XAPIConflict):
        statement_store(statements=[statement(id=sid, result={"success": True})])


def test_index_rows_cover_actor_context_agents_and_activities():
    statement_store(
        statements=[
            statement(
                context={
                    "team": {"objectType": "Group", "member": [{"mbox": "mailto:m@example.org"}]},
                    "contextActivities": {"category": [{"id": "https://lscp.example.org/cat"}]},
                }
            )
        ]
    )
    values = set(StatementIndex.objects.values_list("value", flat=True))
    assert {
        "mbox:mailto:sam@example.org",
        "mbox:mailto:m@example.org",
        "https://lscp.example.org/cat",
        "https://lscp.example.org/courses/missing",
    } <= values


def test_activity_definition_becomes_canonical_and_merges():
    statement_store(statements=[statement()])
    later = statement()
    later["object"]["definition"] = {"description": {"en-GB": "Module one"}}
    statement_store(statements=[later])
    definition = Activity.objects.get().definition
    assert definition == {
        "name": {"en-GB": "Missing from home"},
        "description": {"en-GB": "Module one"},
    }


def test_statement_arriving_after_its_voiding_statement_is_voided():
    target = new_id()
    statement_store(
        statements=[
            statement(
                verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                object={"objectType": "StatementRef", "id": target},
            )
        ]
    )
    statement_store(statements=[statement(id=target)])
    assert Statement.objects.get(statement_id=target).voided
