"""Certificates (a public check and the learner's own) and personal data."""

from datetime import datetime

from courses.models import (
    ActionPlan,
    Certificate,
    Completion,
    Enrolment,
    Reflection,
)


def certificate_verify(*, code: str, at: datetime | None = None) -> dict:
    """The public status of a certificate code: valid, expired, revoked or unknown."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    formatted = "-".join(normalised[i : i + 4] for i in range(0, len(normalised), 4))
    certificate = (
        Certificate.objects.select_related("completion").filter(code=formatted).first()
        if len(normalised) == 12
        else None
    )
    if certificate is None:
        return {"status": "unknown", "code": code}
    completion = certificate.completion
    if completion.revoked_at:
        status = "revoked"
    elif completion.is_expired(at):
        status = "expired"
    else:
        status = "valid"
    return {"status": status, "code": certificate.code, "certificate": certificate}


def certificate_for_user(*, user, code: str) -> Certificate | None:
    """The user's own certificate by code (None for anyone else's, or once it is revoked)."""
    return (
        Certificate.objects.select_related("completion__course")
        .filter(code=code, completion__user=user, completion__revoked_at__isnull=True)
        .first()
    )


def personal_data_for_user(*, user) -> dict:
    """Everything courses holds about a person, for a GDPR download (JSON-serialisable)."""
    enrolments = Enrolment.objects.filter(user=user).select_related("course")
    return {
        "course_action_plans": [
            {
                "course": plan.course.title,
                "actions": plan.actions,
                "support": plan.support,
                "review_by": plan.review_by.isoformat() if plan.review_by else None,
                "updated_at": plan.updated_at.isoformat(),
            }
            for plan in ActionPlan.objects.filter(user=user).select_related("course")
        ],
        "course_enrolments": [
            {
                "course": e.course.title,
                "registration": str(e.registration),
                "status": e.status,
                "enrolled_at": e.enrolled_at.isoformat(),
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
                "sections_viewed": [
                    {"module": title, "section": block_id, "viewed_at": at.isoformat()}
                    for title, block_id, at in e.sections.values_list(
                        "module__title", "block_id", "viewed_at"
                    )
                ],
                "answers": [
                    {
                        "module": a.module.title,
                        "question": a.block_id,
                        "chosen": a.chosen,
                        "correct": a.correct,
                        "answered_at": a.answered_at.isoformat(),
                    }
                    for a in e.answers.select_related("module")
                ],
            }
            for e in enrolments
        ],
        "course_reflections": [
            {"module": r.module.title, "text": r.text, "updated_at": r.updated_at.isoformat()}
            for r in Reflection.objects.filter(user=user).select_related("module")
        ],
        "course_completions": [
            {
                "course": c.course.title,
                "completed_at": c.completed_at.isoformat(),
                "expires_at": c.expires_at.isoformat() if c.expires_at else None,
                "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
                "certificate": getattr(c, "certificate", None) and c.certificate.code,
            }
            for c in Completion.objects.filter(user=user).select_related("course", "certificate")
        ],
    }
