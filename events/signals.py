"""Signal receivers for events: they only enqueue work (the service does it)."""

from functools import partial

from django.db import transaction


def event_published(sender, instance, **kwargs):
    """After an event page is published, queue updated invitations for changed sessions."""
    from events.tasks import booking_updates_send_task

    transaction.on_commit(partial(booking_updates_send_task.delay, instance.pk), robust=True)
