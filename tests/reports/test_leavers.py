"""Leavers drop out of coverage from their leaving date (accounts.selectors.not_left_q)."""

from datetime import date

from accounts.models import User
from reports.selectors.figures import course_figures
from reports.selectors.scope import ReportFilters


def partnership_course_row(world):
    rows = course_figures(viewer=world.admin, filters=ReportFilters())
    return next(r for r in rows if r.group_label == "All agencies" and not r.module_title)


def test_a_leaver_drops_out_of_coverage_from_their_leaving_date(world, travel):
    # a1 completed the course; they leave on 10 June 2026 (today is 1 June).
    User.objects.filter(pk=world.people.a1.pk).update(left_on=date(2026, 6, 10))
    before = partnership_course_row(world)
    assert (before.registered, before.completed) == (9, 3)
    travel.move_to("2026-06-10T09:00:00+01:00")
    after = partnership_course_row(world)
    assert (after.registered, after.completed) == (8, 2)
