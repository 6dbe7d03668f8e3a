"""Practice action plans: the learner writes and sees their own; their agency lead reads them."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from courses.models import ActionPlan
from courses.services.action_plans import action_plan_save
from courses.services.learning import LearningError
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _edit_url(course) -> str:
    return reverse("courses:action_plan_edit", args=[course.pk])


def test_an_enrolled_learner_writes_a_plan_and_editing_it_updates_the_same_plan(
    client, learner, course, enrolled
):
    client.force_login(learner)
    data = {"actions": "Ask every child who they miss.", "support": "", "review_by": "2027-03-31"}
    assert client.post(_edit_url(course), data).url == reverse("courses:action_plans")
    client.post(_edit_url(course), {**data, "actions": "Visit weekly when risk rises."})
    plan = ActionPlan.objects.get()
    assert plan.actions == "Visit weekly when risk rises." and str(plan.review_by) == "2027-03-31"
    page = client.get(reverse("courses:action_plans")).content.decode()
    assert course.title in page


def test_a_plan_needs_an_enrolment_and_some_actions(client, learner, course):
    with pytest.raises(LearningError, match="Start the course"):
        action_plan_save(user=learner, course=course, actions="Something")
    client.force_login(learner)
    response = client.post(_edit_url(course), {"actions": "   ", "support": "", "review_by": ""})
    assert response.status_code == 400
    assert "Write at least one thing you will do differently" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_the_learners_agency_lead_sees_the_plan_and_other_agencies_leads_do_not(
    client, learner, course, enrolled
):
    plan = action_plan_save(user=learner, course=course, actions="Ask who they miss.")
    detail = reverse("courses:action_plan_detail", args=[plan.pk])
    own_lead = UserFactory(roles=[Role.AGENCY_LEAD], agency=learner.agency)
    client.force_login(own_lead)
    assert "Ask who they miss." in client.get(detail).content.decode()
    assert detail in client.get(reverse("courses:action_plans")).content.decode()

    other_lead = UserFactory(roles=[Role.AGENCY_LEAD])
    client.force_login(other_lead)
    assert client.get(detail).status_code == 404
    assert detail not in client.get(reverse("courses:action_plans")).content.decode()


def test_a_colleague_who_is_not_a_lead_cannot_see_the_plan(client, learner, course, enrolled):
    plan = action_plan_save(user=learner, course=course, actions="Ask who they miss.")
    colleague = UserFactory(agency=learner.agency)
    client.force_login(colleague)
    assert client.get(reverse("courses:action_plan_detail", args=[plan.pk])).status_code == 404
    page = client.get(reverse("courses:action_plans")).content.decode()
    assert "Your agency's plans" not in page


def test_the_plan_is_in_the_learners_data_download(learner, course, enrolled):
    from courses.selectors.records import personal_data_for_user

    action_plan_save(user=learner, course=course, actions="Ask who they miss.")
    plans = personal_data_for_user(user=learner)["course_action_plans"]
    assert plans[0]["actions"] == "Ask who they miss."
