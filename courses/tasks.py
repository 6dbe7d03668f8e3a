"""Celery tasks for courses: thin wrappers; the services do the work.

Email can fail for a while (an SMTP server restarting), so tasks retry those errors with
backoff, jitter and a cap. Every task is safe to rerun: certificate and assignment emails are
one message each, and refresher notices are recorded in the same transaction as their email.
"""

import smtplib

from celery import shared_task

from courses.services.certificates import (
    certificate_email_send,
    certificate_pdf_prepare,
    enrolment_assigned_email_send,
)
from courses.services.refreshers import (
    agency_digest_send,
    refresher_reminders_send,
    requirement_notifications_create,
)

RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="courses.certificate_email_send", acks_late=True, **RETRY)
def certificate_email_send_task(certificate_id: int) -> bool:
    """Email a learner their new certificate."""
    return certificate_email_send(certificate_id=certificate_id)


@shared_task(name="courses.certificate_pdf_prepare", acks_late=True)
def certificate_pdf_prepare_task(certificate_id: int) -> bool:
    """Render a new certificate's PDF before its learner asks for it."""
    return certificate_pdf_prepare(certificate_id=certificate_id)


@shared_task(name="courses.enrolment_assigned_email_send", acks_late=True, **RETRY)
def enrolment_assigned_email_send_task(enrolment_id: int) -> bool:
    """Email a learner that a course was assigned to them."""
    return enrolment_assigned_email_send(enrolment_id=enrolment_id)


@shared_task(name="courses.refresher_reminders_send", **RETRY)
def refresher_reminders_send_task() -> int:
    """Daily: refresher reminders 30 days before and on expiry (idempotent)."""
    return refresher_reminders_send()


@shared_task(name="courses.requirement_notifications_create", soft_time_limit=1800, time_limit=1900)
def requirement_notifications_create_task() -> int:
    """Daily: notify learners of required learning due soon or overdue (idempotent)."""
    return requirement_notifications_create()


@shared_task(name="courses.agency_digest_send", **RETRY)
def agency_digest_send_task() -> int:
    """Weekly: each agency lead's digest of overdue staff."""
    return agency_digest_send()
