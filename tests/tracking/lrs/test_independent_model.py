"""Statements the LRS stores and returns validate against Ralph's independent xAPI models."""

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from tests.tracking.lrs.factories import new_id, statement
from tracking.lrs.models import Statement
from tracking.lrs.services import statement_store

pytestmark = pytest.mark.django_db

RICH = statement(
    result={
        "score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10},
        "success": True,
        "completion": True,
        "duration": "PT12M3S",
    },
    context={
        "registration": new_id(),
        "platform": "Safeguarding training",
        "language": "en-GB",
        "contextActivities": {"parent": {"id": "https://lscp.example.org/courses/c"}},
    },
    timestamp="2026-11-26T09:00:00.123Z",
)


def test_platform_writer_statements_validate_against_ralph():
    ids = statement_store(statements=[statement(), RICH])
    for row in Statement.objects.filter(statement_id__in=ids):
        BaseXapiStatement.model_validate(row.data)


def test_statements_returned_over_http_validate_against_ralph(xapi):
    xapi.post("statements", body=[statement(), RICH])
    for returned in xapi.get("statements").json()["statements"]:
        BaseXapiStatement.model_validate(returned)
