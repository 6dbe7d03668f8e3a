"""Scenario services: a choice is recorded once, for the step the learner was shown."""

import pytest

from scenarios.models import Attempt, ChoiceRecord
from scenarios.services import StaleStepError, attempt_choose, attempt_start
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import scenario_create

pytestmark = pytest.mark.django_db


def test_a_second_submission_for_a_step_already_left_is_refused_and_records_nothing():
    attempt = attempt_start(user=UserFactory(), scenario=scenario_create())
    attempt_choose(attempt=attempt, node_key="arrival", choice=None)
    before = Attempt.objects.get(pk=attempt.pk)

    with pytest.raises(StaleStepError, match="already moved on"):
        attempt_choose(attempt=attempt, node_key="arrival", choice=None)

    after = Attempt.objects.get(pk=attempt.pk)
    assert (after.path, after.score, after.state) == (before.path, before.score, before.state)
    assert not ChoiceRecord.objects.filter(attempt=attempt).exists()
