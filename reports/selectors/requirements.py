"""Required learning other apps own (training events to attend), counted per group.

Those rules live above reports (events), so their standings come through
``learning.selectors.requirement_standings`` (settings.REQUIRED_LEARNING_PROVIDERS); reports
only count them, by the learner's current agency, team or job role, as course figures do.
"""

from collections import defaultdict
from dataclasses import dataclass

from learning.selectors import requirement_standings
from reports.selectors.figures import group_labels, learners_in_scope
from reports.selectors.scope import GROUPINGS, ReportFilters, report_agency_ids


@dataclass
class RequirementRow:
    """One group's figures for one rule: who it applies to and how many have met it."""

    group: object
    group_label: str
    title: str
    required: int = 0
    met: int = 0
    due: int = 0
    overdue: int = 0
    refresher_due: int = 0

    @property
    def coverage(self) -> float | None:
        """Met as a percentage of those it applies to (None when it applies to nobody)."""
        return round(100 * self.met / self.required, 1) if self.required else None


def other_requirement_figures(
    *, viewer, filters: ReportFilters, group_by: str | None = None
) -> list[RequirementRow]:
    """Per group and rule: required, met, due, overdue and refresher due, as at ``filters.at``.

    Scoped to the viewer's agencies (PermissionDenied / Http404 as report_agency_ids); people
    who have left or are not approved are not counted, as in course figures. Raises ValueError
    for an unknown grouping.
    """
    if group_by is not None and group_by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {group_by!r}")
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    people = learners_in_scope(agency_ids=agency_ids)
    key = GROUPINGS[group_by] if group_by else None
    group_of = dict(people.values_list("pk", key)) if key else {}
    labels = group_labels(group_by=group_by, agency_ids=agency_ids)
    counts: dict[tuple, RequirementRow] = {}
    titles: dict[str, str] = {}
    for standing in requirement_standings(users=people, at=filters.at):
        group = group_of.get(standing.user_id) if key else None
        titles.setdefault(standing.key, standing.title)
        row = counts.get((group, standing.key))
        if row is None:
            label = labels.get(group, "Unknown")
            row = counts[(group, standing.key)] = RequirementRow(group, label, standing.title)
        row.required += 1
        if standing.status == "complete":
            row.met += 1
        else:
            setattr(row, standing.status, getattr(row, standing.status) + 1)
    for group, _ in counts:
        labels.setdefault(group, "Unknown")
    by_group = defaultdict(list)
    for (group, rule), row in counts.items():
        by_group[group].append((row.title, rule, row))
    rows = []
    for group, _label in sorted(labels.items(), key=lambda item: (item[0] is None, item[1])):
        rows.extend(row for _, _, row in sorted(by_group.get(group, []), key=lambda r: r[:2]))
    return rows
