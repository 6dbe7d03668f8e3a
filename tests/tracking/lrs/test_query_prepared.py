"""GET /statements queries on PostgreSQL run as prepared statements through Django's cursor
(planning cost more than running them; issue 17 allows no driver-level cursor)."""

import pytest
from django.db import connection

from tests.tracking.lrs.factories import statement

pytestmark = pytest.mark.django_db


def _prepared_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE name LIKE %s ORDER BY name",
            ["lrs_q_%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_query_shape_is_prepared_once_and_reused(xapi):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    (sid,) = xapi.post("statements", body=statement()).json()
    verb = "http://adlnet.gov/expapi/verbs/completed"
    before = set(_prepared_names())
    first = xapi.get("statements", params={"verb": verb}).json()["statements"]
    shapes = set(_prepared_names()) - before
    assert len(shapes) == 1
    second = xapi.get("statements", params={"verb": verb, "limit": 3}).json()["statements"]
    assert set(_prepared_names()) - before == shapes  # same shape, other values: reused
    assert [s["id"] for s in first] == [s["id"] for s in second] == [sid]


def test_a_new_connection_forgets_what_the_old_one_prepared():
    from django.db.backends.signals import connection_created

    from tracking.lrs import queries

    wrapper = type("Wrapper", (), {})()
    queries._prepared[wrapper] = {"lrs_q_x"}
    connection_created.send(sender=type(wrapper), connection=wrapper)
    assert wrapper not in queries._prepared
