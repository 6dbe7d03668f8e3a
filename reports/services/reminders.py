"""Reminders an agency lead sends to chosen staff, one outbox row and one email per person."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from reports.models import StaffReminder
from reports.selectors.figures import learners_in_scope
from reports.selectors.scope import report_agency_ids


class ReminderError(ValueError):
    """The reminder cannot be sent; the message is for the lead."""


@transaction.atomic
def staff_reminders_create(
    *, sender, user_ids: list[int], message: str = "", agency_id: int | None = None
) -> list[StaffReminder]:
    """Queue a reminder email to each chosen member of staff; sent by a task after commit.

    Raises ReminderError when nobody is chosen or anyone chosen is outside the sender's scope
    (nothing is queued then), and PermissionDenied / Http404 as report_agency_ids.
    """
    agency_ids = report_agency_ids(viewer=sender, agency_id=agency_id)
    wanted = set(user_ids)
    if not wanted:
        raise ReminderError("Choose at least one person to remind.")
    allowed = set(
        learners_in_scope(agency_ids=agency_ids).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ReminderError("You can only remind staff in your own agency.")
    reminders = StaffReminder.objects.bulk_create(
        [
            StaffReminder(sender=sender, recipient_id=pk, message=message.strip())
            for pk in sorted(wanted)
        ]
    )
    from reports.tasks import staff_reminder_send_task

    for reminder in reminders:
        transaction.on_commit(partial(staff_reminder_send_task.delay, reminder.pk), robust=True)
    return reminders


def staff_reminder_send(*, reminder_id: int) -> bool:
    """Send one queued reminder; idempotent (a sent or missing reminder is skipped)."""
    with transaction.atomic():
        reminder = (
            StaffReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "sender")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        send_mail(
            subject="Reminder: your safeguarding training",
            message=render_to_string(
                "reports/email/reminder.txt",
                {"reminder": reminder, "site_url": settings.SITE_URL.rstrip("/")},
            ),
            from_email=None,
            recipient_list=[reminder.recipient.email],
        )
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return True
