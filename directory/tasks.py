"""Celery tasks for the directory; each calls one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from directory.services import review_reminders_send
from directory.services.erasure import directory_retention_apply
from directory.services.search_document import import_indexes_refresh

# A database restarting or a dropped connection passes; the refresh is idempotent.
RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="directory.review_reminders_send", soft_time_limit=300, time_limit=360)
def review_reminders_send_task() -> int:
    """Weekly: email each assurer the entries not assured for 12 months (see config/celery.py)."""
    return review_reminders_send()


@shared_task(name="directory.retention_apply", soft_time_limit=300, time_limit=360)
def retention_apply_task() -> dict:
    """Drop reporters' addresses from long-resolved problem reports (daily, beat)."""
    return directory_retention_apply()


@shared_task(
    name="directory.import_indexes_refresh",
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
    **RETRY,
)
def import_indexes_refresh_task(kind: str, ids: list[str]) -> int:
    """After an import: Wagtail's search and reference index entries for up to 500 rows."""
    return import_indexes_refresh(kind=kind, ids=ids)
