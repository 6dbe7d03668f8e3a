"""Selectors other apps use: services by id and link warnings for authors."""

import datetime
import uuid

import pytest
from django.utils import timezone

from directory.models import ReviewStatus
from directory.selectors import service_ids_in, service_link_warnings, service_list_by_ids
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_service_list_by_ids_keeps_order_and_skips_missing_and_unpublished():
    first, second = ServiceFactory(name="First"), ServiceFactory(name="Second")
    draft = ServiceFactory(review_status=ReviewStatus.DRAFT)
    ids = [str(second.pk), "not-a-uuid", uuid.uuid4(), first.pk, draft.pk, second.pk]
    assert [s.name for s in service_list_by_ids(ids=ids)] == ["Second", "First"]


def test_service_link_warnings_flag_archived_unpublished_stale_and_missing():
    fine = ServiceFactory()
    archived = ServiceFactory(name="Old", review_status=ReviewStatus.ARCHIVED)
    draft = ServiceFactory(name="Draft", review_status=ReviewStatus.DRAFT)
    stale = ServiceFactory(
        name="Stale", assured_date=timezone.localdate() - datetime.timedelta(days=366)
    )
    gone = uuid.uuid4()
    warnings = service_link_warnings(ids=[fine.pk, archived.pk, draft.pk, stale.pk, gone])
    assert [(w.service_id, w.reason) for w in warnings] == [
        (archived.pk, "archived"),
        (draft.pk, "unpublished"),
        (stale.pk, "stale"),
        (gone, "missing"),
    ]
    assert "“Old” is archived" in warnings[0].message


def test_service_ids_in_finds_uuids_in_nested_content():
    one, two = uuid.uuid4(), uuid.uuid4()
    content = {"body": [{"type": "services", "value": {"services": f"{one}\n{two}"}}], "x": [one]}
    assert set(service_ids_in(value=content)) == {one, two}
