"""Reads of a course's structure: the catalogue, modules, their sections and blocks."""

from wagtail.blocks import StreamValue

from courses.models import (
    CourseIndexPage,
    CoursePage,
    ModulePage,
)


def course_catalogue(
    *, index: CourseIndexPage, topic: str = "", sector: str = "", level: str = ""
) -> list[CoursePage]:
    """Live courses under the index, filtered; an audience of no sectors means every sector."""
    courses = CoursePage.objects.child_of(index).live().order_by("title")
    if topic:
        courses = courses.filter(topic=topic)
    if level:
        courses = courses.filter(level=level)
    courses = list(courses)
    if sector:  # JSON list membership, filtered in Python to stay portable across databases
        courses = [c for c in courses if not c.audience_sectors or sector in c.audience_sectors]
    return courses


def course_modules(*, course: CoursePage) -> list[ModulePage]:
    """The course's live modules in tree order."""
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


def module_section_ids(*, module: ModulePage) -> list[str]:
    """Block ids of the module's sections, in order (read from the raw JSON, nothing converted)."""
    return [section["id"] for section in module.body.raw_data]


def module_section(*, module: ModulePage, position: int):
    """The section at a 1-based position, converted alone (not every section of the module)."""
    raw = module.body.raw_data[position - 1]
    block = module.body.stream_block.child_blocks["section"]
    return StreamValue.StreamChild(block, block.to_python(raw["value"]), id=raw["id"])


def _content_blocks(module: ModulePage):
    for section in module.body:
        yield from section.value["content"]


def module_block(*, module: ModulePage, block_id: str):
    """A content block of the module by id, or None."""
    return next((b for b in _content_blocks(module) if b.id == block_id), None)


def module_check_blocks(*, module: ModulePage) -> list:
    """The module's knowledge check blocks."""
    return [b for b in _content_blocks(module) if b.block_type == "check"]


def module_scenario_ids(*, module: ModulePage) -> set[int]:
    """Primary keys of the scenarios embedded in the module."""
    return {
        b.value["scenario"].pk
        for b in _content_blocks(module)
        if b.block_type == "scenario" and b.value.get("scenario") is not None
    }
