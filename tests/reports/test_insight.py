"""Scenario insight: choices by rating and sector, with counts under 5 suppressed everywhere."""

import csv
import io

from django.urls import reverse

from reports.selectors.insight import SUPPRESSED, scenario_insight, suppress, suppress_cell
from reports.selectors.scope import ReportFilters
from scenarios.models import ChoiceRecord
from scenarios.services import attempt_choose, attempt_start
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import scenario_create


def play(scenario, agency, choice, count):
    for _ in range(count):
        attempt = attempt_start(user=UserFactory(agency=agency), scenario=scenario)
        attempt_choose(attempt=attempt, choice=None)  # past the opening situation
        attempt_choose(attempt=attempt, choice=choice)


def test_suppress_hides_only_counts_from_one_to_four():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_cell_shows_only_from_5_distinct_learners_zeros_included():
    assert [suppress_cell(n) for n in (0, 1, 4, 5, 12)] == [
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
        5,
        12,
    ]


def test_choices_are_counted_by_rating_and_sector_and_small_counts_suppressed(world):
    scenario = scenario_create()
    play(scenario, world.police, "a", 5)
    play(scenario, world.police, "b", 2)
    play(scenario, world.health, "b", 6)
    sectors, decisions = scenario_insight(viewer=world.admin, filters=ReportFilters())
    assert sectors == [("police", "Police"), ("health", "Health")]
    (decision,) = decisions
    assert decision.question == "What do you do first?"
    counts = {(c.label, c.rating): c.counts for c in decision.choices}
    assert counts[("Report Jade missing now", "recommended")] == {
        "police": 5,
        "health": SUPPRESSED,  # none: a zero beside "fewer than 5" would single people out
    }
    assert counts[("Wait until morning", "risky")] == {"police": SUPPRESSED, "health": 6}


def test_previews_are_not_counted(world):
    scenario = scenario_create()
    for _ in range(5):
        attempt = attempt_start(
            user=UserFactory(agency=world.police), scenario=scenario, preview=True
        )
        attempt_choose(attempt=attempt, choice=None)
        attempt_choose(attempt=attempt, choice="a")
    assert scenario_insight(viewer=world.admin, filters=ReportFilters())[1] == []


def test_lead_sees_only_their_agency_choices(world):
    scenario = scenario_create()
    play(scenario, world.police, "a", 5)
    play(scenario, world.health, "a", 7)
    sectors, decisions = scenario_insight(viewer=world.police_lead, filters=ReportFilters())
    assert sectors == [("police", "Police")]
    assert decisions[0].choices[0].counts == {"police": 5}


def test_export_shows_the_same_suppression(client, world):
    scenario = scenario_create()
    play(scenario, world.police, "a", 3)
    client.force_login(world.admin)
    page = client.get(reverse("reports:insight")).content.decode()
    assert "fewer than 5" in page
    rows = list(csv.reader(io.StringIO(client.get("/reports/export/insight.csv").content.decode())))
    assert rows[0] == ["Scenario", "Decision", "Choice", "Practice rating", "Police"]
    assert rows[1] == [
        scenario.title,
        "What do you do first?",
        "Report Jade missing now",
        "Recommended",
        SUPPRESSED,
    ]


def test_withdrawn_choices_are_not_counted(world):
    scenario = scenario_create()
    play(scenario, world.police, "a", 6)
    ChoiceRecord.objects.filter(pk__in=ChoiceRecord.objects.values("pk")[:2]).update(
        withdrawn=True  # as attempt_back marks a choice the learner went back past
    )
    decisions = scenario_insight(viewer=world.admin, filters=ReportFilters())[1]
    assert decisions[0].choices[0].counts == {"police": SUPPRESSED}


def test_partnership_admin_can_narrow_insight_to_one_agency(client, world):
    scenario = scenario_create()
    play(scenario, world.police, "a", 5)
    play(scenario, world.health, "a", 6)
    client.force_login(world.admin)
    page = client.get(reverse("reports:insight"), {"agency": world.health.pk})
    assert page.context["tables"]["insight"].rows[0][4:] == [6]
    assert f'<option value="{world.health.pk}" selected>' in page.content.decode()


def test_a_date_range_cannot_single_out_one_persons_choice(world):
    from datetime import date, timedelta

    scenario = scenario_create()
    play(scenario, world.police, "a", 7)
    yesterday = ChoiceRecord.objects.order_by("pk").first()
    ChoiceRecord.objects.filter(pk=yesterday.pk).update(
        chosen_at=yesterday.chosen_at - timedelta(days=1)
    )
    today_only = ReportFilters(date_from=date.today(), date_to=date.today())

    everything = scenario_insight(viewer=world.admin, filters=ReportFilters())[1]
    narrowed = scenario_insight(viewer=world.admin, filters=today_only)[1]

    assert everything[0].choices[0].counts == narrowed[0].choices[0].counts


def test_one_learner_in_an_agency_cannot_be_read_off_from_zeros(world):
    # Security review finding: one police officer played; their choice showed as "fewer than 5"
    # beside zeros for every other option, and the staff list names them.
    scenario = scenario_create()
    play(scenario, world.health, "a", 6)
    play(scenario, world.police, "b", 1)
    decisions = scenario_insight(viewer=world.admin, filters=ReportFilters())[1]
    police = {line.key: line.counts["police"] for line in decisions[0].choices}
    assert set(police.values()) == {SUPPRESSED}


def test_one_learner_replaying_counts_once(world):
    scenario = scenario_create()
    learner = UserFactory(agency=world.police)
    for _ in range(5):
        attempt = attempt_start(user=learner, scenario=scenario)
        attempt_choose(attempt=attempt, choice=None)
        attempt_choose(attempt=attempt, choice="a")
    decisions = scenario_insight(viewer=world.admin, filters=ReportFilters())[1]
    assert {line.counts["police"] for line in decisions[0].choices} == {SUPPRESSED}
