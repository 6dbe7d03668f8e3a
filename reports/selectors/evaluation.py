"""Evaluation results: usefulness, confidence before and after, and practice change."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from courses.models import Completion
from reports.models import Evaluation, EvaluationConfidence, FollowUp, PracticeChange
from reports.selectors.figures import report_courses
from reports.selectors.insight import SUPPRESSED, SUPPRESSION_THRESHOLD, suppress
from reports.selectors.scope import ReportFilters, report_agency_ids


@dataclass
class EvaluationSummary:
    course_id: int
    course_title: str
    responses: int | str
    usefulness: float | None = None
    outcomes: list[tuple[str, float, float]] = field(default_factory=list)
    follow_ups_sent: int | str = 0
    follow_ups_answered: int | str = 0
    practice_changed: dict[str, int | str] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.responses == SUPPRESSED


def evaluation_summaries(*, viewer, filters: ReportFilters) -> list[EvaluationSummary]:
    """Per course, averages over the viewer's agencies; fewer than 5 responses shows no averages."""
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    courses = report_courses(course_id=filters.course_id)
    evaluations = Evaluation.objects.filter(
        user__agency_id__in=agency_ids, submitted_at__lte=filters.at
    )
    if filters.start:
        evaluations = evaluations.filter(submitted_at__gte=filters.start)
    totals = {
        item["course_id"]: item
        for item in evaluations.values("course_id")
        .annotate(n=Count("id"), usefulness=Avg("usefulness"))
        .order_by()
    }
    outcomes: dict[int, list] = {}
    for item in (
        EvaluationConfidence.objects.filter(evaluation__in=evaluations)
        .values("evaluation__course_id", "position")
        .annotate(outcome=Count("id"), before=Avg("before"), after=Avg("after"))
        .order_by("evaluation__course_id", "position")
    ):
        outcomes.setdefault(item["evaluation__course_id"], []).append(item)
    follow = {
        item["evaluation__course_id"]: item
        for item in FollowUp.objects.filter(evaluation__in=evaluations)
        .values("evaluation__course_id")
        .annotate(
            sent=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            **{
                choice: Count("id", filter=Q(practice_changed=choice))
                for choice in PracticeChange.values
            },
        )
        .order_by()
    }
    result = []
    for course in courses:
        total = totals.get(course.pk)
        if not total:
            continue
        summary = EvaluationSummary(course.pk, course.title, suppress(total["n"]))
        if total["n"] >= SUPPRESSION_THRESHOLD:
            summary.usefulness = round(total["usefulness"], 1)
            texts = course.specific.learning_outcome_list if outcomes.get(course.pk) else []
            for item in outcomes.get(course.pk, []):
                position = item["position"]
                text = texts[position - 1] if position <= len(texts) else f"Outcome {position}"
                summary.outcomes.append((text, round(item["before"], 1), round(item["after"], 1)))
        ups = follow.get(course.pk, {})
        summary.follow_ups_sent = suppress(ups.get("sent", 0))
        summary.follow_ups_answered = suppress(ups.get("answered", 0))
        summary.practice_changed = {
            label: suppress(ups.get(value, 0)) for value, label in PracticeChange.choices
        }
        result.append(summary)
    return result


def evaluation_completion(*, user, course_id: int) -> Completion | None:
    """The learner's latest completion of the course that was not revoked, if any."""
    return (
        Completion.objects.filter(user=user, course_id=course_id, revoked_at__isnull=True)
        .select_related("course")
        .order_by("-completed_at")
        .first()
    )
