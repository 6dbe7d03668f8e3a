"""The constructed partnership the report tests check figures against (hand-computed)."""

from types import SimpleNamespace

import pytest
import time_machine

from accounts.models import Sector
from courses.models import RequiredLearning
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.reports.factories import (
    admin,
    complete,
    course_with_modules,
    enrol,
    lead_of,
    module_done,
    revoke,
    when,
)

NOW = "2026-06-01T12:00:00+00:00"


@pytest.fixture
def travel():
    """Freeze time at NOW (1 June 2026); ``travel.move_to(...)`` moves it later."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, travel):
    """Two agencies and one course with two modules; see each person's comment.

    Police (headcount 10) must complete the course within 3 months of joining; health need not.
    """
    police = AgencyFactory(name="Police", slug="police", sector=Sector.POLICE, headcount=10)
    health = AgencyFactory(name="Health", slug="health", sector=Sector.HEALTH, headcount=20)
    course, (m1, m2) = course_with_modules(title="Missing children")
    rule = RequiredLearning.objects.create(course=course, sectors=[Sector.POLICE])
    RequiredLearning.objects.filter(pk=rule.pk).update(created_at=when("2025-01-01"))

    def person(agency, joined, name):
        user = UserFactory(agency=agency, last_name=name)
        user.date_joined = when(joined)
        user.save()
        return user

    # a1: completed both modules and the course on 1 March 2026 (valid until 1 March 2027).
    a1 = person(police, "2026-01-01", "Adams")
    e = enrol(a1, course, "2026-02-01")
    module_done(e, m1, "2026-02-01", "2026-02-10")
    module_done(e, m2, "2026-02-11", "2026-02-20")
    complete(e, "2026-03-01")
    # a2: joined recently (due 15 August), started module 1: in progress, not overdue.
    a2 = person(police, "2026-05-15", "Baker")
    module_done(enrol(a2, course, "2026-05-20"), m1, "2026-05-20")
    # a3: completed in January 2025, expired January 2026: refresher due.
    a3 = person(police, "2024-01-01", "Clark")
    complete(enrol(a3, course, "2025-01-10"), "2025-01-15")
    # a4: completed, then the completion was revoked: overdue (due 1 April 2026).
    a4 = person(police, "2026-01-01", "Davis")
    revoke(complete(enrol(a4, course, "2026-01-05"), "2026-02-01"), "2026-03-01")
    # a5: police, joined in January, never started: overdue.
    a5 = person(police, "2026-01-01", "Evans")
    # b1: health, completed in April.
    b1 = person(health, "2026-01-01", "Fox")
    complete(enrol(b1, course, "2026-03-20"), "2026-04-01")
    # b2: completed while in police, then moved to health: counts in health now.
    b2 = person(police, "2025-06-01", "Green")
    complete(enrol(b2, course, "2026-04-10"), "2026-05-01")
    b2.agency = health
    b2.team = None
    b2.save()
    return SimpleNamespace(
        police=police,
        health=health,
        course=course,
        m1=m1,
        m2=m2,
        people=SimpleNamespace(a1=a1, a2=a2, a3=a3, a4=a4, a5=a5, b1=b1, b2=b2),
        admin=admin(),
        police_lead=lead_of(police),
        health_lead=lead_of(health),
    )
