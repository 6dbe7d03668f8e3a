import pytest
from django.db import connection

from config.sqlite import base

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own"),
]


def test_the_connection_uses_the_memoised_conversion():
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, base.SQLiteCursorWrapper)


def test_placeholders_literal_percents_and_named_parameters_convert_as_djangos_do():
    base._qmark.cache_clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s || '%%', %s", ["a", 2])
        assert cursor.fetchall() == [("a%", 2)]
        cursor.execute("SELECT %s || '%%', %s", ["b", 3])  # the second time from memory
        assert cursor.fetchall() == [("b%", 3)]
        cursor.execute("SELECT %(x)s, %(y)s", {"x": 1, "y": "two"})
        assert cursor.fetchall() == [(1, "two")]

    assert base._qmark.cache_info().hits >= 1


def test_long_texts_are_converted_but_not_kept():
    base._qmark.cache_clear()
    values = list(range(base.MEMO_MAX_CHARS // 3))
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        sql = f"SELECT count(*) FROM (SELECT 1 WHERE 1 IN ({placeholders}))"  # noqa: S608
        cursor.execute(sql, values)
        assert cursor.fetchall() == [(1,)]

    assert base._qmark.cache_info().currsize == 0
