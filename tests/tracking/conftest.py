"""Fixtures for tracking: a learner's whole journey through a course and a scenario."""

import pytest

from courses.models import Completion
from courses.services.learning import check_answer, completion_revoke, reflection_save
from learning.models import LearningEvent
from scenarios.services import attempt_choose, attempt_resume, attempt_start, attempt_suspend
from tests.accounts.factories import AgencyFactory, JobRoleFactory, UserFactory
from tests.courses.conftest import visit_all
from tests.courses.factories import (
    CoursePageFactory,
    ModulePageFactory,
    check,
    markdown,
    reflection,
    section,
)
from tests.scenarios.factories import scenario_create

SECRET_REFLECTION = "I worried about the family's reaction to the referral"


@pytest.fixture
def police_officer(db):
    return UserFactory(
        email="officer@police.example.org",
        first_name="Zebedee",
        last_name="Quarrington",
        agency=AgencyFactory(name="Greater Manchester Police", sector="police"),
        job_role=JobRoleFactory(name="Police officer", slug="police-officer"),
    )


@pytest.fixture
def tracked_course(db):
    """A course whose first module has a check, a reflection and an embedded scenario."""
    scenario = scenario_create()
    course = CoursePageFactory(title="Missing children", summary="What every agency must do.")
    module = ModulePageFactory(
        parent=course,
        title="Return interviews",
        body=[
            section("Start", markdown("Intro")),
            section("Question", check(question="Who does the interview?", correct=(1,))),
            section("Think", reflection()),
            section("Play", {"type": "scenario", "value": {"scenario": scenario.pk}, "id": "sc"}),
        ],
    )
    return course, module, scenario


def journey(user, course, module, scenario, *, revoke=True) -> list[LearningEvent]:
    """Every kind of learning event, through the real services, in order; then revocation."""
    from courses.selectors.structure import module_check_blocks
    from courses.services.learning import enrolment_create

    enrolment = enrolment_create(user=user, course=course)
    visit_all(user, course)
    (block,) = module_check_blocks(module=module)
    check_answer(user=user, module=module, block_id=block.id, chosen=[0])  # wrong
    attempt = attempt_start(user=user, scenario=scenario, module=module)
    attempt_suspend(attempt=attempt)
    attempt_resume(attempt=attempt)
    attempt_choose(attempt=attempt, node_key="arrival", choice=None)
    attempt_choose(attempt=attempt, node_key="first-call", choice="a")
    reflection_block = module.body[2].value["content"][0]
    reflection_save(user=user, module=module, block_id=reflection_block.id, text=SECRET_REFLECTION)
    check_answer(user=user, module=module, block_id=block.id, chosen=[1])  # right: completes
    if revoke:
        completion = Completion.objects.get(enrolment=enrolment)
        completion_revoke(completion=completion, reason="Completed by someone else")
    return list(LearningEvent.objects.filter(user=user).order_by("occurred_at"))


@pytest.fixture
def destination_factory(db):
    """Make a destination (default: everything, to an address nothing listens on)."""
    from tracking.services.destinations import destination_create

    def make(**fields):
        defaults = {
            "name": f"Destination {len(made) + 1}",
            "endpoint": "http://127.0.0.1:9/xapi/",
            "username": "key",
            "secret": "secret",
        }
        destination = destination_create(**{**defaults, **fields})
        made.append(destination)
        return destination

    made = []
    return make


@pytest.fixture(scope="session")
def partner_lrs(tmp_path_factory):
    """A partner LRS in its own process and database, on a free port (kept across restarts)."""
    from tests.tracking.partner_lrs import PartnerLRS, free_port

    lrs = PartnerLRS(folder=tmp_path_factory.mktemp("partner-lrs"), port=free_port())
    lrs.setup()
    lrs.start()
    yield lrs
    lrs.stop()


@pytest.fixture
def partner(partner_lrs, destination_factory):
    """A destination pointing at the (running) partner LRS with the right credentials."""
    if partner_lrs.process is None:
        partner_lrs.start()
    destination = destination_factory(
        name="Police LRS",
        endpoint=partner_lrs.url,
        username=partner_lrs.key,
        secret=partner_lrs.secret,
        batch_size=4,
        # Generous: a loaded CI machine can take seconds to answer, and a timeout would count
        # as an attempt the tests do not expect.
        timeout_seconds=60,
    )
    return partner_lrs, destination
