"""xAPI 2.0.0 (IEEE 9274.1.1-2023) beside 1.0.3: the version header, About, context agents
and groups, timestamps, statement versions, documents' concurrency, durations, and
statements stored under one version read under the other."""

import json

import pytest

from tests.tracking.lrs.factories import new_id, statement

pytestmark = pytest.mark.django_db

V2 = {"X-Experience-API-Version": "2.0.0"}
AGENT = {"objectType": "Agent", "mbox": "mailto:lead@example.org"}
GROUP = {"objectType": "Group", "name": "Panel", "member": [AGENT]}
CONTEXT_AGENT = {
    "objectType": "contextAgent",
    "agent": AGENT,
    "relevantTypes": ["https://lscp.example.org/roles/chair"],
}
CONTEXT_GROUP = {"objectType": "contextGroup", "group": GROUP}


def post2(xapi, body):
    return xapi.post("statements", body=body, headers=V2)


# Communication 3.3 / 4.1.3: the version header


def test_a_2_0_0_request_is_accepted_and_answered_as_2_0_0(xapi):
    response = xapi.get("statements", headers=V2)
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "2.0.0"
    assert xapi.get("statements")["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("header", ["2.1.0", "3.0.0", "2", "1.1.0"])
def test_an_unsupported_version_is_400(xapi, header):
    response = xapi.get("statements", headers={"X-Experience-API-Version": header})
    assert response.status_code == 400
    assert response.json()["property"] == "X-Experience-API-Version"


def test_about_lists_2_0_0_and_1_0_3(client):
    versions = client.get("/xapi/about").json()["version"]
    assert versions[:2] == ["2.0.0", "1.0.3"]
    assert client.get("/xapi/about", headers=V2).json()["version"][:2] == ["2.0.0", "1.0.3"]
    # A 1.0.x client is told the versions it can speak (tincan's About refuses "2.0.0").
    as_1 = client.get("/xapi/about", headers={"X-Experience-API-Version": "1.0.3"}).json()
    assert as_1["version"] == ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]


