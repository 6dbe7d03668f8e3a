"""Required training events: "one of these events, every 3 years" in My learning."""

from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta

from accounts.models import Sector
from accounts.roles import Role
from courses.selectors.requirements import my_learning
from courses.services.refreshers import agency_digest_send
from events.models import EventRequirement
from events.selectors import event_requirement_standings
from events.services.attendance import register_mark
from events.services.booking import booking_create
from learning.selectors import requirement_standings
from tests.accounts.factories import AgencyFactory, JobRoleFactory, UserFactory
from tests.events.factories import EventSessionFactory
from tests.events.requirement_world import NOW, requirement_world
from tests.reports.factories import when

pytestmark = pytest.mark.django_db

TITLE = "One of: Missing children across agencies; Reflective supervision (every 36 months)"


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield requirement_world()


def _by_user(standings):
    return {s.user_id: s for s in standings}


def test_attending_any_one_of_the_events_meets_the_rule_for_its_renewal_period(world):
    w = world
    standings = _by_user(
        event_requirement_standings(users=w.police.members.all(), at=when("2026-06-01"))
    )

    assert {uid: s.status for uid, s in standings.items()} == {
        w.met.pk: "complete",
        w.overdue.pk: "overdue",
        w.due.pk: "due",
        w.lapsed.pk: "refresher_due",
        w.no_show.pk: "overdue",
    }
    assert standings[w.met.pk].met_by == "Missing children across agencies"
    assert standings[w.met.pk].expires_at == when("2029-03-10")
    # Due dates count months from joining or from the rule, as courses' rules do.
    w.due.refresh_from_db()
    w.rule.refresh_from_db()
    assert standings[w.due.pk].due == w.due.date_joined + relativedelta(months=6)
    assert standings[w.overdue.pk].due == w.rule.created_at + relativedelta(months=6)
    assert standings[w.lapsed.pk].expires_at == when("2026-01-15")
    # Thirty-six months on, the one who attended needs to go again.
    later = _by_user(event_requirement_standings(users=[w.met], at=when("2029-03-11")))
    assert later[w.met.pk].status == "refresher_due"


def test_the_rule_applies_only_to_its_sectors_and_job_roles(world):
    w = world
    assert event_requirement_standings(users=[w.nurse], at=when("2026-06-01")) == []
    role = JobRoleFactory(name="Custody sergeant")
    w.rule.job_roles.add(role)
    w.rule.save()
    sergeant = UserFactory(agency=w.police, job_role=role)

    standings = event_requirement_standings(users=[w.overdue, sergeant], at=when("2026-06-01"))

    assert [s.user_id for s in standings] == [sergeant.pk]


def test_the_registry_reaches_the_events_provider_without_courses_importing_events(world):
    w = world
    standings = requirement_standings(users=[w.met], at=when("2026-06-01"))
    assert [(s.status, s.title) for s in standings] == [
        (
            "complete",
            "One of: Missing children across agencies; Reflective supervision (every 36 months)",
        )
    ]


def test_my_learning_shows_the_required_event_with_a_link_to_book(client, world):
    w = world
    client.force_login(w.overdue)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/courses/my/")

    text = response.content.decode()
    assert "Training events required for your role" in text
    assert "One of: Missing children across agencies; Reflective supervision" in text
    assert "Overdue" in text
    assert 'href="/events/">Book a place' in text


def test_a_single_event_rule_links_to_that_event(world):
    agency = AgencyFactory(sector=Sector.EDUCATION)
    rule = EventRequirement(sectors=[Sector.EDUCATION])
    rule.save()
    rule.events.set([world.supervision])
    rule.save()
    teacher = UserFactory(agency=agency)

    [standing] = my_learning(user=teacher)["required_other"]

    assert standing.url == world.supervision.url
    assert standing.title == "Reflective supervision (every 36 months)"


def test_the_trainers_register_meets_the_requirement(world):
    w = world
    trainer = UserFactory(roles=[Role.TRAINER])
    session = EventSessionFactory(page=w.supervision, capacity=5)
    session.trainers.add(trainer)
    session.save()
    booking = booking_create(user=w.overdue, session=session)
    assert my_learning(user=w.overdue)["required_other"][0].status == "overdue"

    with time_machine.travel(session.starts_at + timedelta(minutes=10)):
        register_mark(session=session, marks={booking.pk: "attended"}, marked_by=trainer)
        [standing] = my_learning(user=w.overdue)["required_other"]

    assert standing.status == "complete"
    assert standing.met_at == session.starts_at


def test_the_leads_overdue_digest_names_required_events_missed_or_lapsed(world, mailoutbox):
    w = world
    lead = UserFactory(agency=w.police, roles=[Role.AGENCY_LEAD], email="lead@police.example")

    with time_machine.travel(NOW, tick=False):
        assert agency_digest_send() == 1

    [mail] = [m for m in mailoutbox if m.to == [lead.email]]
    lines = {line for line in mail.body.splitlines() if TITLE in line}
    names = {line.split(":")[0].lstrip("- ") for line in lines}
    # Baker never went and Evans did not attend (overdue); Davies went over 36 months ago.
    assert names == {"Sam Baker", "Sam Evans", "Sam Davies"}
    assert any("refresher due" in line for line in lines if "Davies" in line)
