"""The review traceability report: what serves each learning point and recommendation, linked
to the content, and how many practitioners in the viewer's scope have completed it.

Counts are published as insight publishes them (``suppress``: 1 to 4 shows as "fewer than 5"),
here in the selector, so that the screen, the exports and the PDF show the same figures.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.module_loading import import_string

from accounts.models import Agency
from courses.models import CoursePage, ModulePage
from reports.models import CourseRollup, LinkKind, ModuleRollup, ReviewReference
from reports.selectors.figures import learners_in_scope
from reports.selectors.insight import suppress
from reports.selectors.scope import ReportFilters, report_agency_ids
from reports.selectors.summary import percent
from scenarios.models import AttemptStatus, ChoiceRecord, Scenario


@dataclass
class Link:
    title: str
    url: str = ""  # empty when the content is not published


@dataclass
class CourseLinks:
    """A course serving a reference, as a whole or through some of its modules."""

    title: str
    url: str = ""
    whole_course: bool = False
    modules: list[Link] = field(default_factory=list)


@dataclass
class ScenarioLinks:
    title: str
    url: str = ""
    decisions: int = 0  # how many of its decision points serve the reference


@dataclass
class Coverage:
    """Published completion figures for the scope: a count (maybe suppressed) and denominators."""

    completed: int | str
    headcount: int
    registered: int

    @property
    def suppressed(self) -> bool:
        return isinstance(self.completed, str)

    @property
    def headcount_percent(self) -> float | int | None:
        return None if self.suppressed else percent(self.completed, self.headcount)

    @property
    def registered_percent(self) -> float | int | None:
        return None if self.suppressed else percent(self.completed, self.registered)


@dataclass
class MatrixRow:
    code: str
    title: str
    kind: str
    courses: list[CourseLinks] = field(default_factory=list)
    scenarios: list[ScenarioLinks] = field(default_factory=list)
    events: list[Link] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    completed: dict[int, int] = field(default_factory=dict)  # agency id -> practitioners (raw)
    coverage: Coverage | None = None


def _resolve(references) -> dict:
    """Map link targets to pages and scenarios with three queries."""
    targets = {kind: set() for kind in LinkKind.values}
    for reference in references:
        for link in reference.links.all():
            targets[link.kind].add(link.target)
    course_slugs = targets[LinkKind.COURSE] | {t.split("/")[0] for t in targets[LinkKind.MODULE]}
    courses = {c.slug: c for c in CoursePage.objects.live().filter(slug__in=course_slugs)}
    by_path = {c.path: c.slug for c in courses.values()}
    modules = {}
    module_slugs = {t.split("/")[-1] for t in targets[LinkKind.MODULE]}
    for module in ModulePage.objects.live().filter(slug__in=module_slugs):
        parent = by_path.get(module.path[: -ModulePage.steplen])
        if parent:
            modules[f"{parent}/{module.slug}"] = module
    scenario_slugs = {t.split("/")[0] for t in targets[LinkKind.DECISION]}
    scenarios = {s.slug: s for s in Scenario.objects.filter(slug__in=scenario_slugs)}
    urls = {page.pk: page.url or "" for page in [*courses.values(), *modules.values()]}
    return {"courses": courses, "modules": modules, "scenarios": scenarios, "urls": urls}


def review_events() -> dict[str, list[Link]]:
    """Events serving each reference, from the callables in ``settings.REVIEW_EVENT_SOURCES``.

    Events sit beside reports in the app layers, so they are reached through the setting.
    """
    found: dict[str, list[Link]] = defaultdict(list)
    for path in settings.REVIEW_EVENT_SOURCES:
        for code, items in import_string(path)().items():
            found[code].extend(Link(title=title, url=url) for title, url in items)
    return found


def _course_entry(row: MatrixRow, by_course: dict, course: CoursePage, urls: dict) -> CourseLinks:
    """The row's entry for ``course``, added on first use (courses keep their link order)."""
    if course.pk not in by_course:
        by_course[course.pk] = CourseLinks(course.title, urls[course.pk])
        row.courses.append(by_course[course.pk])
    return by_course[course.pk]


