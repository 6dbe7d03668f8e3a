"""The Celery application. Beat schedules are defined here, in code."""

import os

from celery import Celery
from celery.schedules import crontab  # noqa: F401  (used by schedules added below)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Each app adds its periodic tasks here, named "<app>.<task>".
    "accounts.leavers_deactivate": {
        "task": "accounts.leavers_deactivate",
        "schedule": crontab(hour=0, minute=5),
    },
    "courses.refresher_reminders_send": {
        "task": "courses.refresher_reminders_send",
        "schedule": crontab(hour=7, minute=0),
    },
    "courses.requirement_notifications_create": {
        "task": "courses.requirement_notifications_create",
        "schedule": crontab(hour=7, minute=5),
    },
    "courses.agency_digest_send": {
        "task": "courses.agency_digest_send",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "reports.follow_ups_send": {
        "task": "reports.follow_ups_send",
        "schedule": crontab(hour=9, minute=0),
    },
    "reports.rollup_rebuild": {
        "task": "reports.rollup_rebuild",
        "schedule": crontab(hour=2, minute=30),
    },
    "reports.monthly_reports_send": {
        "task": "reports.monthly_reports_send",
        "schedule": crontab(hour=6, minute=0, day_of_month=1),
    },
    "directory.review_reminders_send": {
        "task": "directory.review_reminders_send",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Training events: waiting-list offers expire on time; reminders a week and a day before.
    "events.offers_expire": {
        "task": "events.offers_expire",
        "schedule": 300.0,
    },
    "events.reminders_send": {
        "task": "events.reminders_send",
        "schedule": crontab(minute=15),
    },
    "events.booking_needs_forget": {
        "task": "events.booking_needs_forget",
        "schedule": crontab(hour=3, minute=50),
    },
    # The retention schedule (settings.RETENTION; docs/privacy.md), in the quiet of the night.
    "accounts.retention_apply": {
        "task": "accounts.retention_apply",
        "schedule": crontab(hour=3, minute=0),
    },
    "tracking.retention_apply": {
        "task": "tracking.retention_apply",
        "schedule": crontab(hour=3, minute=20),
    },
    "directory.retention_apply": {
        "task": "directory.retention_apply",
        "schedule": crontab(hour=3, minute=40),
    },
    # Requeues outbox rows whose worker died and starts delivery of due retries.
    "tracking.deliveries_sweep": {
        "task": "tracking.deliveries_sweep",
        "schedule": 60.0,
    },
}


@app.task(name="config.ping")
def ping() -> str:
    """Return "pong"; the CI smoke test and /health/ use it to prove a worker is running."""
    return "pong"
