"""The reports app's part of a learner's "Download your data" (UK GDPR right of access)."""

from typing import Any

from reports.models import Evaluation, ReportSubscription, StaffReminder


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data_for_user(*, user) -> dict[str, Any]:
    """Evaluations (with follow-up answers), reminders received and report subscriptions."""
    evaluations = (
        Evaluation.objects.filter(user=user)
        .select_related("course", "follow_up")
        .prefetch_related("confidence")
        .order_by("submitted_at")
    )
    reminders = StaffReminder.objects.filter(recipient=user).order_by("created_at")
    subscription = ReportSubscription.objects.filter(user=user).first()
    return {
        "report_evaluations": [
            {
                "course": evaluation.subject_title,
                "submitted_at": _when(evaluation.submitted_at),
                "usefulness": evaluation.usefulness,
                "confidence": [
                    {"outcome": c.outcome, "before": c.before, "after": c.after}
                    for c in sorted(evaluation.confidence.all(), key=lambda c: c.position)
                ],
                "follow_up": _follow_up(evaluation),
            }
            for evaluation in evaluations
        ],
        "report_reminders_received": [
            {"message": r.message, "created_at": _when(r.created_at), "sent_at": _when(r.sent_at)}
            for r in reminders
        ],
        "report_subscription": (
            {
                "since": _when(subscription.created_at),
                "last_sent_at": _when(subscription.last_sent_at),
            }
            if subscription
            else None
        ),
    }


def _follow_up(evaluation: Evaluation) -> dict | None:
    follow_up = getattr(evaluation, "follow_up", None)
    if follow_up is None:
        return None
    return {
        "sent_at": _when(follow_up.sent_at),
        "answered_at": _when(follow_up.answered_at),
        "practice_changed": follow_up.practice_changed,
        "example": follow_up.example,
    }
