"""Reads for learning events."""

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
