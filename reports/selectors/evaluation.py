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
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from courses.models import Completion
from learning.models import EventKind, LearningEvent
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
    """One course's or training event's evaluation figures (``course_id`` None for an event)."""

    course_id: int | None
    course_title: str
    responses: int | str
    event_id: int | None = None
    usefulness: float | None = None
    outcomes: list[tuple[str, float, float]] = field(default_factory=list)
    period: tuple[date, date] | None = None
    follow_ups_sent: int | str = 0
    follow_ups_answered: int | str = 0
    practice_changed: dict[str, int | str] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return self.responses == SUPPRESSED


def _aggregates(evaluations, left_out_of, key: str) -> dict:
    """Responses, averages, outcome averages and follow-ups per ``key`` (course_id, event_id)."""
    rows = evaluations.filter(**{f"{key}__isnull": False})
    left_out = {}
    if left_out_of is not None:
        left_out = dict(
            left_out_of.filter(**{f"{key}__isnull": False})
            .values_list(key)
            .annotate(n=Count("id"))
            .order_by()
        )
    totals = {
        item[key]: item
        for item in rows.values(key)
        .annotate(n=Count("id"), usefulness=Avg("usefulness"), title=Max("title"))
        .order_by()
    }
    outcomes: dict[int, list] = {}
    for item in (
        EvaluationConfidence.objects.filter(evaluation__in=rows)
        .values(f"evaluation__{key}", "position")
        .annotate(text=Max("outcome"), before=Avg("before"), after=Avg("after"))
        .order_by(f"evaluation__{key}", "position")
    ):
        outcomes.setdefault(item[f"evaluation__{key}"], []).append(item)
    follow = {
        item[f"evaluation__{key}"]: item
        for item in FollowUp.objects.filter(evaluation__in=rows)
        .values(f"evaluation__{key}")
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
    return {"left_out": left_out, "totals": totals, "outcomes": outcomes, "follow": follow}


def _summary(pk, title, figures: dict, outcome_texts, period, **ids) -> EvaluationSummary | None:
    total = figures["totals"].get(pk)
    if not total:
        return None
    summary = EvaluationSummary(responses=suppress(total["n"]), course_title=title, **ids)
    summary.period = period
    if 0 < figures["left_out"].get(pk, 0) < SUPPRESSION_THRESHOLD:
        summary.responses = SUPPRESSED
        return summary
    if total["n"] >= SUPPRESSION_THRESHOLD:
        summary.usefulness = round(total["usefulness"], 1)
        items = figures["outcomes"].get(pk, [])
        texts = outcome_texts() if items else []
        for item in items:
            position = item["position"]
            text = texts[position - 1] if position <= len(texts) else item["text"]
            summary.outcomes.append((text, round(item["before"], 1), round(item["after"], 1)))
    ups = figures["follow"].get(pk, {})
    summary.follow_ups_sent = suppress(ups.get("sent", 0))
    summary.follow_ups_answered = suppress(ups.get("answered", 0))
    summary.practice_changed = {
        label: suppress(ups.get(value, 0)) for value, label in PracticeChange.choices
    }
    return summary


def evaluation_summaries(*, viewer, filters: ReportFilters) -> list[EvaluationSummary]:
    """Per course, then per training event, over one whole reporting year and the viewer's
    agencies; small numbers hidden.

    Fewer than 5 responses shows no averages or breakdowns; see the module docstring for why
    the date range snaps to a reporting year and how narrowing to one agency is guarded. Events
    are left out when the report is narrowed to one course.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    courses = report_courses(course_id=filters.course_id)
    first, last = reporting_year(on=timezone.localdate(filters.at))
    in_year = Evaluation.objects.filter(
        submitted_at__gte=timezone.make_aware(datetime.combine(first, time.min)),
        submitted_at__lte=timezone.make_aware(datetime.combine(last, time.max)),
    )
    evaluations = in_year.filter(user__agency_id__in=agency_ids)
    left_out_of = None
    if filters.agency_id is not None:
        scope = report_agency_ids(viewer=viewer)
        left_out_of = in_year.filter(user__agency_id__in=scope).exclude(
            user__agency_id=filters.agency_id
        )
    period = (first, last)
    figures = _aggregates(evaluations, left_out_of, "course_id")
    result = []
    for course in courses:
        summary = _summary(
            course.pk,
            course.title,
            figures,
            lambda course=course: course.specific.learning_outcome_list,
            period,
            course_id=course.pk,
        )
        if summary:
            result.append(summary)
    if filters.course_id is None:
        events = _aggregates(evaluations, left_out_of, "event_id")
        for event_id, total in sorted(events["totals"].items(), key=lambda i: i[1]["title"]):
            title = f"{total['title']} (training event)"
            summary = _summary(
                event_id, title, events, list, period, course_id=None, event_id=event_id
            )
            result.append(summary)
    return result


def event_evaluation_completion(*, user, registration) -> LearningEvent | None:
    """The learning event that records the person's completion of the training event booked
    under ``registration`` (attended or late), unless a later correction of the register voided
    it (EVENT_ATTENDANCE_CORRECTED, then no new completion)."""
    events = LearningEvent.objects.filter(
        user=user,
        registration=registration,
        kind__in=[EventKind.EVENT_COMPLETED, EventKind.EVENT_ATTENDANCE_CORRECTED],
    ).order_by("-occurred_at", "-pk")
    latest = events.first()
    return latest if latest and latest.kind == EventKind.EVENT_COMPLETED else None


def evaluation_completion(*, user, course_id: int) -> Completion | None:
    """The learner's latest completion of the course that was not revoked, if any."""
    return (
        Completion.objects.filter(user=user, course_id=course_id, revoked_at__isnull=True)
        .select_related("course")
        .order_by("-completed_at")
        .first()
    )