def test_the_alternate_request_syntax_is_refused_under_2_0(xapi):
    from urllib.parse import urlencode

    form = urlencode(
        {"statementId": new_id(), "content": json.dumps(statement()), **xapi.headers, **V2}
    )
    response = xapi.client.post(
        "/xapi/statements?method=PUT", data=form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json()["property"] == "method"


# Data 2.4.6: context agents and groups


def test_context_agents_and_groups_are_stored_under_2_0(xapi):
    context = {"contextAgents": [CONTEXT_AGENT], "contextGroups": [CONTEXT_GROUP]}
    response = post2(xapi, statement(context=context))
    assert response.status_code == 200
    (sid,) = response.json()
    stored = xapi.get("statements", params={"statementId": sid}, headers=V2).json()
    assert stored["context"]["contextAgents"] == [CONTEXT_AGENT]
    assert stored["version"] == "2.0.0"


def test_context_agents_are_found_by_related_agents(xapi):
    (sid,) = post2(xapi, statement(context={"contextAgents": [CONTEXT_AGENT]})).json()
    found = xapi.get(
        "statements", params={"agent": AGENT, "related_agents": "true"}, headers=V2
    ).json()["statements"]
    assert [s["id"] for s in found] == [sid]


@pytest.mark.parametrize(
    ("context", "prop"),
    [
        ({"contextAgents": CONTEXT_AGENT}, "contextAgents"),
        (
            {"contextAgents": [{**CONTEXT_AGENT, "objectType": "Agent"}]},
            "contextAgents[0].objectType",
        ),
        ({"contextAgents": [{"agent": AGENT}]}, "contextAgents[0].objectType"),
        ({"contextAgents": [{**CONTEXT_AGENT, "agent": {"name": "x"}}]}, "contextAgents[0].agent"),
        (
            {"contextAgents": [{**CONTEXT_AGENT, "relevantTypes": []}]},
            "contextAgents[0].relevantTypes",
        ),
        (
            {"contextAgents": [{**CONTEXT_AGENT, "relevantTypes": ["not an iri"]}]},
            "contextAgents[0].relevantTypes[0]",
        ),
        (
            {"contextGroups": [{**CONTEXT_GROUP, "group": AGENT}]},
            "contextGroups[0].group.objectType",
        ),
        (
            {"contextGroups": [{**CONTEXT_GROUP, "objectType": "Group"}]},
            "contextGroups[0].objectType",
        ),
    ],
)
def test_malformed_context_agents_and_groups_are_400(xapi, context, prop):
    response = post2(xapi, statement(context=context))
    assert response.status_code == 400
    assert response.json()["property"] == f"statement.context.{prop}"


def test_context_agents_are_refused_under_1_0_3(xapi):
    # 1.0.3 Data 2.2: properties the version does not define are refused.
    response = xapi.post("statements", body=statement(context={"contextAgents": [CONTEXT_AGENT]}))
    assert response.status_code == 400
    assert response.json()["property"] == "statement.context.contextAgents"


def test_a_substatements_context_agents_are_checked_too(xapi):
    sub = {
        "objectType": "SubStatement",
        "actor": AGENT,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
        "object": {"id": "https://lscp.example.org/a"},
        "context": {"contextAgents": [{**CONTEXT_AGENT, "relevantTypes": []}]},
    }
    response = post2(xapi, statement(object=sub))
    assert response.status_code == 400
    assert response.json()["property"] == "statement.object.context.contextAgents[0].relevantTypes"


# Data 4.5: timestamps


@pytest.mark.parametrize(
    "timestamp", ["20130518T053234Z", "2013-05-18T05:32Z", "2013-05-18T05:32:34", "2013-05-18"]
)
def test_timestamps_that_are_not_rfc_3339_are_400_under_2_0_only(xapi, timestamp):
    response = post2(xapi, statement(timestamp=timestamp))
    assert response.status_code == 400
    assert response.json()["property"] == "statement.timestamp"
    if timestamp != "2013-05-18":
        assert xapi.post("statements", body=statement(timestamp=timestamp)).status_code == 200


@pytest.mark.parametrize("timestamp", ["2013-05-18T05:32:34.804+01:00", "2013-05-18T05:32:34Z"])
def test_rfc_3339_timestamps_are_accepted_under_2_0(xapi, timestamp):
    assert post2(xapi, statement(timestamp=timestamp)).status_code == 200


def test_negative_zero_offsets_are_refused_under_both_versions(xapi):
    body = statement(timestamp="2013-05-18T05:32:34-00:00")
    assert post2(xapi, body).status_code == 400
    assert xapi.post("statements", body=body).status_code == 400


# Data 2.4.10: the statement's version


def test_statement_version_rules_per_request_version(xapi):
    assert post2(xapi, statement(version="2.0.0")).status_code == 200
    assert post2(xapi, statement(version="1.0.3")).status_code == 200
    assert post2(xapi, statement(version="3.0.0")).status_code == 400
    assert xapi.post("statements", body=statement(version="2.0.0")).status_code == 400


def test_statements_read_under_the_other_version_keep_the_version_they_were_stored_with(xapi):
    # Data 2.4.10 (both versions): "Statements returned by an LRS [...] retain the version
    # they are accepted with"; the LRS converts nothing (Communication 3.3, XAPI-00330).
    (old,) = xapi.post("statements", body=statement()).json()
    (new,) = post2(xapi, statement(context={"contextGroups": [CONTEXT_GROUP]})).json()
    as_2 = xapi.get("statements", params={"statementId": old}, headers=V2).json()
    as_1 = xapi.get("statements", params={"statementId": new}).json()
    assert as_2["version"] == "1.0.0"
    assert as_1["version"] == "2.0.0"
    assert as_1["context"]["contextGroups"] == [CONTEXT_GROUP]


# 4.1.4 Concurrency: the State resource under 2.0


STATE = {"activityId": "https://lscp.example.org/a", "agent": AGENT, "stateId": "bookmark"}


def test_state_put_without_precondition_over_an_existing_document_is_409_under_2_0(xapi):
    assert xapi.put("activities/state", params=STATE, body={"a": 1}, headers=V2).status_code == 204
    response = xapi.put("activities/state", params=STATE, body={"a": 2}, headers=V2)
    assert response.status_code == 409 and response.json()["error"]
    assert xapi.get("activities/state", params=STATE, headers=V2).json() == {"a": 1}
    # 1.0.3 exempts the State resource.
    assert xapi.put("activities/state", params=STATE, body={"a": 3}).status_code == 204


def test_documents_carry_etag_and_last_modified_under_2_0(xapi):
    xapi.put("activities/state", params=STATE, body={"a": 1}, headers=V2)
    response = xapi.get("activities/state", params=STATE, headers=V2)
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    etag = response["ETag"]
    stale = xapi.put(
        "activities/state", params=STATE, body={"a": 2}, headers={**V2, "If-Match": '"0"'}
    )
    assert stale.status_code == 412
    fresh = xapi.put(
        "activities/state", params=STATE, body={"a": 2}, headers={**V2, "If-Match": etag}
    )
    assert fresh.status_code == 204


# Data 4.6: durations compared to hundredths of a second


def test_a_resent_statement_differing_only_beyond_hundredths_of_a_second_is_the_same(xapi):
    sid = new_id()
    first = statement(id=sid, result={"duration": "PT1.2345S"})
    again = statement(id=sid, result={"duration": "PT1.23S"})
    assert post2(xapi, first).status_code == 200
    assert post2(xapi, again).status_code == 204
    assert post2(xapi, statement(id=sid, result={"duration": "PT1.24S"})).status_code == 409
