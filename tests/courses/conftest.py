"""Fixtures for course tests: a course with two modules, a learner, and a way to finish modules."""

import pytest

from courses.services.learning import enrolment_create, section_visit
from tests.accounts.factories import UserFactory
from tests.courses.factories import (
    CoursePageFactory,
    ModulePageFactory,
    check,
    markdown,
    reflection,
    section,
)


@pytest.fixture
def learner(db):
    return UserFactory(first_name="Alex", last_name="Learner")


@pytest.fixture
def course(db):
    """A course with two modules: one with two checks and a reflection, one plain."""
    course = CoursePageFactory(title="Missing children", cpd_minutes=90, refresher_months=12)
    ModulePageFactory(
        parent=course,
        title="Module one",
        slug="module-one",
        body=[
            section("Start", markdown("Intro")),
            section("Questions", check(question="Q1", correct=(0,)), check(question="Q2")),
            section("Think", reflection()),
        ],
    )
    ModulePageFactory(parent=course, title="Module two", slug="module-two")
    return course


def visit_all(user, course) -> None:
    """View every section of every module of the course."""
    from courses.selectors.structure import course_modules

    for module in course_modules(course=course):
        for position in range(1, len(list(module.body)) + 1):
            section_visit(user=user, module=module, position=position)


@pytest.fixture
def enrolled(learner, course):
    return enrolment_create(user=learner, course=course)