def _course_entry(row: MatrixRow, by_course: dict, course: CoursePage, urls: dict) -> CourseLinks:
    """The row's entry for ``course``, added on first use (courses keep their link order)."""
    if course.pk not in by_course:
        by_course[course.pk] = CourseLinks(course.title, urls[course.pk])
        row.courses.append(by_course[course.pk])
    return by_course[course.pk]


def traceability_matrix(*, viewer, filters: ReportFilters) -> tuple[list[Agency], list[MatrixRow]]:
    """(agencies in scope, one row per review reference); empty rows when nothing is loaded.

    A practitioner counts for a reference when they hold a valid completion of a course that
    serves it, completed a module that serves it, or reached one of its scenario decisions in
    a finished attempt. Each row's ``coverage`` totals the agencies in scope against their
    declared headcount and registered learners, suppressed as insight is. A fixed number of
    queries whatever the number of learners or references.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    at = filters.at
    references = list(ReviewReference.objects.prefetch_related("links"))
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("name"))
    if not references:
        return agencies, []
    found = _resolve(references)
    urls = found["urls"]
    events = review_events()
    rows, annotations = [], {"registered": Count("id")}
    for reference in references:
        row = MatrixRow(
            code=reference.code,
            title=reference.title,
            kind=reference.get_kind_display(),
            events=events.get(reference.code, []),
        )
        condition = Q(pk__in=[])
        decisions: dict[str, set[str]] = defaultdict(set)
        by_course: dict[int, CourseLinks] = {}
        for link in reference.links.all():
            if link.kind == LinkKind.FEATURE:
                row.features.append(link.target)
            elif link.kind == LinkKind.COURSE and link.target in found["courses"]:
                course = found["courses"][link.target]
                _course_entry(row, by_course, course, urls).whole_course = True
                condition |= Exists(
                    CourseRollup.objects.filter(
                        Q(expires_at__isnull=True) | Q(expires_at__gt=at),
                        user=OuterRef("pk"),
                        course_id=course.pk,
                        completed_at__lte=at,
                    )
                )
            elif link.kind == LinkKind.MODULE and link.target in found["modules"]:
                module = found["modules"][link.target]
                course = found["courses"][link.target.split("/")[0]]
                entry = _course_entry(row, by_course, course, urls)
                entry.modules.append(Link(module.title, urls[module.pk]))
                condition |= Exists(
                    ModuleRollup.objects.filter(
                        user=OuterRef("pk"), module_id=module.pk, completed_at__lte=at
                    )
                )
            elif link.kind == LinkKind.DECISION and "/" in link.target:
                slug, node_key = link.target.split("/", 1)
                scenario = found["scenarios"].get(slug)
                if scenario is None:
                    row.unresolved.append(link.target)
                    continue
                decisions[slug].add(node_key)
                condition |= Exists(
                    ChoiceRecord.objects.filter(
                        attempt__learner=OuterRef("pk"),
                        attempt__scenario_id=scenario.pk,
                        attempt__status=AttemptStatus.COMPLETED,
                        attempt__is_preview=False,
                        node_key=node_key,
                        withdrawn=False,
                    )
                )
            else:
                row.unresolved.append(link.target)
        for slug, keys in decisions.items():
            scenario = found["scenarios"][slug]
            url = reverse("scenarios:detail", args=[slug]) if scenario.live else ""
            row.scenarios.append(ScenarioLinks(scenario.title, url, decisions=len(keys)))
        annotations[f"ref_{reference.pk}"] = Count("id", filter=condition)
        rows.append((reference.pk, row))
    counts = {
        item["agency_id"]: item
        for item in learners_in_scope(agency_ids=agency_ids)
        .values("agency_id")
        .annotate(**annotations)
        .order_by()
    }
    headcount = sum(a.headcount for a in agencies)
    registered = sum(item["registered"] for item in counts.values())
    for pk, row in rows:
        row.completed = {a.pk: counts.get(a.pk, {}).get(f"ref_{pk}", 0) for a in agencies}
        row.coverage = Coverage(
            completed=suppress(sum(row.completed.values())),
            headcount=headcount,
            registered=registered,
        )
    return agencies, [row for _, row in rows]
