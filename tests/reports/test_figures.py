"""Figures against hand-computed expectations on the constructed partnership (conftest.world).

Police (headcount 10) registered: a1-a5 and their lead (6); health (headcount 20): b1, b2 (who
moved from police) and their lead (3). Only police must do the course, within 3 months.
"""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from courses.models import EnrolmentSource, RequiredLearning
from reports.selectors.figures import course_figures, monthly_trend
from reports.selectors.scope import ReportFilters
from reports.selectors.staff import staff_statuses
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.reports.factories import (
    complete,
    course_with_modules,
    enrol,
    lead_of,
    module_done,
    when,
)

FIELDS = ("required", "enrolled", "in_progress", "completed", "overdue", "refresher_due")


def figures(row):
    return tuple(getattr(row, name) for name in FIELDS)


def by_key(rows):
    return {(r.group_label, r.module_title): r for r in rows}


def test_partnership_totals_per_course_and_module(world):
    rows = by_key(course_figures(viewer=world.admin, filters=ReportFilters()))
    course = rows[("All agencies", "")]
    assert figures(course) == (6, 6, 1, 3, 2, 1)
    assert (course.registered, course.headcount) == (9, 30)
    assert (course.coverage_headcount, course.coverage_registered) == (10.0, 33.3)
    assert figures(rows[("All agencies", world.m1.title)]) == (6, 2, 1, 1, 2, 1)
    assert figures(rows[("All agencies", world.m2.title)]) == (6, 1, 0, 1, 2, 1)


def test_by_agency_counts_people_in_their_current_agency(world):
    rows = by_key(course_figures(viewer=world.admin, filters=ReportFilters(), group_by="agency"))
    police, health = rows[("Police", "")], rows[("Health", "")]
    assert figures(police) == (6, 4, 1, 1, 2, 1)
    assert (police.registered, police.coverage_headcount, police.coverage_registered) == (
        6,
        10.0,
        16.7,
    )
    # b2 completed while in police and then moved: the completion counts for health now.
    assert figures(health) == (0, 2, 0, 2, 0, 0)
    assert (health.registered, health.coverage_registered) == (3, 66.7)


def test_by_sector_and_team_and_job_role_add_up_to_the_totals(world):
    filters = ReportFilters()
    for group in ("sector", "team", "job_role"):
        rows = [
            r
            for r in course_figures(viewer=world.admin, filters=filters, group_by=group)
            if r.module_id is None
        ]
        assert sum(r.completed for r in rows) == 3, group
        assert sum(r.registered for r in rows) == 9, group
    sectors = by_key(course_figures(viewer=world.admin, filters=filters, group_by="sector"))
    assert sectors[("Police", "")].headcount == 10
    teams = course_figures(viewer=world.admin, filters=filters, group_by="team")
    assert all(r.headcount is None and r.coverage_headcount is None for r in teams)


def test_refresher_becomes_due_when_the_completion_expires(world, travel):
    travel.move_to("2027-03-02T09:00:00+00:00")
    rows = by_key(course_figures(viewer=world.admin, filters=ReportFilters(), group_by="agency"))
    # a1's completion (1 March 2026, 12 months) has expired; a2 and the lead are now past due.
    assert figures(rows[("Police", "")]) == (6, 4, 1, 0, 4, 2)  # a2 is in progress and overdue
    assert figures(rows[("Health", "")]) == (0, 2, 0, 2, 0, 0)


def test_revoked_completion_counts_as_not_done(world):
    staff = {s.name: s for s in staff_statuses(viewer=world.police_lead, filters=ReportFilters())}
    davis = next(s for name, s in staff.items() if "Davis" in name)
    assert davis.status == "overdue"
    assert davis.courses["overdue"] == ["Missing children"]


def test_date_range_limits_activity_and_judges_status_at_its_end(world):
    filters = ReportFilters(date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))
    course = by_key(course_figures(viewer=world.admin, filters=filters))[("All agencies", "")]
    assert figures(course) == (6, 2, 1, 2, 2, 1)


def test_staff_list_puts_overdue_first_and_is_one_agency(world):
    staff = staff_statuses(viewer=world.police_lead, filters=ReportFilters())
    assert [s.status for s in staff] == [
        "overdue",
        "overdue",
        "refresher_due",
        "in_progress",
        "due",
        "completed",
    ]
    assert {s.user_id for s in staff} == {
        world.people.a1.pk,
        world.people.a2.pk,
        world.people.a3.pk,
        world.people.a4.pk,
        world.people.a5.pk,
        world.police_lead.pk,
    }


