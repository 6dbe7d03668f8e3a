"""Rollups: incremental updates are idempotent, a rebuild gives the same figures, and the
number of queries a report makes does not grow with the number of learners."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import EventKind, LearningEvent
from reports.models import CourseRollup, ModuleRollup
from reports.selectors.figures import course_figures
from reports.selectors.scope import ReportFilters
from reports.selectors.tables import report_table
from reports.services.rollup import rollup_apply_event
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.reports.factories import (
    admin,
    complete,
    course_with_modules,
    enrol,
    lead_of,
    module_done,
)


def snapshot():
    courses = CourseRollup.objects.values_list(
        "user_id", "course_id", "enrolled_at", "in_progress", "completed_at", "expires_at"
    )
    modules = ModuleRollup.objects.values_list("user_id", "module_id", "started_at", "completed_at")
    return sorted(courses), sorted(modules)


def test_rebuild_recomputes_the_same_rows_and_figures(world):
    before_rows = snapshot()
    before = [vars(r) for r in course_figures(viewer=world.admin, filters=ReportFilters())]
    CourseRollup.objects.all().delete()
    ModuleRollup.objects.all().delete()
    assert course_figures(viewer=world.admin, filters=ReportFilters())[0].completed == 0
    out = io.StringIO()
    call_command("rollup_rebuild", stdout=out)
    assert "Rebuilt 6 learner-course and 3 learner-module rows." in out.getvalue()
    assert snapshot() == before_rows
    assert [vars(r) for r in course_figures(viewer=world.admin, filters=ReportFilters())] == before


def test_applying_events_again_in_any_order_changes_nothing(world):
    before = snapshot()
    events = list(LearningEvent.objects.order_by("-occurred_at"))
    for event in events + events:
        rollup_apply_event(event=event)
    assert snapshot() == before


def test_events_that_do_not_change_standing_are_ignored(world):
    event = LearningEvent.objects.create(
        user=world.people.a1, kind=EventKind.SECTION_VIEWED, activity="section:1:x"
    )
    assert rollup_apply_event(event=event) is False


def test_revocation_event_clears_the_completion(world):
    row = CourseRollup.objects.get(user=world.people.a4, course=world.course)
    assert row.completed_at is None and row.revoked_at is not None


def _partnership(size: int, course, module):
    agency = AgencyFactory()
    for n in range(size):
        learner = UserFactory(agency=agency)
        enrolment = enrol(learner, course, "2026-01-01")
        module_done(enrolment, module, "2026-01-02", "2026-01-03")
        if n % 2:
            complete(enrolment, "2026-02-01")
    return agency


@pytest.mark.parametrize("size", [3, 12])
def test_report_queries_do_not_grow_with_learners(db, travel, django_assert_max_num_queries, size):
    course, (module,) = course_with_modules(modules=1)
    _partnership(size, course, module)
    agency = _partnership(size, course, module)
    lead = lead_of(agency)
    viewer = admin()
    for name in ("figures", "breakdown", "trend"):
        with django_assert_max_num_queries(12):
            report_table(name=name, viewer=viewer, filters=ReportFilters(course_id=course.pk))
    with django_assert_max_num_queries(10):
        report_table(name="staff", viewer=lead, filters=ReportFilters())


def test_report_query_count_is_the_same_for_more_learners(db, travel):
    course, (module,) = course_with_modules(modules=1)
    agency = _partnership(2, course, module)
    viewer, lead = admin(), lead_of(agency)

    def counts():
        result = []
        for name, who in (("figures", viewer), ("breakdown", viewer), ("staff", lead)):
            with CaptureQueriesContext(connection) as queries:
                report_table(name=name, viewer=who, filters=ReportFilters())
            result.append(len(queries))
        return result

    counts()  # the viewers' roles are cached on first use
    small = counts()
    for _ in range(8):
        enrolment = enrol(UserFactory(agency=agency), course, "2026-01-01")
        module_done(enrolment, module, "2026-01-02", "2026-01-03")
    assert counts() == small


def test_nightly_rebuild_task_is_scheduled_and_heals_a_missed_event(world):
    from config.celery import app
    from reports.tasks import rollup_rebuild_task

    assert app.conf.beat_schedule["reports.rollup_rebuild"]["task"] == "reports.rollup_rebuild"
    CourseRollup.objects.filter(user=world.people.a1).delete()  # as if the event was lost
    rollup_rebuild_task.delay()
    assert CourseRollup.objects.filter(user=world.people.a1, completed_at__isnull=False).exists()
