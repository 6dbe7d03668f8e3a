"""The weekly review reminder: one email per assurer, listing what they must check."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from directory.models import ProblemReport, ReviewStatus
from directory.tasks import review_reminders_send_task
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_each_assurer_gets_one_email_listing_their_due_entries():
    ServiceFactory(name="Stale A", assurer_email="a@example.org", assured_date=days_ago(400))
    ServiceFactory(name="Due soon A", assurer_email="a@example.org", assured_date=days_ago(350))
    ServiceFactory(name="Fresh A", assurer_email="a@example.org", assured_date=days_ago(10))
    reported = ServiceFactory(name="Reported B", assurer_email="b@example.org")
    ProblemReport.objects.create(service=reported, description="Closed down")
    ServiceFactory(
        name="Archived C",
        assurer_email="c@example.org",
        assured_date=days_ago(900),
        review_status=ReviewStatus.ARCHIVED,
    )
    assert review_reminders_send_task.delay().get() == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"a@example.org", "b@example.org"}
    body_a = by_recipient["a@example.org"].body
    assert "Stale A" in body_a and "Due soon A" in body_a and "Fresh A" not in body_a
    assert "/admin/snippets/directory/service/edit/" in body_a
    assert "problems reported: 1" in by_recipient["b@example.org"].body


def test_beat_schedule_runs_the_reminder_weekly():
    from config.celery import app

    entry = app.conf.beat_schedule["directory.review_reminders_send"]
    assert entry["task"] == "directory.review_reminders_send"
    assert entry["schedule"].day_of_week == {1}
