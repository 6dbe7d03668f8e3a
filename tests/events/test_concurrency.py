"""Two people booking the last place at the same moment get one place and one waiting-list place.

Runs on whichever database the suite runs on: PostgreSQL takes the session row's lock
(select_for_update); SQLite's IMMEDIATE transactions serialise the two writers instead.
"""

import threading
import time

import pytest
from django.db import connection

from events.models import BookingStatus
from events.services import booking as booking_services
from tests.accounts.factories import UserFactory
from tests.events.factories import EventSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _roles_after_a_flush():
    """Another transactional test's flush removes the role groups the migrations made."""
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_two_people_booking_the_last_place_at_once_get_one_place_and_one_waiting(monkeypatch):
    session = EventSessionFactory(capacity=2)
    booking_services.booking_create(user=UserFactory(), session=session)
    people = [UserFactory(), UserFactory()]
    has_place = booking_services._has_place

    def slow_has_place(*args, **kwargs):
        # Widen the window between counting places and taking one: without the lock both
        # threads would count the same free place.
        answer = has_place(*args, **kwargs)
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(booking_services, "_has_place", slow_has_place)
    barrier = threading.Barrier(len(people))
    results, errors = {}, []

    def book(person):
        try:
            barrier.wait()
            booking = booking_services.booking_create(user=person, session=session)
            results[person.pk] = booking.status
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results.values()) == sorted([BookingStatus.BOOKED, BookingStatus.WAITING])
    assert session.bookings.filter(status=BookingStatus.BOOKED).count() == 2
