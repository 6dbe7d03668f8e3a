"""Communication 2.1.3 agent filters over the one-row-per-agent index (issue 6).

An actor is indexed once (as AGENT) and a client's authority not at all: `related_agents`
must still find statements by actor, object agent, instructor, team member and authority.
"""

import pytest
from django.db import connection

from tests.tracking.lrs.conftest import XAPIClient
from tests.tracking.lrs.factories import statement
from tracking.lrs.agents import agent_ifi
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import IndexKind, Statement, StatementIndex
from tracking.lrs.services import client_authority, platform_authority, statement_store

pytestmark = pytest.mark.django_db

SAM = {"mbox": "mailto:sam@example.org"}
TEACHER = {"mbox": "mailto:teacher@example.org"}
PARENT = "https://lscp.example.org/programme"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def _ids(response) -> list[str]:
    return [s["id"] for s in response.json()["statements"]]


def _all_pages(xapi, params: dict) -> list[str]:
    seen, response = [], xapi.get("statements", params=params)
    while True:
        body = response.json()
        seen += [s["id"] for s in body["statements"]]
        if not body["more"]:
            return seen
        response = xapi.client.get(body["more"], headers=xapi.headers)


def _with_teacher(**overrides) -> dict:
    return statement(
        context={"instructor": TEACHER, "contextActivities": {"parent": {"id": PARENT}}},
        **overrides,
    )


def test_a_client_statement_has_one_index_row_per_agent_and_none_for_its_authority(xapi):
    (sid,) = xapi.post("statements", body=_with_teacher()).json()
    rows = set(
        StatementIndex.objects.filter(statement__statement_id=sid).values_list("kind", "value")
    )
    assert rows == {
        (IndexKind.AGENT, "mbox:mailto:sam@example.org"),
        (IndexKind.RELATED_AGENT, "mbox:mailto:teacher@example.org"),
        (IndexKind.RELATED_ACTIVITY, "https://lscp.example.org/courses/missing"),
        (IndexKind.RELATED_ACTIVITY, PARENT),
    }


def test_platform_statements_keep_an_index_row_for_the_platform_authority():
    (sid,) = statement_store(statements=[statement()])
    values = StatementIndex.objects.filter(
        statement__statement_id=sid, kind=IndexKind.RELATED_AGENT
    )
    assert list(values.values_list("value", flat=True)) == [agent_ifi(platform_authority())]


def test_related_agents_finds_actor_instructor_and_object_agent(xapi):
    as_actor = xapi.post("statements", body=statement(actor=TEACHER)).json()[0]
    as_instructor = xapi.post("statements", body=_with_teacher()).json()[0]
    as_object = xapi.post(
        "statements", body=statement(object={"objectType": "Agent", **TEACHER})
    ).json()[0]
    xapi.post("statements", body=statement())  # Sam alone: no teacher anywhere
    related = _ids(xapi.get("statements", params={"agent": TEACHER, "related_agents": "true"}))
    assert related == [as_object, as_instructor, as_actor]
    direct = _ids(xapi.get("statements", params={"agent": TEACHER}))
    assert direct == [as_object, as_actor]


def test_related_agents_finds_the_clients_authority_on_its_statements_only(xapi, client):
    mine = xapi.post("statements", body=[statement(), _with_teacher()]).json()
    other, secret = lrs_client_create(name="Other system", can_read_all=True)
    XAPIClient(client, other.key, secret).post("statements", body=statement())
    statement_store(statements=[statement()])
    writer = Statement.objects.get(statement_id=mine[0]).client
    authority = {"account": client_authority(writer)["account"]}
    related = _ids(xapi.get("statements", params={"agent": authority, "related_agents": "true"}))
    assert sorted(related) == sorted(mine)
    assert _ids(xapi.get("statements", params={"agent": authority})) == []
    with_verb = xapi.get(
        "statements",
        params={
            "agent": authority,
            "related_agents": "true",
            "activity": PARENT,
            "related_activities": "true",
            "verb": COMPLETED,
        },
    )
    assert _ids(with_verb) == [mine[1]]


