"""Import a course folder into the page tree, and export a course back to the same files."""

import copy
import datetime
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import JobRole
from courses.models import CourseIndexPage, CoursePage, ModulePage
from courses.models.pages import lines
from courses.services.course_format import (
    CourseFormatError,
    ParsedCourse,
    ParsedModule,
    course_folder_parse,
    course_folder_render,
    local_content_load,
    stable_id,
)
from pages.media import MediaFileError, imported_image

COURSE_FIELDS = [
    "title", "summary", "topic", "level", "audience_sectors", "estimated_minutes", "cpd_minutes",
    "refresher_months", "pass_mark", "require_scenarios", "learning_points", "recommendations",
]  # fmt: skip
MODULE_FIELDS = [
    "title", "summary", "estimated_minutes", "content_note", "learning_points", "recommendations",
]  # fmt: skip


def _local_content() -> dict:
    return local_content_load(Path(settings.CONTENT_LOCAL_FILE))


@dataclass
class ImportReport:
    course: CoursePage
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)


def _media_root() -> Path:
    return Path(settings.BASE_DIR) / "content" / "media"


def _image_id(path: Path, file: str, media_root: Path) -> int:
    """The Wagtail image for a file under content/media (titled by its path), created once."""
    try:
        return imported_image(file=file, media_root=media_root).pk
    except MediaFileError:
        raise CourseFormatError(path, None, f"image file {file!r} is not in {media_root}") from None


# ListBlock children stored in Wagtail's current form, with ids derived from their block, so a
# re-import stores exactly what is already there.
LIST_FIELDS = {"check": "options", "accordion": "items", "services": "services"}


def _wrap_list(block: dict) -> None:
    name = LIST_FIELDS[block["type"]]
    block["value"][name] = [
        {"type": "item", "value": item, "id": stable_id(block["id"], "item", str(n))}
        for n, item in enumerate(block["value"][name])
    ]


def _unwrap_list(block: dict) -> None:
    name = LIST_FIELDS[block["type"]]
    block["value"][name] = [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in block["value"][name]
    ]


def _resolve_body(
    module: ParsedModule, scenarios: dict, media_root: Path, local: dict | None
) -> list[dict]:
    """Replace scenario slugs and image paths in the parsed body with database ids, and fill
    local practice blocks from the local content file."""
    body = copy.deepcopy(module.body)
    for section in body:
        for block in section["value"]["content"]:
            if block["type"] == "local_practice":
                key = block["value"]["key"]
                item = (local or {}).get("items", {}).get(key)
                if item is None:
                    raise CourseFormatError(
                        module.path, None, f"local item {key!r} is not in the local content file"
                    )
                block["value"].update(
                    area=str(item.get("area") or local["area"]),
                    title=str(item["title"]),
                    text=str(item["text"]).strip(),
                )
            elif block["type"] in LIST_FIELDS:
                _wrap_list(block)
            elif block["type"] == "scenario":
                slug = block["value"]["scenario"]
                if slug not in scenarios:
                    raise CourseFormatError(module.path, None, f"unknown scenario {slug!r}")
                block["value"]["scenario"] = scenarios[slug]
            elif block["type"] == "image":
                block["value"]["image"] = _image_id(
                    module.path, block["value"]["image"], media_root
                )
    return body


def _scenario_ids(parsed: ParsedCourse) -> dict[str, int]:
    slugs = {
        block["value"]["scenario"]
        for module in parsed.modules
        for section in module.body
        for block in section["value"]["content"]
        if block["type"] == "scenario"
    }
    if not slugs:
        return {}
    from scenarios.models import Scenario

    return dict(Scenario.objects.filter(slug__in=slugs).values_list("slug", "pk"))


def _check_services(parsed: ParsedCourse) -> None:
    """Every directory service a module links to must exist (load the directory first)."""
    from directory.models import Service

    for module in parsed.modules:
        ids = {
            service_id
            for section in module.body
            for block in section["value"]["content"]
            if block["type"] == "services"
            for service_id in block["value"]["services"]
        }
        known = {str(pk) for pk in Service.objects.filter(pk__in=ids).values_list("pk", flat=True)}
        missing = sorted(ids - known)
        if missing:
            raise CourseFormatError(
                module.path, None, f"unknown directory service(s): {', '.join(missing)}"
            )


