"""The free flag of imported services that do not state one (ORUK 3.0 has no `free` field)."""

import pytest

from directory.models import Service
from directory.services.importing import service_is_free
from tests.directory.test_import_export import SERVICE_ID, run, service_record, terms  # noqa: F401

COST_ID = "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b31"


@pytest.mark.parametrize(
    ("record", "free"),
    [
        ({}, True),
        ({"fees": "Free"}, True),
        ({"fees": "Free for families living in Oldham"}, True),
        ({"fees": "free of charge"}, True),
        ({"fees": "No charge to families"}, True),
        ({"fees": "None"}, True),
        ({"fees": "£25 per session"}, False),
        ({"fees": "Freedom pass holders pay £2"}, False),
        ({"cost_options": [{"option": "Session", "amount": 0}]}, True),
        ({"cost_options": [{"option": "Free for under 18s"}]}, True),
        ({"cost_options": [{"option": "Session", "amount": 25}], "fees": "Free"}, False),
        ({"cost_options": [{"option": "Sliding scale"}]}, False),
    ],
)
def test_free_rule(record, free):
    assert service_is_free(record=record) is free


@pytest.mark.django_db
def test_import_marks_a_service_free_when_its_fees_text_says_so(terms):  # noqa: F811
    run([service_record(fees="Free for children and families")])
    assert Service.objects.get(pk=SERVICE_ID).free is True


@pytest.mark.django_db
def test_import_marks_a_service_paid_when_its_fees_describe_a_charge(terms):  # noqa: F811
    run([service_record(fees="£40 an hour, invoiced to the referring agency")])
    assert Service.objects.get(pk=SERVICE_ID).free is False


@pytest.mark.django_db
def test_import_uses_priced_cost_options_over_the_fees_text(terms):  # noqa: F811
    costs = [{"id": COST_ID, "option": "Per session", "amount": 30, "currency": "GBP"}]
    run([service_record(fees="Free initial call", cost_options=costs)])
    assert Service.objects.get(pk=SERVICE_ID).free is False