def test_authority_also_named_as_instructor_is_returned_once(xapi, lrs_client):
    authority = client_authority(lrs_client[0])
    (sid,) = xapi.post("statements", body=statement(context={"instructor": authority})).json()
    params = {"agent": {"account": authority["account"]}, "related_agents": "true"}
    assert _ids(xapi.get("statements", params=params)) == [sid]


def test_related_agents_pages_across_actor_instructor_and_authority_matches(xapi, lrs_client):
    authority = {"account": client_authority(lrs_client[0])["account"]}
    posted = []
    for body in (statement(actor=TEACHER), _with_teacher(), statement(), _with_teacher()):
        posted += xapi.post("statements", body=body).json()
    teacher = _all_pages(xapi, {"agent": TEACHER, "related_agents": "true", "limit": 1})
    assert teacher == [posted[3], posted[1], posted[0]]
    everything = _all_pages(xapi, {"agent": authority, "related_agents": "true", "limit": 2})
    assert everything == posted[::-1]
    ascending = _all_pages(
        xapi, {"agent": TEACHER, "related_agents": "true", "limit": 1, "ascending": "true"}
    )
    assert ascending == [posted[0], posted[1], posted[3]]


def test_read_own_client_sees_only_its_statements_through_related_agents(xapi, client):
    xapi.post("statements", body=_with_teacher())
    reader, secret = lrs_client_create(name="Reader", can_read_all=False)
    own = XAPIClient(client, reader.key, secret)
    (mine,) = own.post("statements", body=_with_teacher()).json()
    response = own.get("statements", params={"agent": TEACHER, "related_agents": "true"})
    assert _ids(response) == [mine]


def test_voided_statements_are_left_out_of_every_related_agents_branch(xapi, lrs_client):
    authority = {"account": client_authority(lrs_client[0])["account"]}
    kept, voided = xapi.post("statements", body=[_with_teacher(), _with_teacher()]).json()
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": voided},
    )
    (voiding_id,) = xapi.post("statements", body=voiding).json()
    teacher = _ids(xapi.get("statements", params={"agent": TEACHER, "related_agents": "true"}))
    assert teacher == [voiding_id, kept]  # the voiding statement targets a match (2.1.3)
    by_authority = xapi.get("statements", params={"agent": authority, "related_agents": "true"})
    assert _ids(by_authority) == [voiding_id, kept]


class _Executor:
    """The migration's schema editor, reduced to what its functions use."""

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_migration_drops_repeated_and_authority_rows_and_its_reverse_restores_them(xapi):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tracking.migrations.0008_lrs_index_one_row_per_agent")
    (sid,) = xapi.post("statements", body=_with_teacher()).json()
    row = Statement.objects.get(statement_id=sid)
    rows = StatementIndex.objects.filter(statement=row)
    before = set(rows.values_list("kind", "value"))
    migration.backward(apps, _Executor())
    restored = set(rows.values_list("kind", "value"))
    assert restored - before == {
        (IndexKind.RELATED_AGENT, "mbox:mailto:sam@example.org"),
        (IndexKind.RELATED_AGENT, agent_ifi(client_authority(row.client))),
    }
    migration.forward(apps, _Executor())
    assert set(rows.values_list("kind", "value")) == before


def test_values_with_tabs_newlines_and_backslashes_are_stored_and_found_as_sent(xapi):
    odd = {"account": {"homePage": "https://lscp.example.org", "name": "a\tb\\n\nc\r\\"}}
    extension = {"https://lscp.example.org/x": "tab\there \\ back\\slash\nnew line"}
    body = statement(actor=odd, result={"extensions": extension})
    (sid,) = xapi.post("statements", body=body).json()
    found = xapi.get("statements", params={"agent": odd}).json()["statements"]
    assert [s["id"] for s in found] == [sid]
    assert found[0]["actor"]["account"] == odd["account"]
    assert found[0]["result"]["extensions"] == extension
