"""Endings link to directory services: shown to learners, checked for editors."""

import uuid

import pytest
from django.urls import reverse

from accounts.roles import Role
from scenarios.services import attempt_choose, attempt_start
from tests.accounts.factories import UserFactory
from tests.directory.factories import ServiceFactory
from tests.scenarios.factories import definition, scenario_create

pytestmark = pytest.mark.django_db


def with_services(ids):
    data = definition()
    data["nodes"][2]["services"] = [str(i) for i in ids]
    return data


def test_end_page_lists_published_linked_services_and_skips_unknown_ids(client):
    service = ServiceFactory(name="Missing People")
    scenario = scenario_create(nodes=with_services([service.pk, uuid.uuid4()])["nodes"])
    user = UserFactory()
    attempt = attempt_start(user=user, scenario=scenario)
    attempt_choose(attempt=attempt, choice=None)
    attempt_choose(attempt=attempt, choice="a")
    client.force_login(user)
    page = client.get(reverse("scenarios:end", args=[attempt.registration])).content.decode()
    assert "Services that can help" in page
    assert f'href="{service.get_absolute_url()}">Missing People</a>' in page


def test_check_and_map_warns_about_a_missing_linked_service(client):
    missing = uuid.uuid4()
    scenario = scenario_create(nodes=with_services([missing])["nodes"])
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    page = client.get(
        reverse("wagtailsnippets_scenarios_scenario:map", args=[scenario.pk])
    ).content.decode()
    assert f"The linked directory service {missing} no longer exists." in page


def test_check_and_map_reads_every_endings_links_in_one_query_and_warns_on_each(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.models import ReviewStatus

    gone, archived = uuid.uuid4(), ServiceFactory(review_status=ReviewStatus.ARCHIVED)
    nodes = definition()["nodes"]
    nodes[2]["services"], nodes[3]["services"] = [str(gone)], [str(archived.pk)]
    scenario = scenario_create(nodes=nodes)
    client.force_login(UserFactory(roles=[Role.TRAINER]))

    with CaptureQueriesContext(connection) as queries:
        page = client.get(
            reverse("wagtailsnippets_scenarios_scenario:map", args=[scenario.pk])
        ).content.decode()

    assert f"The linked directory service {gone} no longer exists." in page
    assert archived.name in page and "archived" in page
    service_reads = [q for q in queries if 'FROM "directory_service"' in q["sql"]]
    assert len(service_reads) == 1
