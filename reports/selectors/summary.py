"""The executive summary on the first page of the board's assurance report."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from accounts.models import Agency
from courses.models import CoursePage
from courses.models.pages import Topic
from reports.models import CourseRollup
from reports.selectors.figures import course_figures, learners_in_scope, monthly_trend
from reports.selectors.scope import ReportFilters, report_agency_ids

# The three themes of the practice review, in the order the review sets them out.
REVIEW_THEMES = (Topic.MISSING_CHILDREN, Topic.PROFESSIONAL_CURIOSITY, Topic.CULTURAL_COMPETENCE)


def percent(part: int, whole: int | None) -> float | int | None:
    """``part`` as a percentage of ``whole``, None when there is no whole: a whole number from
    10%, one decimal place below it (16 of 3,925 is 0.4%, not a misleading 0%)."""
    if not whole:
        return None
    value = 100 * part / whole
    return round(value) if value >= 10 or value == 0 else round(value, 1)


@dataclass
class ThemeLine:
    theme: str
    course_title: str
    completed: int
    percent: int | None  # of the declared headcount


@dataclass
class BoardSummary:
    headcount: int
    registered: int
    trained: int  # people holding a valid completion of at least one course
    required: int  # person-course requirements
    required_met: int
    overdue: int
    themes: list[ThemeLine] = field(default_factory=list)
    latest_month: str = ""
    latest_completed: int | None = None
    previous_month: str = ""
    previous_completed: int | None = None

    @property
    def trained_percent(self) -> int | None:
        return percent(self.trained, self.headcount)

    @property
    def required_met_percent(self) -> int | None:
        return percent(self.required_met, self.required)


def board_summary(*, viewer, filters: ReportFilters) -> BoardSummary:
    """Headline coverage, required learning, each review theme and the month-on-month trend.

    Scoped as report_agency_ids (PermissionDenied / Http404); a fixed number of queries. The
    trend compares the last two whole months before ``filters.at``, when both are in range.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    at = filters.at
    course_rows = course_figures(viewer=viewer, filters=filters, include_modules=False)
    headcount = sum(Agency.objects.filter(pk__in=agency_ids).values_list("headcount", flat=True), 0)
    valid = CourseRollup.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=at),
        user=OuterRef("pk"),
        completed_at__lte=at,
    )
    learners = learners_in_scope(agency_ids=agency_ids)
    summary = BoardSummary(
        headcount=headcount,
        registered=learners.count(),
        trained=learners.filter(Exists(valid)).count(),
        required=sum(r.required for r in course_rows),
        required_met=sum(r.required_met for r in course_rows),
        overdue=sum(r.overdue for r in course_rows),
    )
    topics = dict(CoursePage.objects.live().values_list("pk", "topic"))
    for theme in REVIEW_THEMES:
        for row in course_rows:
            if topics.get(row.course_id) == theme:
                summary.themes.append(
                    ThemeLine(
                        theme=theme.label,
                        course_title=row.course_title,
                        completed=row.completed,
                        percent=percent(row.completed, headcount),
                    )
                )
    points = monthly_trend(viewer=viewer, filters=filters)[:-1]  # the current month is partial
    if len(points) >= 2:
        last, previous = points[-1], points[-2]
        summary.latest_month, summary.latest_completed = f"{last.month:%B %Y}", last.completed
        summary.previous_month = f"{previous.month:%B %Y}"
        summary.previous_completed = previous.completed
    return summary
