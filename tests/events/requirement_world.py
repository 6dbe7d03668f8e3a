"""A partnership where police must attend one of two events every 36 months (hand-computed).

Shared by tests/events/test_requirements.py and tests/reports/test_required_events.py.
"""

from types import SimpleNamespace

from accounts.models import Sector
from events.models import Booking, BookingStatus, EventRequirement
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.events.factories import EventPageFactory, EventSessionFactory
from tests.reports.factories import when

NOW = "2026-06-01T12:00:00+00:00"


def _attended(user, event, on: str, attendance: str = "attended") -> Booking:
    session = EventSessionFactory(page=event, starts_at=when(on))
    return Booking.objects.create(
        session=session,
        user=user,
        agency=user.agency,
        status=BookingStatus.BOOKED,
        attendance=attendance,
    )


def requirement_world() -> SimpleNamespace:
    """Rule (created 1 Jan 2025): police attend reflective supervision or missing children,
    within 6 months of joining, again every 36 months. Statuses as at NOW (1 June 2026)."""
    police = AgencyFactory(name="Police", slug="police", sector=Sector.POLICE)
    health = AgencyFactory(name="Health", slug="health", sector=Sector.HEALTH)
    supervision = EventPageFactory(title="Reflective supervision")
    missing = EventPageFactory(title="Missing children across agencies")
    rule = EventRequirement(sectors=[Sector.POLICE], due_within_months=6, renew_every_months=36)
    rule.save()
    rule.events.set([supervision, missing])
    rule.save()
    EventRequirement.objects.filter(pk=rule.pk).update(created_at=when("2025-01-01"))

    def person(agency, joined, name):
        user = UserFactory(agency=agency, last_name=name)
        user.date_joined = when(joined)
        user.save()
        return user

    # met: attended missing children on 10 March 2026: complete until 10 March 2029.
    met = person(police, "2024-01-01", "Adams")
    _attended(met, missing, "2026-03-10")
    # overdue: never attended; due 1 July 2025 (the rule's date + 6 months).
    overdue = person(police, "2024-01-01", "Baker")
    # due: joined 1 May 2026, due 1 November 2026.
    due = person(police, "2026-05-01", "Clark")
    # lapsed: attended reflective supervision on 15 January 2023: expired 15 January 2026.
    lapsed = person(police, "2020-01-01", "Davies")
    _attended(lapsed, supervision, "2023-01-15")
    # no_show: booked, did not attend on 1 April 2026: still overdue.
    no_show = person(police, "2024-01-01", "Evans")
    _attended(no_show, supervision, "2026-04-01", attendance="did_not_attend")
    # health: attended, but the rule is not for health.
    nurse = person(health, "2024-01-01", "Fox")
    _attended(nurse, supervision, "2026-03-10")
    return SimpleNamespace(**locals())
