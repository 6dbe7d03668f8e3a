"""Loading the whole seed curriculum gives a platform where every piece works together."""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from courses.models import Completion, CoursePage, ModulePage
from courses.selectors.structure import course_modules, module_check_blocks, module_scenario_ids
from courses.services.course_format import course_folder_parse
from courses.services.learning import check_answer, enrolment_create, section_visit
from directory.selectors import service_list_by_ids
from scenarios import engine
from scenarios.models import Scenario
from scenarios.selectors import attempt_played, scenario_engine
from scenarios.services import attempt_choose, attempt_start
from tests.accounts.factories import UserFactory

CONTENT = Path(__file__).resolve().parents[2] / "content"
pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_content", verbosity=0, stdout=io.StringIO())


def _linked_service_ids() -> set[str]:
    ids = set()
    for folder in CONTENT.glob("courses/*/"):
        for module in course_folder_parse(folder).modules:
            for section in module.body:
                for block in section["value"]["content"]:
                    if block["type"] == "services":
                        ids |= {str(s) for s in block["value"]["services"]}
    for path in CONTENT.glob("scenarios/*.yaml"):
        for node in yaml.safe_load(path.read_text())["nodes"]:
            ids |= {str(s) for s in node.get("services", [])}
    return ids


def test_loaded_scenarios_pass_validation_links_resolve_and_media_is_accessible(loaded):
    """One load for three checks: loading the curriculum is the slow part."""
    _every_loaded_scenario_passes_engine_validation()
    _every_directory_link_resolves_to_a_published_service()
    _every_image_has_alt_text_and_every_recording_a_transcript()


def _every_loaded_scenario_passes_engine_validation():
    scenarios = list(Scenario.objects.filter(live=True))
    assert len(scenarios) == len(list(CONTENT.glob("scenarios/*.yaml")))
    for scenario in scenarios:
        report = engine.validate(scenario_engine(scenario=scenario))
        assert report.ok, (scenario.slug, [str(issue) for issue in report.errors])


def _every_directory_link_resolves_to_a_published_service():
    ids = _linked_service_ids()
    assert ids, "the curriculum links no services"
    found = {str(service.pk) for service in service_list_by_ids(ids=ids)}
    assert ids - found == set()


def _every_image_has_alt_text_and_every_recording_a_transcript():
    for module in ModulePage.objects.all():
        for section in module.body:
            for block in section.value["content"]:
                if block.block_type == "image":
                    assert block.value["alt"].strip(), module.slug
                if block.block_type == "video":
                    assert block.value["transcript"].strip(), module.slug
    for scenario in Scenario.objects.all():
        for node in scenario_engine(scenario=scenario).nodes:
            if node.media is not None:
                needed = node.media.alt if node.media.kind == "image" else node.media.transcript
                assert needed.strip(), (scenario.slug, node.key)


def _play_to_an_ending(user, scenario, module) -> None:
    attempt = attempt_start(user=user, scenario=scenario, module=module)
    for _ in range(100):
        _, state = attempt_played(attempt=attempt)
        if state.finished:
            return
        node = state.current
        choice = node.choices[0].key if node.type == "decision" else None
        attempt_choose(attempt=attempt, choice=choice, node_key=node.key)
        attempt.refresh_from_db()
    raise AssertionError(f"{scenario.slug}: no ending after 100 steps")


def test_every_course_can_be_completed_by_meeting_its_rules(loaded):
    courses = list(CoursePage.objects.live())
    assert len(courses) == len(list(CONTENT.glob("courses/*/course.md")))
    learner = UserFactory()
    for course in courses:
        enrolment_create(user=learner, course=course)
        for module in course_modules(course=course):
            for position in range(1, len(module.body) + 1):
                section_visit(user=learner, module=module, position=position)
            for block in module_check_blocks(module=module):
                right = [n for n, o in enumerate(block.value["options"]) if o["correct"]]
                check_answer(user=learner, module=module, block_id=block.id, chosen=right)
            for scenario_id in module_scenario_ids(module=module):
                _play_to_an_ending(learner, Scenario.objects.get(pk=scenario_id), module)
        assert Completion.objects.filter(user=learner, course=course).exists(), course.slug
