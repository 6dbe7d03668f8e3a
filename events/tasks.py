"""Celery tasks for events: thin wrappers; the services do the work.

Email can fail for a while, so the email task retries those errors with backoff and jitter.
The periodic tasks are idempotent: an expired offer or a sent reminder is marked in the database.
"""

import smtplib

from celery import shared_task

from events.services.booking import (
    booking_needs_forget,
    booking_updates_send,
    offers_expire,
    reminders_send,
)
from events.services.calendar import booking_email_send

RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="events.booking_email_send", acks_late=True, **RETRY)
def booking_email_send_task(booking_id: int, kind: str) -> bool:
    """Email a person about their booking (confirmation, offer, reminder, cancellation...)."""
    return booking_email_send(booking_id=booking_id, kind=kind)


@shared_task(name="events.offers_expire", soft_time_limit=120, time_limit=180)
def offers_expire_task() -> int:
    """Every few minutes: expire waiting-list offers past their limit and offer the places on."""
    return offers_expire()


@shared_task(name="events.reminders_send", soft_time_limit=300, time_limit=360)
def reminders_send_task() -> int:
    """Hourly: reminders a week and a day before each booked session."""
    return reminders_send()


@shared_task(name="events.booking_updates_send", acks_late=True)
def booking_updates_send_task(event_id: int) -> int:
    """After an event page is published: updated invitations for sessions that changed."""
    return booking_updates_send(event_id=event_id)


@shared_task(name="events.booking_needs_forget")
def booking_needs_forget_task() -> int:
    """Nightly: forget access and dietary needs a month after the session."""
    return booking_needs_forget()