def test_staff_list_needs_one_agency_for_partnership_admins(world):
    with pytest.raises(ValueError):
        staff_statuses(viewer=world.admin, filters=ReportFilters())
    staff = staff_statuses(viewer=world.admin, filters=ReportFilters(agency_id=world.health.pk))
    assert {s.user_id for s in staff} == {
        world.people.b1.pk,
        world.people.b2.pk,
        world.health_lead.pk,
    }


def test_monthly_trend_counts_first_enrolments_and_completions(world):
    points = {p.month: p for p in monthly_trend(viewer=world.admin, filters=ReportFilters())}
    assert len(points) == 12
    assert (points[date(2026, 3, 1)].enrolled, points[date(2026, 3, 1)].completed) == (1, 1)
    assert (points[date(2026, 5, 1)].enrolled, points[date(2026, 5, 1)].completed) == (1, 1)
    # a4's revoked completion in February is not a completion.
    assert points[date(2026, 2, 1)].completed == 0


def test_a_rule_for_every_sector_and_role_requires_everyone(world):
    course, _ = course_with_modules(modules=1, title="For everyone")
    rule = RequiredLearning.objects.create(course=course, sectors=[], due_within_months=3)
    RequiredLearning.objects.filter(pk=rule.pk).update(created_at=when("2025-01-01"))
    rows = course_figures(
        viewer=world.admin, filters=ReportFilters(course_id=course.pk), include_modules=False
    )
    # Everyone registered (9); past due: all but a2 (May) and the two leads (June).
    assert (rows[0].required, rows[0].overdue) == (9, 6)


def test_an_assigned_course_nobody_has_opened_is_not_started_for_the_lead(db):
    agency = AgencyFactory()
    course, (module,) = course_with_modules(modules=1, title="Assigned course")
    unopened = UserFactory(agency=agency, last_name="Aardvark")
    opened = UserFactory(agency=agency, last_name="Badger")
    enrol(unopened, course, "2026-01-05")
    module_done(enrol(opened, course, "2026-01-05"), module, "2026-01-06")

    staff = {s.user_id: s for s in staff_statuses(viewer=lead_of(agency), filters=ReportFilters())}

    assert staff[unopened.pk].courses == {"due": ["Assigned course"]}
    assert staff[unopened.pk].status_label == "Not started"
    assert staff[opened.pk].courses == {"in_progress": ["Assigned course"]}


def assigned(user, course, *, enrolled: str, due: str):
    enrolment = enrol(user, course, enrolled)
    enrolment.source, enrolment.due_at = EnrolmentSource.ASSIGNED, when(due)
    enrolment.save()
    return enrolment


def test_a_course_assigned_with_a_due_date_is_required_and_overdue_once_it_has_passed(db, travel):
    agency = AgencyFactory()
    course, (module,) = course_with_modules(modules=1, title="Assigned course")
    late = UserFactory(agency=agency, last_name="Late")
    on_time = UserFactory(agency=agency, last_name="On time")
    done = UserFactory(agency=agency, last_name="Done")
    UserFactory(agency=agency, last_name="Not assigned")
    assigned(late, course, enrolled="2026-03-01", due="2026-05-01")
    assigned(on_time, course, enrolled="2026-03-01", due="2026-07-01")
    complete(assigned(done, course, enrolled="2026-03-01", due="2026-05-01"), "2026-04-01")
    lead = lead_of(agency)

    rows = by_key(course_figures(viewer=lead, filters=ReportFilters()))

    course_row = rows[("All agencies", "")]
    assert (course_row.required, course_row.overdue) == (3, 1)
    assert rows[("All agencies", module.title)].overdue == 1
    staff = {s.user_id: s for s in staff_statuses(viewer=lead, filters=ReportFilters())}
    assert staff[late.pk].status_label == "Overdue"
    assert staff[on_time.pk].courses == {"due": ["Assigned course"]}
    assert staff[done.pk].status_label == "Up to date"


def test_the_leads_figures_table_shows_a_learner_with_an_overdue_assignment(client, db, travel):
    agency = AgencyFactory()
    course, _ = course_with_modules(modules=1, title="Assigned course")
    assigned(UserFactory(agency=agency), course, enrolled="2026-03-01", due="2026-05-01")
    client.force_login(lead_of(agency))

    html = client.get("/reports/", {"course": course.pk}).content.decode()

    table = BeautifulSoup(html, "html.parser").select_one("#table-figures table")
    header = [th.get_text(" ", strip=True) for th in table.find("tr").find_all(["th", "td"])]
    first = [c.get_text(" ", strip=True) for c in table.find_all("tr")[1].find_all(["th", "td"])]
    figures_shown = dict(zip(header, first, strict=True))
    assert figures_shown["Required"] == "1" and figures_shown["Overdue"] == "1"
