"""Communication 2.1: the Statement resource (PUT, POST, GET, voiding, paging)."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.tracking.lrs.factories import new_id, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def test_post_single_statement_returns_its_generated_id(xapi):
    response = xapi.post("statements", body=statement())
    assert response.status_code == 200
    ids = response.json()
    assert len(ids) == 1
    fetched = xapi.get("statements", params={"statementId": ids[0]})
    assert fetched.status_code == 200
    body = fetched.json()
    assert body["id"] == ids[0]
    assert body["version"] == "1.0.0"
    assert body["stored"] and body["timestamp"] == body["stored"]
    assert body["authority"]["objectType"] == "Agent"


def test_put_stores_under_statement_id_and_identical_repeat_is_204(xapi):
    sid = new_id()
    assert xapi.put("statements", params={"statementId": sid}, body=statement()).status_code == 204
    again = xapi.put("statements", params={"statementId": sid}, body=statement())
    assert again.status_code == 204


def test_put_different_statement_under_existing_id_is_409(xapi):
    sid = new_id()
    xapi.put("statements", params={"statementId": sid}, body=statement())
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    assert xapi.put("statements", params={"statementId": sid}, body=other).status_code == 409


def test_put_without_statement_id_is_400(xapi):
    assert xapi.put("statements", body=statement()).status_code == 400


def test_batch_with_one_invalid_statement_stores_none(xapi):
    good = statement(id=new_id())
    bad = statement(actor={"mbox": "sam@example.org"})
    response = xapi.post("statements", body=[good, bad])
    assert response.status_code == 400
    assert response.json()["property"] == "statements[1].actor.mbox"
    assert xapi.get("statements", params={"statementId": good["id"]}).status_code == 404


def test_voided_statement_only_returned_by_voided_statement_id(xapi):
    target = new_id()
    xapi.put("statements", params={"statementId": target}, body=statement())
    voiding = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target})
    assert xapi.post("statements", body=voiding).status_code == 200
    assert xapi.get("statements", params={"statementId": target}).status_code == 404
    found = xapi.get("statements", params={"voidedStatementId": target})
    assert found.status_code == 200 and found.json()["id"] == target
    listed = [s["id"] for s in xapi.get("statements").json()["statements"]]
    assert target not in listed


def test_voiding_a_voiding_statement_is_rejected(xapi):
    target = new_id()
    xapi.put("statements", params={"statementId": target}, body=statement())
    voiding_id = new_id()
    voiding = statement(
        id=voiding_id, verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target}
    )
    xapi.post("statements", body=voiding)
    second = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voiding_id})
    response = xapi.post("statements", body=second)
    assert response.status_code == 400
    assert response.json()["property"] == "object.id"


def test_get_pages_with_more_links_in_stored_order(xapi):
    ids = xapi.post("statements", body=[statement() for _ in range(5)]).json()
    seen, url_params = [], {"limit": 2}
    response = xapi.get("statements", params=url_params)
    while True:
        body = response.json()
        seen += [s["id"] for s in body["statements"]]
        if not body["more"]:
            break
        path = body["more"].removeprefix("/xapi/")
        response = xapi.client.get(f"/xapi/{path}", headers=xapi.headers)
    assert sorted(seen) == sorted(ids)
    assert len(seen) == 5


def test_filters_agent_verb_activity_registration(xapi):
    registration = new_id()
    mine = statement(context={"registration": registration})
    other = statement(
        actor={"mbox": "mailto:other@example.org"},
        verb={"id": "http://adlnet.gov/expapi/verbs/attempted"},
        object={"id": "https://lscp.example.org/other"},
    )
    mine_id, other_id = xapi.post("statements", body=[mine, other]).json()
    agent = {"mbox": "mailto:sam@example.org"}
    for params in (
        {"agent": agent},
        {"verb": mine["verb"]["id"]},
        {"activity": mine["object"]["id"]},
        {"registration": registration},
    ):
        ids = [s["id"] for s in xapi.get("statements", params=params).json()["statements"]]
        assert ids == [mine_id], params


def test_related_activities_and_agents(xapi):
    with_context = statement(
        context={
            "instructor": {"mbox": "mailto:teacher@example.org"},
            "contextActivities": {"parent": {"id": "https://lscp.example.org/programme"}},
        }
    )
    (sid,) = xapi.post("statements", body=with_context).json()
    by_parent = xapi.get(
        "statements",
        params={"activity": "https://lscp.example.org/programme", "related_activities": "true"},
    )
    assert [s["id"] for s in by_parent.json()["statements"]] == [sid]
    without = xapi.get("statements", params={"activity": "https://lscp.example.org/programme"})
    assert without.json()["statements"] == []
    teacher = {"mbox": "mailto:teacher@example.org"}
    assert xapi.get("statements", params={"agent": teacher}).json()["statements"] == []
    related = xapi.get("statements", params={"agent": teacher, "related_agents": "true"})
    assert [s["id"] for s in related.json()["statements"]] == [sid]
    stored = xapi.get("statements", params={"statementId": sid}).json()
    assert isinstance(stored["context"]["contextActivities"]["parent"], list)


def test_unknown_query_parameter_is_400(xapi):
    response = xapi.get("statements", params={"colour": "blue"})
    assert response.status_code == 400
    assert response.json()["property"] == "colour"


def test_statement_id_with_other_filters_is_400(xapi):
    response = xapi.get("statements", params={"statementId": new_id(), "verb": "http://x.y/z"})
    assert response.status_code == 400


def test_format_ids_strips_names_and_definitions(xapi):
    (sid,) = xapi.post("statements", body=statement()).json()
    body = xapi.get("statements", params={"statementId": sid, "format": "ids"}).json()
    assert body["actor"] == {"objectType": "Agent", "mbox": "mailto:sam@example.org"}
    assert body["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert "definition" not in body["object"]


def test_consistent_through_and_last_modified_headers(xapi):
    (sid,) = xapi.post("statements", body=statement()).json()
    listing = xapi.get("statements")
    assert listing["X-Experience-API-Consistent-Through"]
    single = xapi.get("statements", params={"statementId": sid})
    assert single["Last-Modified"].endswith("GMT")


def test_consistent_through_is_sent_on_refused_statement_gets_too(xapi, client):
    # Communication 2.1.3: the header comes back on a GET "regardless of the code returned".
    no_version = client.get("/xapi/statements")
    bad_parameter = xapi.get("statements", params={"limit": "many"})
    unknown = xapi.get("statements", params={"statementId": new_id()})
    for response, status in ((no_version, 400), (bad_parameter, 400), (unknown, 404)):
        assert response.status_code == status
        assert response["X-Experience-API-Consistent-Through"].endswith("Z")
    posted = xapi.post("statements", body=statement())
    assert "X-Experience-API-Consistent-Through" not in posted


def test_statement_writes_need_no_csrf_token(xapi):
    # xAPI clients authenticate per request; Django's CSRF check must never apply here.
    strict = Client(enforce_csrf_checks=True)
    body = json.dumps(statement())
    posted = strict.post("/xapi/statements", body, "application/json", headers=xapi.headers)
    assert posted.status_code == 200
    url = f"/xapi/statements?statementId={new_id()}"
    put = strict.put(url, body, "application/json", headers=xapi.headers)
    assert put.status_code == 204
    state = "/xapi/activities/state?" + urlencode(
        {"activityId": "http://x.example.org/a", "agent": '{"mbox":"mailto:a@b.c"}', "stateId": "s"}
    )
    assert strict.put(state, "{}", "application/json", headers=xapi.headers).status_code == 204


def test_since_and_until_bound_stored(xapi):
    (sid,) = xapi.post("statements", body=statement()).json()
    stored = xapi.get("statements", params={"statementId": sid}).json()["stored"]
    assert xapi.get("statements", params={"since": stored}).json()["statements"] == []
    until = xapi.get("statements", params={"until": stored}).json()["statements"]
    assert [s["id"] for s in until] == [sid]


def test_ascending_orders_oldest_first(xapi):
    first = xapi.post("statements", body=statement()).json()[0]
    second = xapi.post("statements", body=statement()).json()[0]
    ascending = xapi.get("statements", params={"ascending": "true"}).json()["statements"]
    assert [s["id"] for s in ascending] == [first, second]
    descending = xapi.get("statements").json()["statements"]
    assert [s["id"] for s in descending] == [second, first]


def test_client_supplied_stored_and_authority_are_replaced(xapi, lrs_client):
    body = statement(stored="2001-01-01T00:00:00Z", authority={"mbox": "mailto:fake@example.org"})
    (sid,) = xapi.post("statements", body=body).json()
    fetched = xapi.get("statements", params={"statementId": sid}).json()
    assert fetched["stored"] != "2001-01-01T00:00:00Z"
    assert fetched["authority"]["account"]["name"] == lrs_client[0].key
    assert json.dumps(fetched)


def test_post_of_an_already_stored_identical_statement_is_204(xapi):
    sid = new_id()
    xapi.put("statements", params={"statementId": sid}, body=statement())
    assert xapi.post("statements", body=statement(id=sid)).status_code == 204


def test_post_of_a_different_statement_under_a_stored_id_is_409_and_keeps_the_original(xapi):
    sid = new_id()
    xapi.post("statements", body=statement(id=sid))
    changed = statement(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert xapi.post("statements", body=changed).status_code == 409
    fetched = xapi.get("statements", params={"statementId": sid}).json()
    assert fetched["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"


def test_canonical_format_picks_the_accept_language_match(xapi):
    verb = {
        "id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"en-US": "completed", "en-GB": "finished"},
    }
    (sid,) = xapi.post("statements", body=statement(verb=verb)).json()
    headers = {"Accept-Language": "en-GB"}
    canonical = xapi.get(
        "statements", params={"statementId": sid, "format": "canonical"}, headers=headers
    ).json()
    assert canonical["verb"]["display"] == {"en-GB": "finished"}
    exact = xapi.get("statements", params={"statementId": sid}, headers=headers).json()
    assert exact["verb"]["display"] == verb["display"]


def test_filters_also_return_statements_targeting_a_match_but_not_the_voided_one(xapi):
    verb = f"http://lscp.example.org/verbs/{new_id()}"
    voided_id, voiding_id, ref_id = new_id(), new_id(), new_id()
    xapi.post("statements", body=statement(id=voided_id, verb={"id": verb}))
    xapi.post(
        "statements",
        body=statement(
            id=voiding_id,
            verb={"id": VOIDED},
            object={"objectType": "StatementRef", "id": voided_id},
        ),
    )
    xapi.post(
        "statements",
        body=statement(
            id=ref_id, verb={"id": verb}, object={"objectType": "StatementRef", "id": voided_id}
        ),
    )
    found = [s["id"] for s in xapi.get("statements", params={"verb": verb}).json()["statements"]]
    assert found == [ref_id, voiding_id]
    limited = xapi.get("statements", params={"verb": verb, "limit": 1}).json()
    assert [s["id"] for s in limited["statements"]] == [ref_id] and limited["more"]


def test_format_ids_reduces_a_substatements_activity_like_a_top_level_one(xapi):
    # Communication 2.1.3: `ids` keeps only ids wherever an Activity or Verb appears, a
    # SubStatement's object and context activities included (XAPI-00171: a SubStatement's
    # Activity has no key but `id`); agents keep their identifier and objectType.
    activity = {
        "objectType": "Activity",
        "id": "https://lscp.example.org/courses/sub",
        "definition": {"name": {"en-GB": "Inside"}},
    }
    sub = {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "name": "Kim", "mbox": "mailto:kim@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-GB": "tried"}},
        "object": activity,
        "context": {"contextActivities": {"parent": [activity]}},
    }
    (sid,) = xapi.post("statements", body=statement(object=sub)).json()
    (top_id,) = xapi.post("statements", body=statement(object=activity)).json()
    body = xapi.get("statements", params={"statementId": sid, "format": "ids"}).json()
    top = xapi.get("statements", params={"statementId": top_id, "format": "ids"}).json()
    reduced = {"id": "https://lscp.example.org/courses/sub"}
    assert body["object"]["object"] == top["object"] == reduced
    assert body["object"]["actor"] == {"objectType": "Agent", "mbox": "mailto:kim@example.org"}
    assert body["object"]["verb"] == {"id": "http://adlnet.gov/expapi/verbs/attempted"}
    assert body["object"]["context"]["contextActivities"]["parent"] == [reduced]
    listed = xapi.get("statements", params={"format": "ids", "limit": 2}).json()["statements"]
    assert {json.dumps(s["object"].get("object", s["object"])) for s in listed} == {
        json.dumps(reduced)
    }
