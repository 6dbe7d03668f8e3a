"""Hypothesis fuzzing of POST /statements: never a 5xx, never a partial batch."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tracking.lrs.factories import new_id, statement
from tracking.lrs.models import Statement

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["mailto:a@b.org", "http://x.org/v", new_id()]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=10)
            | st.sampled_from(
                ["id", "objectType", "mbox", "name", "display", "definition", "score", "member"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)

PATHS = [
    ("actor",),
    ("actor", "mbox"),
    ("actor", "objectType"),
    ("verb",),
    ("verb", "id"),
    ("verb", "display"),
    ("object",),
    ("object", "id"),
    ("object", "objectType"),
    ("object", "definition"),
    ("result",),
    ("context",),
    ("timestamp",),
    ("id",),
    ("attachments",),
    ("authority",),
    ("version",),
]


@st.composite
def mutated_statement(draw):
    data = statement(
        id=new_id(), result={"score": {"scaled": 0.5}}, context={"registration": new_id()}
    )
    path = draw(st.sampled_from(PATHS))
    holder = data
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    holder[path[-1]] = draw(json_values)
    return data


def _post(xapi, body):
    before = Statement.objects.count()
    response = xapi.post("statements", body=body)
    assert response.status_code < 500, response.content
    stored = Statement.objects.count() - before
    if response.status_code == 200:
        assert stored <= len(response.json())
    else:
        assert stored == 0, "a rejected request stored statements"
        assert response.json()["error"]
    return response


@FUZZ
@given(body=json_values)
def test_random_json_never_errors(xapi, body):
    _post(xapi, body)


@FUZZ
@given(bad=mutated_statement(), position=st.integers(min_value=0, max_value=3))
def test_mutated_statement_in_a_batch_is_all_or_nothing(xapi, bad, position):
    batch = [statement(id=new_id()) for _ in range(3)]
    batch.insert(position, bad)
    response = _post(xapi, batch)
    if response.status_code == 200:
        assert Statement.objects.filter(statement_id__in=[s["id"] for s in batch]).count() == 4


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_never_error(xapi, raw):
    before = Statement.objects.count()
    response = xapi.post("statements", body=raw)
    assert response.status_code == 400
    assert Statement.objects.count() == before
    assert json.loads(response.content)["error"]


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "agent",
                "verb",
                "activity",
                "registration",
                "since",
                "until",
                "limit",
                "format",
                "ascending",
                "related_agents",
                "statementId",
                "more",
            ]
        ),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_random_query_parameters_never_error(xapi, params):
    response = xapi.client.get("/xapi/statements", params, headers=xapi.headers)
    assert response.status_code in (200, 400, 404)
