"""Refreshers: expiry, reminder emails 30 days before and on expiry, the agency lead digest."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from courses.models import Completion, RefresherNotice, RequiredLearning
from courses.selectors.requirements import my_learning, requirements_for_user
from courses.services.learning import enrolment_create
from courses.services.refreshers import agency_digest_send, refresher_reminders_send
from courses.tasks import agency_digest_send_task, refresher_reminders_send_task
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.test_completion import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def completion(learner, course, enrolled):
    visit_all(learner, course)
    answer_all(learner, course)
    return Completion.objects.get(user=learner)


def test_completion_expires_after_the_courses_interval(completion):
    # refresher_months=12: the same day next year (calendar months, not 30-day blocks).
    assert completion.expires_at == completion.completed_at.replace(
        year=completion.completed_at.year + 1
    )
    with time_machine.travel(completion.expires_at - timedelta(seconds=1), tick=False):
        assert completion.is_valid()
    with time_machine.travel(completion.expires_at, tick=False):
        assert not completion.is_valid()


def test_reminders_go_30_days_before_and_on_expiry_once_each(completion, mailoutbox):
    with time_machine.travel(completion.expires_at - timedelta(days=31), tick=False):
        assert refresher_reminders_send() == 0
    with time_machine.travel(completion.expires_at - timedelta(days=30), tick=False):
        assert refresher_reminders_send_task.delay().get() == 1
        assert refresher_reminders_send() == 0  # a rerun the same day sends nothing
    assert "expires on" in mailoutbox[0].body
    with time_machine.travel(completion.expires_at + timedelta(hours=1), tick=False):
        assert refresher_reminders_send() == 1
        assert refresher_reminders_send() == 0
    assert "expired on" in mailoutbox[1].body
    assert mailoutbox[1].to == [completion.user.email]
    assert RefresherNotice.objects.count() == 2


def test_a_newer_completion_supersedes_the_expiring_one(learner, course, completion, mailoutbox):
    with time_machine.travel(completion.expires_at - timedelta(days=10), tick=False):
        enrolment_create(user=learner, course=course)
        visit_all(learner, course)
        answer_all(learner, course)
    with time_machine.travel(completion.expires_at + timedelta(days=1), tick=False):
        assert refresher_reminders_send() == 0
    assert mailoutbox == []


def test_an_expired_completion_shows_as_refresher_due_and_is_not_compliant(learner, completion):
    RequiredLearning.objects.create(course=completion.course, due_within_months=3)
    assert requirements_for_user(user=learner)[0].status == "complete"
    with time_machine.travel(completion.expires_at + timedelta(days=1), tick=False):
        state = my_learning(user=learner)
        assert [c.pk for c in state["refresher_due"]] == [completion.pk]
        assert state["completed"] == []
        assert state["required"][0].status == "refresher_due"
    assert Completion.objects.filter(pk=completion.pk).exists()  # kept for ever


def test_weekly_digest_goes_to_each_agency_lead_about_their_own_staff_only(course, mailoutbox):
    RequiredLearning.objects.create(course=course, due_within_months=1)
    late = UserFactory(first_name="Late", last_name="Starter")
    lead = UserFactory(agency=late.agency, roles=[Role.AGENCY_LEAD])
    other_lead = UserFactory(roles=[Role.AGENCY_LEAD])
    UserFactory(agency=other_lead.agency)  # new, not overdue yet
    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        assert agency_digest_send_task.delay().get() >= 1
    to = {m.to[0]: m for m in mailoutbox}
    assert lead.email in to
    assert "Late Starter" in to[lead.email].body
    assert other_lead.email not in to or "Late Starter" not in to[other_lead.email].body
    assert agency_digest_send() == 0  # today nobody is overdue yet


def test_required_learning_applies_by_sector_and_job_role_with_new_starter_due_dates(course):
    learner = UserFactory()
    learner.agency.sector = "police"
    learner.agency.save()
    rule = RequiredLearning.objects.create(course=course, sectors=["health"], due_within_months=3)
    assert requirements_for_user(user=learner) == []
    rule.sectors = ["police"]
    rule.save()
    rule.job_roles.add(learner.job_role)
    rule.save()
    (requirement,) = requirements_for_user(user=learner)
    assert requirement.status == "due"
    assert requirement.due.date() >= (learner.date_joined + timedelta(days=89)).date()
    with time_machine.travel(requirement.due + timedelta(days=1), tick=False):
        assert requirements_for_user(user=learner)[0].status == "overdue"
