"""Reads for tracking: which destinations take a statement, queue health, reconciliation, GDPR."""

from dataclasses import dataclass

from django.db.models import Count

from learning.models import EventKind, LearningEvent
from tracking.lrs.agents import agent_ifi
from tracking.lrs.models import Statement
from tracking.models import Delivery, DeliveryState, LRSDestination
from tracking.statements import actor_account, event_verb


@dataclass(frozen=True)
class DestinationFilter:
    """A destination's filter, loaded once per event (empty sets mean "all")."""

    destination_id: int
    agencies: frozenset
    courses: frozenset
    verbs: frozenset

    def accepts(self, *, agency_id: int | None, course_id, verb_id: str) -> bool:
        """Whether a statement with these properties goes to the destination."""
        if self.agencies and agency_id not in self.agencies:
            return False
        if self.courses and course_id not in self.courses:
            return False
        return not self.verbs or verb_id in self.verbs


def destination_filters(*, destinations=None) -> list[DestinationFilter]:
    """The filters of the given destinations, by default every active one (one query if none)."""
    if destinations is None:
        destinations = LRSDestination.objects.filter(is_active=True)
    destinations = destinations.prefetch_related("agencies", "courses")
    return [
        DestinationFilter(
            destination_id=d.pk,
            agencies=frozenset(a.pk for a in d.agencies.all()),
            courses=frozenset(c.pk for c in d.courses.all()),
            verbs=frozenset(d.verbs or []),
        )
        for d in destinations
    ]


def destination_status(*, destination: LRSDestination) -> dict:
    """Queue depth by state, the oldest waiting row and the latest failures with reasons."""
    counts = dict(
        Delivery.objects.filter(destination=destination)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    waiting = Delivery.objects.filter(
        destination=destination,
        state__in=[DeliveryState.PENDING, DeliveryState.RETRY, DeliveryState.SENDING],
    )
    failures = (
        Delivery.objects.filter(destination=destination, state=DeliveryState.FAILED)
        .select_related("statement")
        .order_by("-claimed_at", "-id")[:50]
    )
    return {
        "counts": [(state.label, counts.get(state.value, 0)) for state in DeliveryState],
        "queue_depth": waiting.count(),
        "oldest_waiting": waiting.order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
        "failed_count": counts.get(DeliveryState.FAILED, 0),
        "failures": failures,
    }


@dataclass
class ReconciliationGap:
    statement_id: str
    kind: str
    occurred_at: object
    course_id: int | None
    problem: str


def destination_reconciliation(*, destination: LRSDestination) -> dict:
    """Local completions that the destination should have, against what it acknowledged.

    A gap is a completion (or its voiding) the filter sends there with no SENT delivery:
    never queued (e.g. the destination was added later), still waiting, or failed.
    """
    (filters,) = destination_filters(destinations=LRSDestination.objects.filter(pk=destination.pk))
    kinds = [EventKind.COURSE_COMPLETED, EventKind.COURSE_PASSED, EventKind.COMPLETION_REVOKED]
    events = LearningEvent.objects.filter(kind__in=kinds).select_related("user")
    if destination.agencies.exists():
        events = events.filter(user__agency__in=destination.agencies.all())
    if destination.courses.exists():
        events = events.filter(course__in=destination.courses.all())
    deliveries = {
        str(statement_id): state
        for statement_id, state in Delivery.objects.filter(destination=destination).values_list(
            "statement__statement_id", "state"
        )
    }
    # Completions revoked since: their statements are voided here.
    voided = {
        str(statement_id)
        for statement_id in Statement.objects.filter(
            statement_id__in=events.exclude(kind=EventKind.COMPLETION_REVOKED).values("id"),
            voided=True,
        ).values_list("statement_id", flat=True)
    }
    local, acknowledged, gaps = 0, 0, []
    for event in events.order_by("occurred_at"):
        if not filters.accepts(
            agency_id=event.user.agency_id,
            course_id=event.course_id,
            verb_id=event_verb(event=event),
        ):
            continue
        if event.kind == EventKind.COMPLETION_REVOKED and str(event.id) not in deliveries:
            continue  # nothing was voided there, or the original never went
        if str(event.id) in voided and str(event.id) not in deliveries:
            continue  # revoked before it went there: the destination should never have it
        local += 1
        state = deliveries.get(str(event.id))
        if state == DeliveryState.SENT:
            acknowledged += 1
            continue
        problem = "never queued" if state is None else DeliveryState(state).label.lower()
        gaps.append(
            ReconciliationGap(
                str(event.id), event.get_kind_display(), event.occurred_at, event.course_id, problem
            )
        )
    return {"local": local, "acknowledged": acknowledged, "gaps": gaps}


def personal_data_for_user(*, user) -> dict:
    """The learner's xAPI statements in the embedded LRS, and where each was forwarded.

    The platform's own statements under "xapi_statements"; statements other systems (LRS
    clients) sent about the learner under "xapi_statements_from_other_systems", each marked
    with the system that wrote it (issue 15: the export must not pass them off as ours).
    """
    ifi = agent_ifi(actor_account(user=user).as_version("1.0.3"))
    rows = (
        Statement.objects.filter(actor_ifi=ifi)
        .order_by("stored", "pk")
        .values_list("data", "client__name")
    )
    statements, others = [], []
    for data, system in rows:
        if system is None:
            statements.append(data)
        else:
            others.append({"written_by": system, "statement": data})
    deliveries = (
        Delivery.objects.filter(user=user)
        .select_related("destination", "statement")
        .order_by("created_at")
    )
    return {
        "xapi_statements": statements,
        "xapi_statements_from_other_systems": others,
        "xapi_forwarded": [
            {
                "statement_id": str(d.statement.statement_id),
                "destination": d.destination.name,
                "state": d.state,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in deliveries
        ],
    }