def _apply(page, values: dict) -> bool:
    """Set the values on the page; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def _publish(page) -> None:
    page.save_revision(log_action=True).publish()


@transaction.atomic
def course_import(*, folder: Path, media_root: Path | None = None) -> ImportReport:
    """Create or update a course and its modules from a folder; idempotent by slug.

    Everything is parsed and resolved before anything is written, and the whole import is one
    transaction, so a broken file (CourseFormatError: file, line, problem) changes nothing.
    Pages whose content is unchanged get no new revision. Modules no longer in the folder are
    unpublished, not deleted, so learners' records stay.
    """
    parsed = course_folder_parse(Path(folder))
    media_root = media_root or _media_root()
    course_file = parsed.path / "course.md"
    meta = parsed.meta
    index = CourseIndexPage.objects.first()
    if index is None:
        raise CourseFormatError(course_file, None, "there is no course catalogue page to add to")
    roles = list(JobRole.objects.filter(slug__in=meta["job_roles"]))
    unknown = sorted(set(meta["job_roles"]) - {r.slug for r in roles})
    if unknown:
        raise CourseFormatError(course_file, 2, f"unknown job role(s): {', '.join(unknown)}")
    prerequisites = list(CoursePage.objects.filter(slug__in=meta["prerequisites"]))
    unknown = sorted(set(meta["prerequisites"]) - {p.slug for p in prerequisites})
    if unknown:
        raise CourseFormatError(course_file, 2, f"unknown prerequisite(s): {', '.join(unknown)}")
    scenarios = _scenario_ids(parsed)
    _check_services(parsed)
    needs_local = any(
        block["type"] == "local_practice"
        for module in parsed.modules
        for section in module.body
        for block in section["value"]["content"]
    )
    local = _local_content() if needs_local else None
    bodies = [_resolve_body(module, scenarios, media_root, local) for module in parsed.modules]

    values = {name: meta[name] for name in COURSE_FIELDS}
    values.update(
        description=parsed.description,
        learning_outcomes="\n".join(meta["learning_outcomes"]),
        draft_title=meta["title"],
    )
    course = CoursePage.objects.child_of(index).filter(slug=meta["slug"]).first()
    report = ImportReport(course=course)
    if course is None:
        course = CoursePage(slug=meta["slug"], **values)
        index.add_child(instance=course)
        report.created.append(f"course {meta['slug']}")
        changed = True
    else:
        course = course.specific
        changed = _apply(course, values) or not course.live
    if {r.pk for r in course.job_roles.all()} != {r.pk for r in roles}:
        course.job_roles.set(roles)
        changed = True
    if {p.pk for p in course.prerequisites.all()} != {p.pk for p in prerequisites}:
        course.prerequisites.set(prerequisites)
        changed = True
    if changed:
        _publish(course)
        if f"course {meta['slug']}" not in report.created:
            report.updated.append(f"course {meta['slug']}")
    else:
        report.unchanged.append(f"course {meta['slug']}")
    report.course = course

    existing = {page.slug: page for page in ModulePage.objects.child_of(course)}
    ordered = []
    for module, body in zip(parsed.modules, bodies, strict=True):
        m = module.meta
        values = {name: m[name] for name in MODULE_FIELDS}
        values.update(
            learning_outcomes="\n".join(m["learning_outcomes"]),
            draft_title=m["title"],
            references="\n".join(m["references"]),
            last_reviewed=(
                datetime.date.fromisoformat(m["last_reviewed"]) if m["last_reviewed"] else None
            ),
        )
        page = existing.pop(m["slug"], None)
        label = f"module {m['slug']}"
        if page is None:
            page = ModulePage(slug=m["slug"], body=body, **values)
            course.add_child(instance=page)
            _publish(page)
            report.created.append(label)
        else:
            changed = _apply(page, values) or not page.live
            if list(page.body.raw_data) != body:
                page.body = body
                changed = True
            if changed:
                _publish(page)
                report.updated.append(label)
            else:
                report.unchanged.append(label)
        ordered.append(page)
    for page in existing.values():
        if page.live:
            page.unpublish()
            report.unpublished.append(f"module {page.slug}")
    _order_children(course, ordered)
    return report


class _DryRun(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, report: ImportReport):
        self.report = report


def course_import_files(
    *, files: dict[str, bytes], dry_run: bool = False, media_root: Path | None = None
) -> ImportReport:
    """Import a course from files (name to content, as uploaded) exactly as import_course does
    a folder: the same checks, the same CourseFormatError (naming the file by its own name).

    With ``dry_run`` the whole import runs and is rolled back, so the report says what would be
    created, updated, unchanged and unpublished. Not idempotent only in that a dry run may leave
    the file of a newly imported image in storage (its database row is rolled back).
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in files.items():
            if Path(name).name != name or not name.endswith(".md"):
                raise CourseFormatError(Path(name), None, "course files are named <name>.md")
            (folder / name).write_bytes(content)
        try:
            with transaction.atomic():
                report = course_import(folder=folder, media_root=media_root)
                if dry_run:
                    raise _DryRun(report)
        except _DryRun as done:
            return done.report
        except CourseFormatError as error:
            path = Path(error.path)
            if path == folder:
                name = Path("the uploaded files")
            else:
                name = path.relative_to(folder) if path.is_relative_to(folder) else path
            raise CourseFormatError(name, error.line, error.problem) from None
    return report


