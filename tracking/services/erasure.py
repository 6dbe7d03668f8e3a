"""Erasure and retention for tracking: a person's xAPI statements here and at destinations.

An LRS keeps statements immutable, but a person's right to erasure (UK GDPR Article 17) comes
first. So an erased person's statements are deleted from the embedded LRS, not anonymised: an
"anonymous" statement about one practitioner in a small team is still about them. Each
destination that received any of them is sent a voiding statement for each one (Data 2.3.2),
through the ordinary outbox so that it is retried and visible on the destination's status page.
The voiding statements are the platform's own (its authority and a system actor) and hold only
the target statement's id, so they keep no personal data.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracking.lrs.agents import agent_ifi
from tracking.lrs.models import Document, IndexKind, Statement
from tracking.lrs.services import platform_authority, statement_store, xapi_timestamp
from tracking.models import Delivery, DeliveryState
from tracking.services import destinations_kick_on_commit
from tracking.statements import actor_account
from tracking.vocabulary import VERB_VOIDED

# The actor of erasure notices: the platform itself, never the erased person.
ERASURE_ACTOR = {
    "objectType": "Agent",
    "account": {"homePage": settings.SITE_URL, "name": "platform-erasure"},
}
ERASURE_NAMESPACE = uuid.UUID("0d3b5c1e-3a4f-4c55-9a2e-6f1d9e4c7b21")


def _person_statements(*, ifi: str):
    return Statement.objects.filter(
        Q(actor_ifi=ifi)
        | Q(refs__kind__in=[IndexKind.AGENT, IndexKind.RELATED_AGENT], refs__value=ifi)
    ).distinct()


def person_statements_erase(*, user) -> dict:
    """Delete the person's statements and documents here; queue a voiding to each destination.

    Runs inside the erasure's transaction (accounts.services.person_erase). Returns counts for
    the erasure record. Idempotent: a second run finds nothing to delete or void.
    """
    ifi = agent_ifi(actor_account(user=user).as_version("1.0.3"))
    statements = _person_statements(ifi=ifi)
    received = list(
        Delivery.objects.filter(statement__in=statements)
        .exclude(state=DeliveryState.FAILED)
        .values_list("statement__statement_id", "destination_id")
        .distinct()
    )
    notices = _voidings_queue(received=received)
    documents, _ = Document.objects.filter(agent_ifi=ifi).delete()
    count = statements.count()
    Statement.objects.filter(pk__in=list(statements.values_list("pk", flat=True))).delete()
    return {
        "xapi_statements_deleted": count,
        "xapi_documents_deleted": documents,
        "xapi_voiding_notices_queued": notices,
    }


def _voidings_queue(*, received: list[tuple[uuid.UUID, int]]) -> int:
    by_target: dict[uuid.UUID, set[int]] = {}
    for target, destination_id in received:
        by_target.setdefault(target, set()).add(destination_id)
    if not by_target:
        return 0
    now = timezone.now()
    voidings = [
        {
            "id": str(uuid.uuid5(ERASURE_NAMESPACE, str(target))),
            "actor": ERASURE_ACTOR,
            "verb": {"id": VERB_VOIDED, "display": {"en-GB": "voided"}},
            "object": {"objectType": "StatementRef", "id": str(target)},
            "timestamp": xapi_timestamp(now),
        }
        for target in sorted(by_target, key=str)
    ]
    statement_store(statements=voidings, authority=platform_authority())
    pks = dict(
        Statement.objects.filter(
            statement_id__in=[uuid.UUID(v["id"]) for v in voidings]
        ).values_list("statement_id", "pk")
    )
    rows = [
        Delivery(
            destination_id=destination_id,
            statement_id=pks[uuid.uuid5(ERASURE_NAMESPACE, str(target))],
            user=None,
            verb_id=VERB_VOIDED,
            next_attempt_at=now,
        )
        for target, destinations in by_target.items()
        for destination_id in sorted(destinations)
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    destinations_kick_on_commit(destination_ids={row.destination_id for row in rows})
    return len(rows)


def tracking_retention_apply(*, now=None) -> dict:
    """Delete delivered outbox rows, and statements from other systems, past their periods.

    Periods are days in ``settings.RETENTION`` ("deliveries_sent", "client_statements"); None
    keeps for ever. The platform's own statements go only with their person (erasure), since
    the partnership's assurance rests on them. Idempotent.
    """
    now = now or timezone.now()
    periods = settings.RETENTION
    result = {"deliveries_deleted": 0, "client_statements_deleted": 0}
    with transaction.atomic():
        if periods.get("deliveries_sent") is not None:
            cutoff = now - timedelta(days=periods["deliveries_sent"])
            result["deliveries_deleted"], _ = Delivery.objects.filter(
                state=DeliveryState.SENT, sent_at__lt=cutoff
            ).delete()
        if periods.get("client_statements") is not None:
            cutoff = now - timedelta(days=periods["client_statements"])
            old = Statement.objects.filter(client__isnull=False, stored__lt=cutoff)
            result["client_statements_deleted"] = old.count()
            old.delete()
    return result
