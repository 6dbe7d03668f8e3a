"""Evaluations of courses and training events, and the 8 to 12 week follow-up email asking
about practice (the same for both)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from courses.models import Completion
from learning.models import EventKind, LearningEvent
from reports.models import Evaluation, EvaluationConfidence, FollowUp

FOLLOW_UP_AFTER = timedelta(weeks=8)
FOLLOW_UP_UNTIL = timedelta(weeks=12)


class EvaluationError(ValueError):
    """The evaluation cannot be saved; the message is for the learner."""


@transaction.atomic
def evaluation_submit(
    *, user, completion: Completion, usefulness: int, confidence: list[tuple[int, int]]
) -> Evaluation:
    """Save the learner's evaluation of their completion (one per completion).

    ``confidence`` is (before, after) for each learning outcome, in order. Raises
    EvaluationError for someone else's or a revoked completion, a second evaluation, or a
    rating outside 1 to 5.
    """
    if completion.user_id != user.pk or completion.revoked_at:
        raise EvaluationError("You can only evaluate a course you have completed.")
    if Evaluation.objects.filter(completion=completion).exists():
        raise EvaluationError("You have already evaluated this course. Thank you.")
    outcomes = completion.course.learning_outcome_list
    _check_ratings(usefulness, confidence, outcomes)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                user=user, course=completion.course, completion=completion, usefulness=usefulness
            )
    except IntegrityError as error:  # a double submission
        raise EvaluationError("You have already evaluated this course. Thank you.") from error
    _confidence_save(evaluation, outcomes, confidence)
    return evaluation


@transaction.atomic
def event_evaluation_submit(
    *, user, event_completion: LearningEvent, usefulness: int, confidence: list[tuple[int, int]]
) -> Evaluation:
    """Save the person's evaluation of a training event they attended (one per attendance).

    ``event_completion`` is the EVENT_COMPLETED learning event (see
    reports.selectors.evaluation.event_evaluation_completion); the event's id, title and
    learning outcomes come from its ``extra``. Raises EvaluationError as evaluation_submit
    does. The follow-up is sent 8 to 12 weeks later, as for courses (follow_ups_send).
    """
    if event_completion.user_id != user.pk or event_completion.kind != EventKind.EVENT_COMPLETED:
        raise EvaluationError("You can only evaluate an event you have attended.")
    if Evaluation.objects.filter(event_completion=event_completion).exists():
        raise EvaluationError("You have already evaluated this event. Thank you.")
    extra = event_completion.extra
    outcomes = list(extra.get("learning_outcomes", []))
    _check_ratings(usefulness, confidence, outcomes)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                user=user,
                event_completion=event_completion,
                event_id=extra["event_id"],
                title=extra.get("event_title", "")[:255],
                usefulness=usefulness,
            )
    except IntegrityError as error:  # a double submission
        raise EvaluationError("You have already evaluated this event. Thank you.") from error
    _confidence_save(evaluation, outcomes, confidence)
    return evaluation


def _check_ratings(usefulness: int, confidence: list[tuple[int, int]], outcomes: list) -> None:
    if len(confidence) != len(outcomes):
        raise EvaluationError("Rate your confidence for every learning outcome.")
    ratings = [usefulness, *[n for pair in confidence for n in pair]]
    if any(not isinstance(n, int) or not 1 <= n <= 5 for n in ratings):
        raise EvaluationError("Ratings go from 1 to 5.")


def _confidence_save(evaluation: Evaluation, outcomes: list[str], confidence) -> None:
    EvaluationConfidence.objects.bulk_create(
        [
            EvaluationConfidence(
                evaluation=evaluation, position=n, outcome=text[:500], before=b, after=a
            )
            for n, (text, (b, a)) in enumerate(zip(outcomes, confidence, strict=True), start=1)
        ]
    )


def follow_ups_send(*, at: datetime | None = None) -> int:
    """Email the practice-change question 8 to 12 weeks after each evaluation; idempotent.

    The FollowUp row (one per evaluation) is created with the email in one transaction, so a
    rerun never sends twice. Returns the number of emails sent.
    """
    at = at or timezone.now()
    due = Evaluation.objects.filter(
        submitted_at__lte=at - FOLLOW_UP_AFTER,
        submitted_at__gt=at - FOLLOW_UP_UNTIL,
        follow_up__isnull=True,
        user__is_active=True,
    ).select_related("user", "course")
    sent = 0  # courses and training events alike
    for evaluation in due:
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.create(evaluation=evaluation, sent_at=at)
                path = reverse("reports:follow_up", args=[follow_up.token])
                send_mail(
                    subject=f"Has your practice changed? {evaluation.subject_title}",
                    message=render_to_string(
                        "reports/email/follow_up.txt",
                        {
                            "evaluation": evaluation,
                            "url": f"{settings.SITE_URL.rstrip('/')}{path}",
                        },
                    ),
                    from_email=None,
                    recipient_list=[evaluation.user.email],
                )
        except IntegrityError:  # another run got there first
            continue
        sent += 1
    return sent


@transaction.atomic
def follow_up_answer(*, follow_up: FollowUp, user, practice_changed: str, example: str) -> FollowUp:
    """Record the learner's answer (they may change it); raises EvaluationError if not theirs."""
    if follow_up.evaluation.user_id != user.pk:
        raise EvaluationError("This question was sent to someone else.")
    follow_up.practice_changed = practice_changed
    follow_up.example = example.strip()
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["practice_changed", "example", "answered_at"])
    return follow_up
