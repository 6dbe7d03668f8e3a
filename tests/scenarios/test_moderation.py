"""Scenario moderation in the admin: trainers submit scenarios for review as they do pages, and
the listing offers one way to copy a scenario."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from accounts.roles import Role
from scenarios.models import Scenario
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import admin_form_data, definition, scenario_create

pytestmark = pytest.mark.django_db

WORKFLOW = "Safeguarding lead review"


def url(name, *args):
    return reverse(f"wagtailsnippets_scenarios_scenario:{name}", args=args)


@pytest.fixture
def trainer(client):
    user = UserFactory(roles=[Role.TRAINER])
    client.force_login(user)
    return user


def test_scenarios_use_the_partnerships_review_workflow():
    scenario = scenario_create(publish=False)
    assert scenario.get_workflow().name == WORKFLOW


def test_trainer_sees_submit_for_review_on_a_scenario(client, trainer):
    scenario = scenario_create(publish=False)
    page = client.get(url("edit", scenario.pk)).content.decode()
    assert f"Submit to {WORKFLOW}" in page


def test_trainer_submitting_a_scenario_starts_the_review_without_publishing(client, trainer):
    scenario = scenario_create(publish=False)
    response = client.post(url("edit", scenario.pk), admin_form_data(definition(), action="submit"))
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="scenario")
    assert state.workflow.name == WORKFLOW
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not Scenario.objects.get().live


def test_partnership_admin_approving_the_review_publishes_the_scenario(client, trainer):
    scenario = scenario_create(publish=False)
    client.post(url("edit", scenario.pk), admin_form_data(definition(), action="submit"))
    approver = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    state = WorkflowState.objects.get(base_content_type__model="scenario")
    state.current_task_state.task.specific.on_action(state.current_task_state, approver, "approve")
    assert Scenario.objects.get().live


def test_listing_offers_duplicate_and_not_wagtails_copy_beside_it(client, trainer):
    scenario = scenario_create()
    page = client.get(url("list")).content.decode()
    assert url("duplicate", scenario.pk) in page
    assert "Duplicate as a new draft" in page
    assert f"/copy/{scenario.pk}/" not in page
    edit = client.get(url("edit", scenario.pk)).content.decode()
    assert f"/copy/{scenario.pk}/" not in edit
    assert "Duplicate as a new draft" in edit
