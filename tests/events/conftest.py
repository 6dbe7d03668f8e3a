"""Fixtures for events: a session, learners in two agencies, a trainer, a lead."""

from datetime import timedelta

import pytest
import time_machine

from accounts.roles import Role
from events.services.attendance import register_mark
from events.services.booking import booking_cancel, booking_create
from learning.models import LearningEvent
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.events.factories import EventSessionFactory


@pytest.fixture
def session(db):
    return EventSessionFactory(page__title="Reflective supervision", capacity=2)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Oldham Council")


@pytest.fixture
def learners(agency):
    return [UserFactory(agency=agency, first_name=f"L{n}") for n in range(4)]


@pytest.fixture
def trainer(session):
    user = UserFactory(first_name="Tara", last_name="Trainer", roles=[Role.TRAINER])
    session.trainers.add(user)
    session.save()
    return user


@pytest.fixture
def lead(agency):
    return UserFactory(agency=agency, roles=[Role.AGENCY_LEAD], first_name="Lee")


def training_event_journey(user) -> list[LearningEvent]:
    """Every training-event kind: book, cancel, book again, attend, correct, attend again."""
    trainer = UserFactory(roles=[Role.TRAINER])
    session = EventSessionFactory(page__title="Missing children across agencies", capacity=5)
    session.trainers.add(trainer)
    session.save()
    first = booking_create(user=user, session=session)
    booking_cancel(booking=first, user=user)
    booking = booking_create(user=user, session=session)
    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        register_mark(session=session, marks={booking.pk: "attended"}, marked_by=trainer)
        register_mark(session=session, marks={booking.pk: "did_not_attend"}, marked_by=trainer)
        register_mark(session=session, marks={booking.pk: "late"}, marked_by=trainer)
    return list(
        LearningEvent.objects.filter(user=user, activity=f"event-session:{session.pk}").order_by(
            "occurred_at"
        )
    )


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Call a service as a request would: its on-commit callbacks (emails) run when it returns."""

    def call(service, **kwargs):
        # Callbacks enqueued by callbacks (a publish's task, then its emails) run too.
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call
