"""Communication 2.2 to 2.7 and 3.1: documents, merge on POST, ETags and concurrency."""

import json

import pytest

pytestmark = pytest.mark.django_db

ACTIVITY = "https://lscp.example.org/courses/missing"
AGENT = {"objectType": "Agent", "mbox": "mailto:sam@example.org"}
STATE = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
ACTIVITY_PROFILE = {"activityId": ACTIVITY, "profileId": "settings"}
AGENT_PROFILE = {"agent": AGENT, "profileId": "preferences"}


def test_state_put_get_delete_round_trip_with_etag(xapi):
    assert xapi.put("activities/state", params=STATE, body={"page": 3}).status_code == 204
    got = xapi.get("activities/state", params=STATE)
    assert got.status_code == 200 and got.json() == {"page": 3}
    assert len(got["ETag"].strip('"')) == 40 and got["ETag"].startswith('"')
    assert got["Last-Modified"].endswith("GMT")
    assert xapi.delete("activities/state", params=STATE).status_code == 204
    assert xapi.get("activities/state", params=STATE).status_code == 404


def test_state_registration_separates_documents(xapi):
    registration = "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"
    xapi.put("activities/state", params=STATE, body={"r": "none"})
    xapi.put("activities/state", params={**STATE, "registration": registration}, body={"r": "one"})
    assert xapi.get("activities/state", params=STATE).json() == {"r": "none"}
    with_registration = xapi.get("activities/state", params={**STATE, "registration": registration})
    assert with_registration.json() == {"r": "one"}


def test_state_list_ids_and_since(xapi):
    for state_id in ("a", "b"):
        xapi.put("activities/state", params={**STATE, "stateId": state_id}, body={"x": 1})
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    assert xapi.get("activities/state", params=scope).json() == ["a", "b"]
    later = xapi.get("activities/state", params={**scope, "since": "2999-01-01T00:00:00Z"})
    assert later.json() == []


def test_state_delete_without_state_id_clears_the_scope(xapi):
    for state_id in ("a", "b"):
        xapi.put("activities/state", params={**STATE, "stateId": state_id}, body={"x": 1})
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    assert xapi.delete("activities/state", params=scope).status_code == 204
    assert xapi.get("activities/state", params=scope).json() == []


def test_post_merges_top_level_json_properties(xapi):
    xapi.post("activities/profile", params=ACTIVITY_PROFILE, body={"a": 1, "b": {"x": 1}})
    xapi.post("activities/profile", params=ACTIVITY_PROFILE, body={"b": {"y": 2}, "c": 3})
    merged = xapi.get("activities/profile", params=ACTIVITY_PROFILE).json()
    assert merged == {"a": 1, "b": {"y": 2}, "c": 3}


def test_post_merge_with_non_json_document_is_400(xapi):
    xapi.put("agents/profile", params=AGENT_PROFILE, body=b"plain", content_type="text/plain")
    response = xapi.post(
        "agents/profile", params=AGENT_PROFILE, body={"a": 1}, headers={"If-Match": "*"}
    )
    assert response.status_code == 400
    assert xapi.get("agents/profile", params=AGENT_PROFILE).content == b"plain"


def test_profile_put_over_existing_without_precondition_is_409(xapi):
    xapi.put("activities/profile", params=ACTIVITY_PROFILE, body={"v": 1})
    response = xapi.put("activities/profile", params=ACTIVITY_PROFILE, body={"v": 2})
    assert response.status_code == 409
    assert response.json()["error"]
    assert xapi.get("activities/profile", params=ACTIVITY_PROFILE).json() == {"v": 1}


