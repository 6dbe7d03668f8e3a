"""Celery tasks for the directory; each calls one service."""

from celery import shared_task

from directory.services import review_reminders_send
from directory.services.erasure import directory_retention_apply


@shared_task(name="directory.review_reminders_send", soft_time_limit=300, time_limit=360)
def review_reminders_send_task() -> int:
    """Weekly: email each assurer the entries not assured for 12 months (see config/celery.py)."""
    return review_reminders_send()


@shared_task(name="directory.retention_apply", soft_time_limit=300, time_limit=360)
def retention_apply_task() -> dict:
    """Drop reporters' addresses from long-resolved problem reports (daily, beat)."""
    return directory_retention_apply()
