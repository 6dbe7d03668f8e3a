"""Celery tasks for reports: thin wrappers that call the services."""

from celery import shared_task

from reports.services.evaluation import follow_ups_send
from reports.services.reminders import staff_reminder_send
from reports.services.rollup import rollup_rebuild
from reports.services.subscriptions import monthly_reports_send


@shared_task(
    name="reports.staff_reminder_send",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def staff_reminder_send_task(reminder_id: int) -> bool:
    """Send one staff reminder (idempotent)."""
    return staff_reminder_send(reminder_id=reminder_id)


@shared_task(name="reports.follow_ups_send", soft_time_limit=600, time_limit=660)
def follow_ups_send_task() -> int:
    """Send due evaluation follow-ups (daily; idempotent)."""
    return follow_ups_send()


@shared_task(name="reports.monthly_reports_send", soft_time_limit=1800, time_limit=1900)
def monthly_reports_send_task() -> int:
    """Email the monthly assurance report PDF to subscribers (idempotent per month)."""
    return monthly_reports_send()


@shared_task(name="reports.rollup_rebuild", soft_time_limit=1800, time_limit=1900)
def rollup_rebuild_task() -> tuple[int, int]:
    """Recompute the rollups nightly, so a missed event heals by the morning (idempotent)."""
    return rollup_rebuild()
