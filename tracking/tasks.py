"""Celery tasks for forwarding statements; each calls one service (tracking.services.delivery)."""

import logging

from celery import shared_task

from tracking.services import destination_kick_clear
from tracking.services.delivery import deliveries_sweep, delivery_pending, destination_deliver
from tracking.services.erasure import tracking_retention_apply

logger = logging.getLogger(__name__)

# Below the soft limit, so a task stops between batches rather than being interrupted mid-batch.
TIME_BUDGET = 60.0


@shared_task(name="tracking.destination_deliver", soft_time_limit=120, time_limit=180)
def destination_deliver_task(destination_id: int) -> dict:
    """Deliver one destination's due rows; queues itself again while rows remain due."""
    destination_kick_clear(destination_id=destination_id)
    report = destination_deliver(destination_id=destination_id, time_budget=TIME_BUDGET)
    if report.errors:
        logger.warning("LRS destination %s: %s", destination_id, report.errors[-1])
    if report.requests and not report.paused and delivery_pending(destination_id=destination_id):
        # Out of time with rows left: carry on in a fresh task (the claim makes it safe).
        destination_deliver_task.delay(destination_id)
    return {"sent": report.sent, "retry": report.retry, "failed": report.failed}


@shared_task(name="tracking.deliveries_sweep", soft_time_limit=60, time_limit=90)
def deliveries_sweep_task() -> list[int]:
    """Requeue stuck rows and start delivery for every destination with due rows."""
    destination_ids = deliveries_sweep()
    for destination_id in destination_ids:
        destination_deliver_task.delay(destination_id)
    return destination_ids


@shared_task(name="tracking.retention_apply", soft_time_limit=1800, time_limit=2000)
def retention_apply_task() -> dict:
    """Delete delivered outbox rows and other systems' statements past their periods (daily)."""
    return tracking_retention_apply()