def test_if_match_with_current_etag_overwrites_and_stale_etag_is_412(xapi):
    xapi.put("agents/profile", params=AGENT_PROFILE, body={"v": 1})
    etag = xapi.get("agents/profile", params=AGENT_PROFILE)["ETag"]
    ok = xapi.put("agents/profile", params=AGENT_PROFILE, body={"v": 2}, headers={"If-Match": etag})
    assert ok.status_code == 204
    stale = xapi.put(
        "agents/profile", params=AGENT_PROFILE, body={"v": 3}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert xapi.get("agents/profile", params=AGENT_PROFILE).json() == {"v": 2}


def test_if_none_match_star_creates_only(xapi):
    headers = {"If-None-Match": "*"}
    first = xapi.put("activities/profile", params=ACTIVITY_PROFILE, body={"v": 1}, headers=headers)
    assert first.status_code == 204
    second = xapi.put("activities/profile", params=ACTIVITY_PROFILE, body={"v": 2}, headers=headers)
    assert second.status_code == 412


def test_state_put_without_precondition_overwrites(xapi):
    xapi.put("activities/state", params=STATE, body={"v": 1})
    assert xapi.put("activities/state", params=STATE, body={"v": 2}).status_code == 204
    assert xapi.get("activities/state", params=STATE).json() == {"v": 2}


def test_missing_or_bad_parameters_are_400(xapi):
    assert xapi.get("activities/state", params={"activityId": ACTIVITY}).status_code == 400
    bad_agent = xapi.get(
        "activities/state", params={"activityId": ACTIVITY, "agent": {"name": "nobody"}}
    )
    assert bad_agent.status_code == 400 and bad_agent.json()["property"] == "agent"
    assert xapi.get("activities/profile", params={"activityId": "not an iri"}).status_code == 400
    extra = xapi.get("agents/profile", params={**AGENT_PROFILE, "colour": "blue"})
    assert extra.status_code == 400
    assert xapi.put("agents/profile", params={"agent": AGENT}, body={}).status_code == 400


def test_activities_returns_canonical_definition_from_statements(xapi):
    definition = {"name": {"en-GB": "Missing from home"}}
    xapi.post(
        "statements",
        body={
            "actor": AGENT,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": ACTIVITY, "definition": definition},
        },
    )
    body = xapi.get("activities", params={"activityId": ACTIVITY}).json()
    assert body == {"objectType": "Activity", "id": ACTIVITY, "definition": definition}


def test_activities_merges_language_maps_from_every_statement(xapi):
    # Communication 2.5 (XAPI-00254): the Activity holds all available information, so two
    # statements naming it in different languages, in one batch or two, keep both names.
    def about(names: dict, **more) -> dict:
        return {
            "actor": AGENT,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": ACTIVITY, "definition": {"name": names, **more}},
        }

    first = about({"en-GB": "Missing", "en-US": "Missing"})
    second = about({"en-GB": "Missing!", "fr-FR": "Disparu"})
    xapi.post("statements", body=[first, second])
    xapi.post("statements", body=about({"cy": "Ar goll"}, type="http://x.example.org/t"))
    definition = xapi.get("activities", params={"activityId": ACTIVITY}).json()["definition"]
    names = {"en-GB": "Missing!", "en-US": "Missing", "fr-FR": "Disparu", "cy": "Ar goll"}
    assert definition == {"name": names, "type": "http://x.example.org/t"}


def test_agents_returns_person_object(xapi):
    body = xapi.get("agents", params={"agent": {**AGENT, "name": "Sam"}}).json()
    assert body == {"objectType": "Person", "name": ["Sam"], "mbox": [AGENT["mbox"]]}
    assert xapi.get("agents").status_code == 400


def test_binary_documents_keep_their_content_type(xapi):
    blob = bytes(range(256))
    xapi.put("activities/state", params=STATE, body=blob, content_type="application/octet-stream")
    got = xapi.get("activities/state", params=STATE)
    assert got.content == blob and got["Content-Type"] == "application/octet-stream"
    assert json.dumps(len(blob))


@pytest.mark.parametrize("body", ["1", "true", "{}"])
def test_post_of_a_new_document_is_stored_whatever_its_content(xapi, body):
    response = xapi.post("activities/state", params=STATE, body=body)
    assert response.status_code == 204
    assert xapi.get("activities/state", params=STATE).content == body.encode()


def test_post_merge_replaces_nested_objects_whole(xapi):
    first = {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"}
    xapi.post("activities/state", params=STATE, body=first)
    xapi.post("activities/state", params=STATE, body={"car": {"make": "Dodge"}})
    assert xapi.get("activities/state", params=STATE).json() == {
        "car": {"make": "Dodge"},
        "driver": "Dale",
    }


# Documents are partitioned by LRS client (issue 6): another client, even one with the
# read-all statements scope, never sees, changes or deletes them.

RESOURCES = [
    ("activities/state", STATE, "stateId"),
    ("activities/profile", ACTIVITY_PROFILE, "profileId"),
    ("agents/profile", AGENT_PROFILE, "profileId"),
]


@pytest.fixture
def other_xapi(client, db):
    from tracking.lrs.clients import lrs_client_create

    from .conftest import XAPIClient

    other, secret = lrs_client_create(name="Other system", can_read_all=True)
    return XAPIClient(client, other.key, secret)


def _scope_of(params: dict, id_param: str) -> dict:
    return {k: v for k, v in params.items() if k != id_param}


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
def test_another_client_cannot_get_or_list_a_clients_documents(
    xapi, other_xapi, path, params, id_param
):
    assert xapi.put(path, params=params, body={"mine": True}).status_code == 204
    assert other_xapi.get(path, params=params).status_code == 404
    assert other_xapi.get(path, params=_scope_of(params, id_param)).json() == []
    assert xapi.get(path, params=_scope_of(params, id_param)).json() == [params[id_param]]


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
def test_another_clients_put_and_post_write_only_its_own_document(
    xapi, other_xapi, path, params, id_param
):
    xapi.put(path, params=params, body={"owner": "a", "a": 1})
    etag = xapi.get(path, params=params)["ETag"]
    # With the owner's ETag the other client's If-Match fails: it has no such document.
    stale = other_xapi.put(path, params=params, body={"owner": "b"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    # Without preconditions it creates its own document rather than overwriting (no 409).
    assert other_xapi.put(path, params=params, body={"owner": "b"}).status_code == 204
    assert other_xapi.post(path, params=params, body={"b": 2}).status_code == 204
    assert xapi.get(path, params=params).json() == {"owner": "a", "a": 1}
    assert xapi.get(path, params=params)["ETag"] == etag
    assert other_xapi.get(path, params=params).json() == {"owner": "b", "b": 2}


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
def test_another_clients_delete_leaves_a_clients_documents(
    xapi, other_xapi, path, params, id_param
):
    xapi.put(path, params=params, body={"v": 1})
    assert other_xapi.delete(path, params=params).status_code == 204
    assert other_xapi.delete(path, params=params, headers={"If-Match": "*"}).status_code == 412
    if path == "activities/state":
        scope = _scope_of(params, id_param)
        assert other_xapi.delete(path, params=scope).status_code == 204
    assert xapi.get(path, params=params).json() == {"v": 1}


def test_documents_stored_before_partitioning_are_served_to_no_client(xapi, lrs_client):
    from datetime import UTC, datetime

    from tracking.lrs.agents import agent_ifi
    from tracking.lrs.models import Document, DocumentKind

    Document.objects.create(
        client=None,
        kind=DocumentKind.STATE,
        activity_id=ACTIVITY,
        agent_ifi=agent_ifi(AGENT),
        document_id="bookmark",
        content=b'{"legacy": true}',
        content_type="application/json",
        etag="0" * 40,
        updated=datetime.now(UTC),
    )
    assert xapi.get("activities/state", params=STATE).status_code == 404
    assert xapi.put("activities/state", params=STATE, body={"v": 1}).status_code == 204
    assert Document.objects.filter(client=None).count() == 1
    assert xapi.get("activities/state", params=STATE).json() == {"v": 1}
    assert Document.objects.get(client=None).content == b'{"legacy": true}'
    assert Document.objects.get(client=lrs_client[0]).document_id == "bookmark"


@pytest.mark.parametrize(
    ("resource", "params"),
    [
        ("activities/profile", {"activityId": "http://x.org/a", "profileId": "p"}),
        ("agents/profile", {"agent": {"mbox": "mailto:a@example.org"}, "profileId": "p"}),
        ("activities/state", STATE),
    ],
    ids=["activity-profile", "agent-profile", "state"],
)
def test_post_of_invalid_json_declared_as_json_is_400_and_stores_nothing(xapi, resource, params):
    # Communication 2.2 / 2.7 (XAPI-00314): a POST with Content-Type application/json
    # whose body is not JSON is refused, whether or not the document exists yet.
    response = xapi.post(resource, params=params, body='{"a": 1}[')
    assert response.status_code == 400
    assert xapi.get(resource, params=params).status_code == 404
    xapi.post(resource, params=params, body={"a": 1})
    assert xapi.post(resource, params=params, body='{"b": 2').status_code == 400
    assert xapi.get(resource, params=params).json() == {"a": 1}
