"""Reads for learning events, and the registry of required learning owned by higher apps."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from learning.models import LearningEvent


def personal_data_for_user(*, user) -> dict:
    """A personal-data section: every learning event recorded for the user, oldest first."""
    events = LearningEvent.objects.filter(user=user).order_by("occurred_at")
    return {
        "learning_events": [
            {
                "id": str(event.id),
                "kind": event.kind,
                "activity": event.activity,
                "occurred_at": event.occurred_at.isoformat(),
                "registration": str(event.registration) if event.registration else None,
                "course_id": event.course_id,
                "module_id": event.module_id,
                "result": event.result,
                "extra": event.extra,
            }
            for event in events
        ]
    }


@dataclass(frozen=True)
class RequirementStanding:
    """Where one person stands on one required-learning rule owned by a higher app (e.g. a rule
    naming training events), as reported by a ``REQUIRED_LEARNING_PROVIDERS`` callable.

    ``status`` uses courses' words: "complete", "refresher_due", "overdue" or "due".
    """

    user_id: int
    key: str  # the rule, stable across calls: "event-requirement:3"
    title: str
    url: str  # where to meet it, e.g. the event to book
    due: datetime
    status: str
    met_at: datetime | None = None
    expires_at: datetime | None = None
    met_by: str = ""  # what met it, e.g. the event attended


def requirement_standings(*, users, at: datetime) -> list[RequirementStanding]:
    """Every provider's standings for ``users`` (a list or QuerySet of users) at ``at``.

    Courses (My learning) and reports call this, so they count required learning that apps
    above them own without importing those apps. Read-only; a fixed number of queries per
    provider whatever the number of users.
    """
    standings: list[RequirementStanding] = []
    for path in settings.REQUIRED_LEARNING_PROVIDERS:
        standings.extend(import_string(path)(users=users, at=at))
    return standings
