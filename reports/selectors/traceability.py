"""The review traceability matrix: what serves each learning point and recommendation, and how
many practitioners in each agency have completed it."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import Agency
from courses.models import CoursePage, ModulePage
from reports.models import CourseRollup, LinkKind, ModuleRollup, ReviewReference
from reports.selectors.figures import learners_in_scope
from reports.selectors.scope import ReportFilters, report_agency_ids
from scenarios.models import AttemptStatus, ChoiceRecord, Scenario


@dataclass
class MatrixRow:
    code: str
    title: str
    courses: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    completed: dict[int, int] = field(default_factory=dict)  # agency id -> practitioners


def _resolve(references) -> dict:
    """Map link targets to ids and titles with three queries."""
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
    return {"courses": courses, "modules": modules, "scenarios": scenarios}


def traceability_matrix(*, viewer, filters: ReportFilters) -> tuple[list[Agency], list[MatrixRow]]:
    """(agencies in scope, one row per review reference); empty rows when nothing is loaded.

    A practitioner counts for a reference when they hold a valid completion of a course that
    serves it, completed a module that serves it, or reached one of its scenario decisions in
    a finished attempt. Four queries plus one aggregate, whatever the number of learners.
    """
    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    at = filters.at
    references = list(ReviewReference.objects.prefetch_related("links"))
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("name"))
    if not references:
        return agencies, []
    found = _resolve(references)
    rows, annotations = [], {}
    decisions: dict[int, dict[str, list[str]]] = {}
    for reference in references:
        row = MatrixRow(code=reference.code, title=reference.title)
        condition = Q(pk__in=[])
        for link in reference.links.all():
            if link.kind == LinkKind.FEATURE:
                row.features.append(link.target)
            elif link.kind == LinkKind.COURSE and link.target in found["courses"]:
                course = found["courses"][link.target]
                row.courses.append(course.title)
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
                row.modules.append(module.title)
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
                decisions.setdefault(reference.pk, {}).setdefault(scenario.title, []).append(
                    node_key
                )
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
        by_scenario = decisions.get(reference.pk, {})
        row.decisions = [f"{title} ({', '.join(keys)})" for title, keys in by_scenario.items()]
        annotations[f"ref_{reference.pk}"] = Count("id", filter=condition)
        rows.append((reference.pk, row))
    counts = {
        item["agency_id"]: item
        for item in learners_in_scope(agency_ids=agency_ids)
        .values("agency_id")
        .annotate(**annotations)
        .order_by()
    }
    for pk, row in rows:
        row.completed = {a.pk: counts.get(a.pk, {}).get(f"ref_{pk}", 0) for a in agencies}
    return agencies, [row for _, row in rows]
