"""Every report table as plain rows: the screen, CSV, XLSX and PDF all render these, so an
export always says exactly what the screen says."""

from dataclasses import dataclass, field

from django.utils import timezone

from reports.selectors.evaluation import evaluation_summaries, reporting_year
from reports.selectors.figures import FigureRow, course_figures, monthly_trend
from reports.selectors.insight import scenario_insight
from reports.selectors.requirements import other_requirement_figures
from reports.selectors.scope import ReportFilters
from reports.selectors.staff import STATUS_LABELS, staff_statuses
from reports.selectors.traceability import traceability_matrix

NOT_APPLICABLE = "n/a"
GROUP_NAMES = {"sector": "Sector", "agency": "Agency", "team": "Team", "job_role": "Job role"}
FIGURE_COLUMNS = [
    "Required",
    "Enrolled",
    "In progress",
    "Completed",
    "Overdue",
    "Refresher due",
    "Headcount",
    "Registered learners",
    "Coverage of headcount (%)",
    "Coverage of registered learners (%)",
]


@dataclass
class Table:
    """A titled table: the unit of the screen, the exports and the charts."""

    name: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    row_ids: list = field(default_factory=list)  # e.g. user ids for the staff list checkboxes

    @property
    def identified_rows(self) -> list[tuple]:
        return list(zip(self.row_ids, self.rows, strict=True))

    def column(self, heading: str) -> list:
        index = self.columns.index(heading)
        return [row[index] for row in self.rows]


def _cell(value):
    return NOT_APPLICABLE if value is None else value


def _figures(row: FigureRow) -> list:
    return [
        _cell(v)
        for v in (
            row.required,
            row.enrolled,
            row.in_progress,
            row.completed,
            row.overdue,
            row.refresher_due,
            row.headcount,
            row.registered,
            row.coverage_headcount,
            row.coverage_registered,
        )
    ]


def figures_table(*, viewer, filters: ReportFilters) -> Table:
    """Totals per course and module over the viewer's agencies."""
    rows = course_figures(viewer=viewer, filters=filters, group_by=None)
    return Table(
        name="figures",
        title="Completion by course and module",
        columns=["Course", "Module", *FIGURE_COLUMNS],
        rows=[[r.course_title, r.module_title or "Whole course", *_figures(r)] for r in rows],
        note="Module rows: enrolled means started the module. Refresher due is per course.",
    )


def breakdown_table(*, viewer, filters: ReportFilters) -> Table:
    """Figures per course (and per module when one course is chosen) for each group."""
    group = filters.group_by if filters.group_by in GROUP_NAMES else "agency"
    rows = course_figures(
        viewer=viewer,
        filters=filters,
        group_by=group,
        include_modules=filters.course_id is not None,
    )
    return Table(
        name="breakdown",
        title=f"Completion by {GROUP_NAMES[group].lower()}",
        columns=[GROUP_NAMES[group], "Course", "Module", *FIGURE_COLUMNS],
        rows=[
            [r.group_label, r.course_title, r.module_title or "Whole course", *_figures(r)]
            for r in rows
        ],
        note="Headcount is declared by each agency; it is not available for teams or job roles.",
    )


def required_events_table(*, viewer, filters: ReportFilters) -> Table:
    """Required training events per group: who must attend, who has, who is overdue."""
    group = filters.group_by if filters.group_by in GROUP_NAMES else "agency"
    rows = other_requirement_figures(viewer=viewer, filters=filters, group_by=group)
    return Table(
        name="required_events",
        title="Required training events",
        columns=[
            GROUP_NAMES[group],
            "Requirement",
            "Required",
            "Met",
            "Due",
            "Overdue",
            "Refresher due",
            "Met (%)",
        ],
        rows=[
            [
                r.group_label,
                r.title,
                r.required,
                r.met,
                r.due,
                r.overdue,
                r.refresher_due,
                _cell(r.coverage),
            ]
            for r in rows
        ],
        note="Met: attended one of the events within its renewal period, as at the end of the "
        "date range. Refresher due: attended, but longer ago than that.",
    )


def trend_table(*, viewer, filters: ReportFilters) -> Table:
    """First enrolments and completions per month."""
    points = monthly_trend(viewer=viewer, filters=filters)
    return Table(
        name="trend",
        title="Monthly trend",
        columns=["Month", "First enrolments", "Completions"],
        rows=[[p.month.strftime("%B %Y"), p.enrolled, p.completed] for p in points],
        note="Completions count each person's latest completion of a course that stands.",
    )


