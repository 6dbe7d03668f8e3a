"""import_course and export_course: the content/FORMAT.md format, idempotency, bad input."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from courses.models import CoursePage, ModulePage
from courses.services.course_format import CourseFormatError, course_folder_parse

COURSE = """\
---
title: Return home interviews
slug: rhi-course
summary: What a return home interview is for.
topic: missing-children
level: foundation
audience_sectors: [police, health]
job_roles: []
estimated_minutes: 40
cpd_minutes: 45
refresher_months: 12
pass_mark: 80
require_scenarios: false
learning_points: [LP1]
recommendations: [R4]
learning_outcomes:
  - Explain the 72 hours.
prerequisites: []
---
A course *description*.
"""

MODULE = """\
---
title: Why the 72 hours matter
slug: seventy-two-hours
summary: The timescale.
estimated_minutes: 10
content_note: ''
learning_points: [LP1]
recommendations: [R4, R11]
learning_outcomes:
  - Say when.
---
## Why the 72 hours matter

Markdown text with a [link](https://example.org).

```from-review
text: Interviews were late.
reference: LP1
```

```check
question: Within what time should a return home interview be offered?
kind: single
options:
  - text: 72 hours of the child's return
    correct: true
    feedback: Right.
  - text: 7 days
    correct: false
    feedback: Too late.
explanation: The statutory guidance says 72 hours.
```

## Reflect

```reflection
prompt: What gets in the way?
```

```accordion
items:
  - heading: One
    text: First.
```
"""


def write_course(folder: Path, module: str = MODULE, course: str = COURSE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.md").write_text(course)
    (folder / "01-seventy-two-hours.md").write_text(module)
    return folder


@pytest.fixture
def folder(tmp_path):
    return write_course(tmp_path / "rhi-course")


@pytest.mark.django_db
def test_import_builds_a_published_course_and_reimport_changes_nothing(folder):
    call_command("import_course", str(folder))
    course = CoursePage.objects.get(slug="rhi-course")
    module = ModulePage.objects.child_of(course).get()
    assert course.live and module.live
    assert course.audience_sectors == ["police", "health"]
    assert [s.value["heading"] for s in module.body] == ["Why the 72 hours matter", "Reflect"]
    kinds = [b.block_type for b in module.body[0].value["content"]]
    assert kinds == ["markdown", "from_review", "check"]
    ids = [s.id for s in module.body]
    revisions = Revision.objects.count()

    call_command("import_course", str(folder))
    assert CoursePage.objects.filter(slug="rhi-course").count() == 1
    assert ModulePage.objects.count() == 1
    assert Revision.objects.count() == revisions  # unchanged pages get no new revision
    module.refresh_from_db()
    assert [s.id for s in module.body] == ids  # stable ids keep learners' progress attached


@pytest.mark.django_db
def test_reimport_updates_in_place_and_keeps_block_ids(folder):
    call_command("import_course", str(folder))
    module = ModulePage.objects.get()
    ids = [s.id for s in module.body]
    (folder / "01-seventy-two-hours.md").write_text(MODULE.replace("Markdown text", "New text"))
    call_command("import_course", str(folder))
    module.refresh_from_db()
    assert "New text" in module.body[0].value["content"][0].value
    assert [s.id for s in module.body] == ids


@pytest.mark.django_db
def test_export_writes_the_same_format_back(folder, tmp_path):
    call_command("import_course", str(folder))
    out = tmp_path / "exported"
    call_command("export_course", "rhi-course", "--output", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["01-seventy-two-hours.md", "course.md"]
    original, exported = course_folder_parse(folder), course_folder_parse(out)
    assert exported.meta == original.meta
    assert exported.description == original.description
    assert [m.meta for m in exported.modules] == [m.meta for m in original.modules]
    assert [m.body for m in exported.modules] == [m.body for m in original.modules]


@pytest.mark.parametrize(
    ("module", "line", "problem"),
    [
        (MODULE.replace("## Why the 72 hours matter\n", "Stray text\n"), 12, "before the first"),
        (MODULE.replace("reference: LP1", "reference: LP9"), 16, "unknown review reference"),
        (MODULE.replace("    correct: true", "    correct: false"), 21, "exactly one correct"),
        (MODULE.replace("    feedback: Too late.\n", ""), 21, "'feedback' is required"),
        (MODULE.replace("kind: single", "kind: [single"), 24, "invalid YAML"),
        (MODULE.replace("prompt: What", "hint: x\nprompt2: What"), 36, "'prompt' is required"),
        (MODULE.replace("slug: seventy-two-hours", "slug: Bad Slug"), 2, "slug"),
        (MODULE.replace("```\n\n## Reflect", "\n## Reflect"), 21, "not closed"),
    ],
)
@pytest.mark.django_db
def test_a_broken_file_names_file_line_and_problem_and_changes_nothing(
    tmp_path, module, line, problem
):
    folder = write_course(tmp_path / "rhi-course", module=module)
    with pytest.raises(CommandError) as error:
        call_command("import_course", str(folder))
    message = str(error.value)
    assert "01-seventy-two-hours.md" in message
    if line:
        assert f"line {line}:" in message
    assert problem in message
    assert not CoursePage.objects.exists()


@pytest.mark.django_db
def test_a_broken_module_leaves_an_existing_course_untouched(folder):
    call_command("import_course", str(folder))
    (folder / "course.md").write_text(COURSE.replace("Return home interviews", "Renamed"))
    (folder / "01-seventy-two-hours.md").write_text(MODULE.replace("reference: LP1", "x: y"))
    with pytest.raises(CommandError):
        call_command("import_course", str(folder))
    assert CoursePage.objects.get().title == "Return home interviews"


@pytest.mark.django_db
def test_unknown_references_are_reported_before_anything_is_written(tmp_path):
    course = COURSE.replace("job_roles: []", "job_roles: [astronaut]")
    folder = write_course(tmp_path / "rhi-course", course=course)
    with pytest.raises(CommandError, match="course.md, line 2: unknown job role"):
        call_command("import_course", str(folder))
    module = MODULE.replace("## Reflect\n", "## Reflect\n\n```scenario\nscenario: nope\n```\n")
    folder = write_course(tmp_path / "other", module=module)
    with pytest.raises(CommandError, match="unknown scenario 'nope'"):
        call_command("import_course", str(folder))
    assert not CoursePage.objects.exists()


@pytest.mark.django_db
def test_directory_services_are_chosen_by_id_and_must_exist(tmp_path):
    from tests.directory.factories import ServiceFactory

    service = ServiceFactory()
    block = "```services\nheading: Help\nservices: [{}]\n```\n"
    module = MODULE.replace("## Reflect\n", f"## Reflect\n\n{block.format(service.pk)}")
    folder = write_course(tmp_path / "rhi-course", module=module)
    call_command("import_course", str(folder))
    (services,) = [
        b
        for s in ModulePage.objects.get().body
        for b in s.value["content"]
        if b.block_type == "services"
    ]
    assert [s.pk for s in services.value["services"]] == [service.pk]
    out = tmp_path / "exported"
    call_command("export_course", "rhi-course", "--output", str(out))
    assert course_folder_parse(out).modules[0].body == course_folder_parse(folder).modules[0].body
    missing = "00000000-0000-4000-8000-000000000000"
    folder = write_course(tmp_path / "other", module=module.replace(str(service.pk), missing))
    with pytest.raises(CommandError, match=f"unknown directory service.*{missing}"):
        call_command("import_course", str(folder))


def test_unknown_front_matter_fields_and_missing_course_file_are_errors(tmp_path):
    folder = write_course(tmp_path / "c", course=COURSE.replace("topic:", "colour: red\ntopic:"))
    with pytest.raises(CourseFormatError, match="unknown front matter field"):
        course_folder_parse(folder)
    with pytest.raises(CourseFormatError, match="course.md is missing"):
        course_folder_parse(tmp_path / "empty")


@pytest.mark.parametrize(
    "folder",
    sorted(p for p in (Path(settings.BASE_DIR) / "content" / "courses").glob("*/")
           if (p / "course.md").exists()),
    ids=lambda p: p.name,
)  # fmt: skip
def test_every_seed_course_in_content_parses(folder):
    course = course_folder_parse(folder)
    assert course.modules


@pytest.mark.django_db
def test_load_content_loads_courses_and_reports_missing_steps(tmp_path, capsys):
    write_course(tmp_path / "courses" / "rhi-course")
    call_command("load_content", "--content", str(tmp_path))
    call_command("load_content", "--content", str(tmp_path))
    assert CoursePage.objects.filter(slug="rhi-course").count() == 1


LOCAL = """\
area: Testshire
terms: [care plan form]
items:
  police-plan:
    title: A plan for every episode
    text: In Testshire the police write a plan for every episode.
"""


@pytest.mark.django_db
def test_local_blocks_are_filled_from_the_local_file_and_export_as_their_key(tmp_path, settings):
    settings.CONTENT_LOCAL_FILE = tmp_path / "local.yaml"
    settings.CONTENT_LOCAL_FILE.write_text(LOCAL)
    module = MODULE.replace(
        "```from-review", "```local\nkey: police-plan\n```\n\n```from-review"
    ).replace(
        "learning_outcomes:\n  - Say when.\n",
        "learning_outcomes:\n  - Say when.\nreferences:\n  - A source\nlast_reviewed: 2026-12-01\n",
    )
    folder = write_course(tmp_path / "rhi-course", module=module)
    call_command("import_course", str(folder))
    page = ModulePage.objects.get()
    local = [b for b in page.body[0].value["content"] if b.block_type == "local_practice"]
    assert local[0].value["area"] == "Testshire"
    assert "write a plan" in local[0].value["text"]
    assert page.reference_list == ["A source"] and str(page.last_reviewed) == "2026-12-01"
    out = tmp_path / "exported"
    call_command("export_course", "rhi-course", "--output", str(out))
    exported = (out / "01-seventy-two-hours.md").read_text()
    assert "```local\nkey: police-plan\n```" in exported
    assert "last_reviewed: '2026-12-01'" in exported or "last_reviewed: 2026-12-01" in exported


@pytest.mark.django_db
def test_a_local_block_missing_from_the_local_file_is_an_error(tmp_path, settings):
    settings.CONTENT_LOCAL_FILE = tmp_path / "local.yaml"
    settings.CONTENT_LOCAL_FILE.write_text(LOCAL)
    module = MODULE.replace("```from-review", "```local\nkey: other\n```\n\n```from-review")
    folder = write_course(tmp_path / "rhi-course", module=module)
    with pytest.raises(CommandError, match="local item 'other' is not in the local content file"):
        call_command("import_course", str(folder))
    assert not CoursePage.objects.exists()
