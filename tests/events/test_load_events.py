"""Demo events from the review's recommendations: loaded once, bookable, with trainers."""

import pytest
from django.core.management import call_command

from accounts.roles import Role
from events.models import EventPage, EventSession
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_load_events_creates_the_reviews_events_once_with_sessions_and_trainers():
    trainer = UserFactory(roles=[Role.TRAINER])
    course = CoursePageFactory(title="Missing from home and care", topic="missing-children")
    call_command("load_events")
    call_command("load_events")

    pages = {p.slug: p for p in EventPage.objects.live()}
    assert set(pages) == {
        "multi-agency-reflective-supervision",
        "missing-children-practice-across-agencies",
        "roma-cultural-competence",
    }
    assert "R3" in pages["multi-agency-reflective-supervision"].recommendations
    assert pages["roma-cultural-competence"].delivered_with.startswith("Oldham Youth")
    missing = pages["missing-children-practice-across-agencies"]
    assert list(missing.prerequisites.all()) == [course]
    sessions = EventSession.objects.all()
    assert sessions.count() == 6
    assert all(list(s.trainers.all()) == [trainer] for s in sessions)
    assert all(s.joining_link for s in sessions.filter(mode="online"))
