import json

import pytest
from django.db import connection
from wagtail.fields import StreamField

from courses.models import ModulePage

BODY = [
    {
        "type": "section",
        "id": "3b0a6c1e-0000-4000-8000-000000000001",
        "value": {
            "heading": "Push and pull factors – “why” matters",
            "content": [
                {"type": "markdown", "id": "m1", "value": "**Ask** what is happening. ✓"},
                {"type": "key_fact", "id": "k1", "value": {"title": "72 hours", "text": "Offer"}},
            ],
        },
    }
]


@pytest.fixture
def field():
    return ModulePage._meta.get_field("body")


def test_a_module_body_reads_back_exactly_as_wagtails_own_streamfield_reads_it(field):
    text = json.dumps(BODY)
    plain = StreamField(field.stream_block)

    fast = field.from_db_value(text, None, connection)
    slow = plain.from_db_value(text, None, connection)

    assert list(fast.raw_data) == list(slow.raw_data) == BODY
    assert fast[0].value["heading"] == "Push and pull factors – “why” matters"
    assert fast[0].value["content"][0].value == "**Ask** what is happening. ✓"


def test_json_orjson_refuses_falls_back_to_the_standard_decoder(field):
    body = json.loads(json.dumps(BODY))
    body[0]["value"]["content"][0]["value"] = "x"
    body[0]["value"]["extra"] = 2**70  # beyond 64 bits: orjson refuses, json does not
    value = field.from_db_value(json.dumps(body), None, connection)

    assert value.raw_data[0]["value"]["extra"] == 2**70


def test_null_is_read_as_wagtail_reads_it(field):
    plain = StreamField(field.stream_block)

    fast = field.from_db_value(None, None, connection)

    assert list(fast.raw_data) == list(plain.from_db_value(None, None, connection).raw_data) == []