def _order_children(course: CoursePage, ordered: list[ModulePage]) -> None:
    """Move modules so the tree order matches the NN- file order (no moves if it already does)."""
    current = list(
        ModulePage.objects.child_of(course).order_by("path").values_list("pk", flat=True)
    )
    wanted = [page.pk for page in ordered]
    if [pk for pk in current if pk in wanted] == wanted:
        return
    for page in ordered:
        ModulePage.objects.get(pk=page.pk).move(course, pos="last-child")


def course_export(*, course: CoursePage, folder: Path) -> list[Path]:
    """Write the course's latest content in the import format; returns the files written."""
    meta = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "topic": course.topic,
        "level": course.level,
        "audience_sectors": list(course.audience_sectors),
        "job_roles": sorted(course.job_roles.values_list("slug", flat=True)),
        "estimated_minutes": course.estimated_minutes,
        "cpd_minutes": course.cpd_minutes,
        "refresher_months": course.refresher_months,
        "pass_mark": course.pass_mark,
        "require_scenarios": course.require_scenarios,
        "learning_points": list(course.learning_points),
        "recommendations": list(course.recommendations),
        "learning_outcomes": lines(course.learning_outcomes),
        "prerequisites": sorted(course.prerequisites.values_list("slug", flat=True)),
    }
    parsed = ParsedCourse(path=folder, meta=meta, description=course.description)
    modules = ModulePage.objects.child_of(course).live().order_by("path")
    for position, module in enumerate(modules, start=1):
        module_meta = {
            "title": module.title,
            "slug": module.slug,
            "summary": module.summary,
            "estimated_minutes": module.estimated_minutes,
            "content_note": module.content_note,
            "learning_points": list(module.learning_points),
            "recommendations": list(module.recommendations),
            "learning_outcomes": lines(module.learning_outcomes),
            "references": lines(module.references),
            "last_reviewed": module.last_reviewed.isoformat() if module.last_reviewed else "",
        }
        body = _export_body(module)
        parsed.modules.append(ParsedModule(folder, position, module_meta, body))
    return course_folder_render(parsed, Path(folder))


def _export_body(module: ModulePage) -> list[dict]:
    """The raw body with image ids and scenario ids turned back into file paths and slugs."""
    from wagtail.images import get_image_model

    body = copy.deepcopy(list(module.body.raw_data))
    blocks = [b for section in body for b in section["value"]["content"]]
    image_ids = [b["value"]["image"] for b in blocks if b["type"] == "image"]
    images = dict(get_image_model().objects.filter(pk__in=image_ids).values_list("pk", "title"))
    scenario_ids = [b["value"]["scenario"] for b in blocks if b["type"] == "scenario"]
    scenarios = {}
    if scenario_ids:
        from scenarios.models import Scenario

        scenarios = dict(Scenario.objects.filter(pk__in=scenario_ids).values_list("pk", "slug"))
    for block in blocks:
        if block["type"] in LIST_FIELDS:
            _unwrap_list(block)
        elif block["type"] == "image":
            block["value"]["image"] = images.get(block["value"]["image"], "missing-image")
        elif block["type"] == "scenario":
            block["value"]["scenario"] = scenarios.get(block["value"]["scenario"], "missing")
    return body
