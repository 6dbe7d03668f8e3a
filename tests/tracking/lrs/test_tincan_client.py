"""Done-when: a third-party client (tincan's RemoteLRS) works against a live /xapi/."""

import uuid

import pytest
from pytest_django.live_server_helper import LiveServer
from tincan import (
    Activity,
    ActivityProfileDocument,
    Agent,
    AgentProfileDocument,
    RemoteLRS,
    StateDocument,
    Statement,
    StatementRef,
    Verb,
)

from tracking.lrs.clients import lrs_client_create

# Port 0: the server takes a free one, so parallel test runs on one machine do not collide.
LIVE_ADDRESS = "127.0.0.1:0"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lrs(transactional_db):
    server = LiveServer(LIVE_ADDRESS)
    client, secret = lrs_client_create(name="tincan", can_read_all=True)
    yield RemoteLRS(
        endpoint=f"{server.url}/xapi/", version="1.0.1", username=client.key, password=secret
    )
    server.stop()


AGENT = Agent(name="Sam Learner", mbox="mailto:sam@example.org")
COMPLETED = Verb(id="http://adlnet.gov/expapi/verbs/completed", display={"en-GB": "completed"})


def _statement(number: int) -> Statement:
    return Statement(
        actor=AGENT,
        verb=COMPLETED,
        object=Activity(id=f"https://lscp.example.org/modules/{number}"),
    )


def test_tincan_stores_queries_pages_and_voids(lrs):
    assert lrs.about().success
    saved = lrs.save_statement(_statement(0))
    assert saved.success, saved.data
    assert lrs.save_statements([_statement(n) for n in range(1, 5)]).success

    first = lrs.query_statements({"agent": AGENT, "verb": COMPLETED, "limit": 2})
    assert first.success, first.data
    seen = [s.id for s in first.content.statements]
    more = first.content.more
    while more:
        page = lrs.more_statements(more)
        assert page.success, page.data
        seen += [s.id for s in page.content.statements]
        more = page.content.more
    assert len(seen) == 5 and len(set(seen)) == 5

    target = saved.content.id
    void = Statement(
        actor=AGENT,
        verb=Verb(id="http://adlnet.gov/expapi/verbs/voided"),
        object=StatementRef(id=target),
    )
    assert lrs.save_statement(void).success
    assert lrs.retrieve_statement(target).response.status == 404
    voided = lrs.retrieve_voided_statement(target)
    assert voided.success and str(voided.content.id) == str(target)


def test_tincan_manages_state_and_profile_documents(lrs):
    activity = Activity(id="https://lscp.example.org/courses/missing")
    state = StateDocument(
        activity=activity,
        agent=AGENT,
        id="bookmark",
        content='{"page": 3}',
        content_type="application/json",
    )
    assert lrs.save_state(state).success
    fetched = lrs.retrieve_state(activity, AGENT, "bookmark")
    assert fetched.success and bytes(fetched.content.content) == b'{"page": 3}'
    assert lrs.retrieve_state_ids(activity, AGENT).content == ["bookmark"]
    assert lrs.delete_state(fetched.content).success
    assert lrs.retrieve_state_ids(activity, AGENT).content == []

    profile = ActivityProfileDocument(
        activity=activity, id="settings", content="{}", content_type="application/json"
    )
    assert lrs.save_activity_profile(profile).success
    got = lrs.retrieve_activity_profile(activity, "settings")
    # tincan 1.0.0 reads headers from a list as if it were a dict, so take the ETag directly.
    etag = got.response.getheader("ETag")
    assert got.success and len(etag.strip('"')) == 40
    profile.content = '{"v": 2}'
    assert lrs.save_activity_profile(profile).response.status == 409
    profile.etag = etag
    assert lrs.save_activity_profile(profile).success

    agent_profile = AgentProfileDocument(
        agent=AGENT, id=str(uuid.uuid4()), content="hello", content_type="text/plain"
    )
    assert lrs.save_agent_profile(agent_profile).success
    fetched_profile = lrs.retrieve_agent_profile(AGENT, agent_profile.id)
    assert bytes(fetched_profile.content.content) == b"hello"
