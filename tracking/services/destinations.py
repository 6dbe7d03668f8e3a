"""Admin actions on destinations: create, change the secret, retry failures, resume."""

from django.db import transaction
from django.utils import timezone

from tracking.credentials import secret_encrypt
from tracking.models import Delivery, DeliveryState, LRSDestination
from tracking.services import destinations_kick_on_commit


@transaction.atomic
def destination_create(
    *, name: str, endpoint: str, username: str, secret: str, agencies=(), courses=(), **fields
) -> LRSDestination:
    """Create a destination with its secret encrypted; raises ValidationError for bad fields."""
    destination = LRSDestination(name=name, endpoint=endpoint, username=username, **fields)
    destination.secret_encrypted = secret_encrypt(secret=secret)
    destination.full_clean()
    destination.save()
    destination.agencies.set(agencies)
    destination.courses.set(courses)
    return destination


def destination_secret_set(*, destination: LRSDestination, secret: str) -> None:
    """Store a new secret (encrypted); resumes delivery if the old one was refused."""
    destination.secret_encrypted = secret_encrypt(secret=secret)
    destination.save(update_fields=["secret_encrypted"])
    destination_resume(destination=destination)


@transaction.atomic
def destination_resume(*, destination: LRSDestination) -> int:
    """Clear a pause; rows failed by the refused credentials go back in the queue. Idempotent."""
    LRSDestination.objects.filter(pk=destination.pk).update(paused_reason="")
    destination.paused_reason = ""
    count = Delivery.objects.filter(
        destination=destination, state=DeliveryState.FAILED, last_status__in=[401, 403]
    ).update(state=DeliveryState.RETRY, next_attempt_at=timezone.now(), attempts=0)
    destinations_kick_on_commit(destination_ids={destination.pk}, force=True)
    return count


@transaction.atomic
def deliveries_retry(*, destination: LRSDestination, delivery_id: int | None = None) -> int:
    """Queue one failed row (or all failed rows) again with fresh attempts; returns how many."""
    rows = Delivery.objects.filter(destination=destination, state=DeliveryState.FAILED)
    if delivery_id is not None:
        rows = rows.filter(pk=delivery_id)
    count = rows.update(state=DeliveryState.RETRY, next_attempt_at=timezone.now(), attempts=0)
    if count:
        destinations_kick_on_commit(destination_ids={destination.pk}, force=True)
    return count


@transaction.atomic
def deliveries_backfill(*, destination: LRSDestination) -> int:
    """Queue the completions reconciliation found never queued (e.g. before the destination
    existed); idempotent (one row per statement and destination). Returns how many."""
    from learning.models import LearningEvent
    from tracking.lrs.models import Statement
    from tracking.selectors import destination_reconciliation

    gaps = [
        g
        for g in destination_reconciliation(destination=destination)["gaps"]
        if g.problem == "never queued"
    ]
    events = LearningEvent.objects.in_bulk([g.statement_id for g in gaps])
    statements = {
        sid: (pk, verb_id)
        for sid, pk, verb_id in Statement.objects.filter(
            statement_id__in=[g.statement_id for g in gaps], voided=False
        ).values_list("statement_id", "pk", "verb_id")
    }
    now = timezone.now()
    rows = [
        Delivery(
            destination=destination,
            statement_id=statements[event.id][0],
            user_id=event.user_id,
            verb_id=statements[event.id][1],
            course_id=event.course_id,
            next_attempt_at=now,
        )
        for event in events.values()
        if event.id in statements
    ]
    created = Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if created:
        destinations_kick_on_commit(destination_ids={destination.pk}, force=True)
    return len(rows)
