from unittest import mock

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config import reverse as memo
from config.reverse import reverse_memo


@pytest.fixture(autouse=True)
def fresh_memory():
    memo._reverse.cache_clear()
    yield
    memo._reverse.cache_clear()
    set_script_prefix("/")


def test_gives_what_reverse_gives_and_reverses_each_url_once():
    expected = reverse("courses:answer", args=(7, "abc-123"))

    with mock.patch("config.reverse.reverse", wraps=reverse) as reverse_:
        assert reverse_memo("courses:answer", 7, "abc-123") == expected
        assert reverse_memo("courses:answer", 7, "abc-123") == expected
        assert reverse_memo("courses:answer", 8, "abc-123") == expected.replace("/7/", "/8/")

    assert reverse_.call_count == 2


def test_a_script_prefix_is_part_of_what_is_remembered():
    plain = reverse_memo("courses:reflect", 3, "b")
    set_script_prefix("/training/")

    assert reverse_memo("courses:reflect", 3, "b") == f"/training{plain}"


def test_a_url_that_does_not_reverse_still_raises():
    with pytest.raises(NoReverseMatch):
        reverse_memo("courses:answer", "not-a-number", "b")
