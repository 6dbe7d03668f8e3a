"""Selectors other apps call: completion for course rules, and the personal-data export."""

from pathlib import Path

import pytest
from django.urls import reverse

from scenarios.selectors import personal_data_for_user, scenarios_completed_by
from scenarios.services import attempt_choose, attempt_start, scenario_import
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import definition, scenario_create

pytestmark = pytest.mark.django_db


def play_to_end(user, scenario, choice="a"):
    attempt = attempt_start(user=user, scenario=scenario)
    attempt_choose(attempt=attempt, choice=None)
    attempt_choose(attempt=attempt, choice=choice)
    return attempt


def test_scenarios_completed_by_counts_only_completed_non_preview_attempts_of_that_user():
    done = scenario_create()
    started = scenario_create(slug="other", title="Other")
    previewed = scenario_create(slug="third", title="Third")
    user, someone_else = UserFactory(), UserFactory()
    play_to_end(user, done)
    attempt_start(user=user, scenario=started)
    preview = attempt_start(user=user, scenario=previewed, preview=True)
    attempt_choose(attempt=preview, choice=None)
    attempt_choose(attempt=preview, choice="a")
    play_to_end(someone_else, started)
    ids = [done.pk, started.pk, previewed.pk]
    assert scenarios_completed_by(user=user, scenario_ids=ids) == {done.pk}
    assert scenarios_completed_by(user=user, scenario_ids=[]) == set()


def test_personal_data_lists_attempts_with_their_choices():
    scenario = scenario_create()
    user = UserFactory()
    attempt = play_to_end(user, scenario, choice="b")
    play_to_end(UserFactory(), scenario)
    data = personal_data_for_user(user=user)
    assert len(data["scenario_attempts"]) == 1
    exported = data["scenario_attempts"][0]
    assert exported["registration"] == str(attempt.registration)
    assert exported["status"] == "completed" and exported["score"] == -1
    assert exported["path"] == ["arrival", "first-call", "bad-ending"]
    assert [(c["decision"], c["choice"], c["rating"]) for c in exported["choices"]] == [
        ("first-call", "b", "risky")
    ]


def test_editing_a_published_scenario_does_not_change_an_attempt_in_progress(client):
    scenario = scenario_create()
    user = UserFactory()
    attempt = attempt_start(user=user, scenario=scenario)
    attempt_choose(attempt=attempt, choice=None)
    changed = definition(title="Renamed")
    changed["nodes"][1]["choices"][0]["next"] = "bad-ending"
    scenario_import(data=changed, media_root=Path("/nonexistent"))  # publishes a new revision
    client.force_login(user)
    page = client.get(reverse("scenarios:play", args=[attempt.registration])).content.decode()
    assert "Jade keeps going missing" in page
    result = attempt_choose(attempt=attempt, choice="a")
    assert result.node.key == "good-ending"


def test_download_your_data_includes_scenario_attempts():
    from accounts.services import user_data_export

    user = UserFactory()
    play_to_end(user, scenario_create())
    export = user_data_export(user=user)
    assert export["scenario_attempts"][0]["scenario_slug"] == "jade"
