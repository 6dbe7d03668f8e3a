"""manage.py load_demo: agencies, job roles and one verified account per role, idempotently."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import Agency, JobRole, Sector, Team, User
from accounts.roles import Role
from courses.models import RequiredLearning
from events.models import EventRequirement
from reports.selectors.scope import ReportFilters
from reports.selectors.staff import staff_statuses
from tests.courses.factories import CoursePageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


def run(monkeypatch, password=None) -> str:
    if password:
        monkeypatch.setenv("DEMO_PASSWORD", password)
    else:
        monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.setattr("pages.management.commands.load_demo.get_commands", lambda: {})
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_an_agency_per_sector_with_domains_and_teams(monkeypatch):
    run(monkeypatch)

    sectors = set(Agency.objects.values_list("sector", flat=True))
    assert sectors == set(Sector.values) - {Sector.OTHER}
    assert Agency.objects.get(slug="gmp").domains.get().domain == "police.example.org"
    assert Team.objects.filter(agency__slug="oldham-csc").count() == 4
    assert JobRole.objects.filter(slug="independent-reviewing-officer").exists()


def test_load_demo_makes_one_verified_account_per_role_and_prints_them(monkeypatch):
    out = run(monkeypatch, password="a-demo-passphrase")

    for role in Role:
        user = User.objects.get(groups__name=role.value)
        assert user.check_password("a-demo-passphrase")
        assert EmailAddress.objects.get(user=user, primary=True, verified=True)
        assert user.email in out
    assert "a-demo-passphrase" in out


def test_load_demo_prints_the_default_password_when_none_is_set(monkeypatch):
    out = run(monkeypatch)

    assert "(default): safeguarding-demo-2026" in out
    assert User.objects.get(email="learner@oldham.example.org").check_password(
        "safeguarding-demo-2026"
    )


def test_load_demo_is_idempotent(monkeypatch):
    run(monkeypatch)
    counts = [m.objects.count() for m in (Agency, Team, JobRole, User, EmailAddress)]

    run(monkeypatch)

    assert [m.objects.count() for m in (Agency, Team, JobRole, User, EmailAddress)] == counts


def test_load_demo_loads_content_when_that_command_exists(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "pages.management.commands.load_demo.get_commands", lambda: {"load_content": "x"}
    )
    monkeypatch.setattr(
        "pages.management.commands.load_demo.call_command",
        lambda name, **kwargs: calls.append(name),
    )

    call_command("load_demo", stdout=io.StringIO())

    assert calls == ["load_content", "load_events"]  # events after their prerequisite courses


def test_load_demo_gives_the_reports_required_and_overdue_learners_in_several_agencies(
    monkeypatch,
):
    course = CoursePageFactory(title="Missing children: the basics")
    ModulePageFactory(parent=course)
    run(monkeypatch)
    run(monkeypatch)  # idempotent

    assert RequiredLearning.objects.filter(course=course).exists()
    admin = User.objects.get(groups__name=Role.PARTNERSHIP_ADMIN.value)
    for slug in ("gmp", "oldham-csc", "nca-nhs"):
        agency = Agency.objects.get(slug=slug)
        staff = staff_statuses(viewer=admin, filters=ReportFilters(agency_id=agency.pk))
        statuses = {row.status for row in staff}
        assert {"overdue", "completed", "refresher_due"} <= statuses, slug
    assert User.objects.filter(agency__slug="gmp", membership_status="pending").count() == 2


def test_load_demo_requires_a_multi_agency_event_every_36_months_with_met_and_overdue_staff(
    monkeypatch,
):
    course = CoursePageFactory(title="Missing children: the basics")
    ModulePageFactory(parent=course)
    run(monkeypatch)
    run(monkeypatch)  # idempotent: one rule, one past session

    rule = EventRequirement.objects.get()
    assert (rule.sectors, rule.renew_every_months) == ([Sector.EDUCATION], 36)
    assert {e.slug for e in rule.events.all()} == {
        "multi-agency-reflective-supervision",
        "missing-children-practice-across-agencies",
    }
    admin = User.objects.get(groups__name=Role.PARTNERSHIP_ADMIN.value)
    school = Agency.objects.get(slug="oldham-schools")
    staff = staff_statuses(viewer=admin, filters=ReportFilters(agency_id=school.pk))
    met = [s for s in staff if rule.title in s.courses.get("completed", [])]
    overdue = [s for s in staff if rule.title in s.courses.get("overdue", [])]
    assert met and overdue
