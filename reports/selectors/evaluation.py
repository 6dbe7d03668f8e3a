"""Evaluation results: usefulness, confidence before and after, and practice change.

Averages can be differenced: the average of 6 responses and of 5 of them gives the sixth
person's answer. So the figures never follow a custom date range; they cover one whole
reporting year (April to March by default, ``REPORTING_YEAR_START_MONTH``), the one holding the
end of the range asked for, and years do not overlap. And when a viewer narrows a report to one
agency, a course's figures show only if the responses left out (the rest of the viewer's
agencies) number 0 or at least 5, so "all agencies" minus "this agency" cannot single anyone out.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.utils import timezone

from courses.models import Completion
from reports.models import Evaluation, EvaluationConfidence, FollowUp, PracticeChange
from reports.selectors.figures import report_courses
from reports.selectors.insight import SUPPRESSED, SUPPRESSION_THRESHOLD, suppress
from reports.selectors.scope import ReportFilters, report_agency_ids


def reporting_year(*, on: date) -> tuple[date, date]:
    """The first and last day of the reporting year that holds ``on``."""
    month = getattr(settings, "REPORTING_YEAR_START_MONTH", 4)
    first = date(on.year if on.month >= month else on.year - 1, month, 1)
    last = date(first.year + 1, month, 1).toordinal() - 1
    return first, date.fromordinal(last)


@dataclass
class EvaluationSummary:
    course_id: int
    course_title: str
    responses: int | str
    usefulness: float | None = None
    outcomes: list[tuple[str, float, float]] = field(default_factory=list)
    period: tuple[date, date] | None = None
    follow_ups_sent: int | str = 0
    follow_ups_answered: int | str = 0
    practice_changed: dict[str, int | str] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.responses == SUPPRESSED


def evaluation_summaries(*, viewer, filters: ReportFilters) -> list[EvaluationSummary]:
    """Per course, over one whole reporting year and the viewer's agencies; small numbers hidden.

    Fewer than 5 responses shows no averages or breakdowns; see the module docstring for why
    the date range snaps to a reporting year and how narrowing to one agency is guarded.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    courses = report_courses(course_id=filters.course_id)
    first, last = reporting_year(on=timezone.localdate(filters.at))
    in_year = Evaluation.objects.filter(
        submitted_at__gte=timezone.make_aware(datetime.combine(first, time.min)),
        submitted_at__lte=timezone.make_aware(datetime.combine(last, time.max)),
    )
    evaluations = in_year.filter(user__agency_id__in=agency_ids)
    left_out: dict[int, int] = {}
    if filters.agency_id is not None:
        scope = report_agency_ids(viewer=viewer)
        left_out = dict(
            in_year.filter(user__agency_id__in=scope)
            .exclude(user__agency_id=filters.agency_id)
            .values_list("course_id")
            .annotate(n=Count("id"))
            .order_by()
        )
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
        summary.period = (first, last)
        if 0 < left_out.get(course.pk, 0) < SUPPRESSION_THRESHOLD:
            summary.responses = SUPPRESSED
            result.append(summary)
            continue
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