def staff_table(*, viewer, filters: ReportFilters) -> Table:
    """One agency's staff, overdue first."""
    staff = staff_statuses(viewer=viewer, filters=filters)
    statuses = ["overdue", "refresher_due", "in_progress", "due", "completed"]
    return Table(
        name="staff",
        title="Staff",
        columns=["Name", "Email", "Team", "Job role", "Status"]
        + [STATUS_LABELS[s] for s in statuses],
        rows=[
            [s.name, s.email, s.team, s.job_role, s.status_label]
            + ["; ".join(s.courses.get(status, [])) for status in statuses]
            for s in staff
        ],
        row_ids=[s.user_id for s in staff],
    )


def insight_table(*, viewer, filters: ReportFilters) -> Table:
    """Choices at each scenario decision by practice rating and agency sector, suppressed."""
    sectors, decisions = scenario_insight(viewer=viewer, filters=filters)
    rows = [
        [d.scenario_title, d.question, line.label, line.rating.capitalize()]
        + [line.counts[value] for value, _ in sectors]
        for d in decisions
        for line in d.choices
    ]
    return Table(
        name="insight",
        title="Scenario choices by practice rating and sector",
        columns=["Scenario", "Decision", "Choice", "Practice rating"]
        + [label for _, label in sectors],
        rows=rows,
        note="Each count is of distinct practitioners. Where fewer than 5 made a choice "
        "(none included), it shows as “fewer than 5” so that nobody can be identified.",
    )


def traceability_table(*, viewer, filters: ReportFilters) -> Table:
    """What serves each review reference and how many practitioners in scope completed it."""
    _, rows = traceability_matrix(viewer=viewer, filters=filters)
    return Table(
        name="traceability",
        title="Review traceability",
        columns=[
            "Reference",
            "Title",
            "Courses",
            "Modules",
            "Scenarios",
            "Events",
            "Platform features",
            "Completed",
            "Headcount",
            "Coverage of headcount (%)",
            "Registered learners",
        ],
        rows=[
            [
                r.code,
                r.title,
                "; ".join(c.title for c in r.courses if c.whole_course),
                "; ".join(f"{c.title}: {m.title}" for c in r.courses for m in c.modules),
                "; ".join(s.title for s in r.scenarios),
                "; ".join(e.title for e in r.events),
                "; ".join(r.features),
                r.coverage.completed,
                r.coverage.headcount,
                _cell(r.coverage.headcount_percent),
                r.coverage.registered,
            ]
            for r in rows
        ],
        note="Practitioners who hold a valid completion of a course, completed a module or "
        "finished a scenario decision that serves the reference. Fewer than 5 shows as "
        "“fewer than 5” so that nobody can be identified.",
    )


def evaluation_table(*, viewer, filters: ReportFilters) -> Table:
    """Evaluation responses and practice change per course."""
    summaries = evaluation_summaries(viewer=viewer, filters=filters)
    return Table(
        name="evaluation",
        title="Evaluation",
        columns=[
            "Course",
            "Responses",
            "Usefulness (1 to 5)",
            "Follow-ups sent",
            "Follow-ups answered",
            "Practice changed: yes",
            "Practice changed: partly",
            "Practice changed: no",
        ],
        rows=[
            [
                s.course_title,
                s.responses,
                _cell(s.usefulness),
                s.follow_ups_sent,
                s.follow_ups_answered,
                *s.practice_changed.values(),
            ]
            for s in summaries
        ],
        note=_evaluation_note(filters),
    )


def _evaluation_note(filters: ReportFilters) -> str:
    first, last = reporting_year(on=timezone.localdate(filters.at))
    return (
        f"Figures cover the whole reporting year {first:%-d %B %Y} to {last:%-d %B %Y}, whatever "
        "dates are chosen, so that two date ranges cannot be compared to single anyone out. "
        "Averages are not shown for fewer than 5 responses."
    )


def confidence_table(*, viewer, filters: ReportFilters) -> Table:
    """Average confidence before and after, per learning outcome (5 or more responses)."""
    summaries = evaluation_summaries(viewer=viewer, filters=filters)
    return Table(
        name="confidence",
        title="Confidence before and after (1 to 5)",
        columns=["Course", "Learning outcome", "Before", "After"],
        rows=[[s.course_title, o, b, a] for s in summaries for o, b, a in s.outcomes],
    )


BUILDERS = {
    "figures": figures_table,
    "breakdown": breakdown_table,
    "trend": trend_table,
    "required_events": required_events_table,
    "staff": staff_table,
    "insight": insight_table,
    "traceability": traceability_table,
    "evaluation": evaluation_table,
    "confidence": confidence_table,
}


def report_table(*, name: str, viewer, filters: ReportFilters) -> Table:
    """Build one table by name; KeyError for an unknown name. Scoped as its selector."""
    return BUILDERS[name](viewer=viewer, filters=filters)
