"""Bulk staff import: a dry run row by row, then all or nothing, with invitations on commit."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from accounts.models import Team, User
from accounts.staff_import import Action, staff_import_apply, staff_import_plan
from tests.accounts.factories import AgencyFactory, JobRoleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(name="Northshire Police")


@pytest.fixture
def role():
    return JobRoleFactory(name="Police officer", slug="police-officer")


def csv_of(*rows: str, header: str = "Name,Email,Team,Job role,Start date") -> str:
    return "\n".join([header, *rows]) + "\n"


def test_dry_run_reports_each_row_and_writes_nothing(agency, role):
    TeamFactory(agency=agency, name="Missing persons")
    UserFactory(email="old@north.example.org", agency=agency, first_name="Old", last_name="Name")
    UserFactory(email="else@other.example.org")  # another agency's member
    plan = staff_import_plan(
        agency=agency,
        csv_text=csv_of(
            "Ann Smith,ann@north.example.org,Missing persons,Police officer,2026-09-01",
            "Old Renamed,OLD@north.example.org,Missing persons,police officer,",
            "Bad Row,not-an-email,Missing persons,Astronaut,31/02/2026",
            "Eve Else,else@other.example.org,,Police officer,",
            "Ann Again,ann@north.example.org,New team,Police officer,",
        ),
    )
    assert [(r.line, r.action) for r in plan.rows] == [
        (2, Action.CREATE),
        (3, Action.UPDATE),
        (4, Action.ERROR),
        (5, Action.ERROR),
        (6, Action.ERROR),
    ]
    assert len(plan.rows[2].errors) == 3  # email, job role, date
    assert "another agency" in plan.rows[3].errors[0]
    assert "earlier row" in plan.rows[4].errors[0]
    assert not User.objects.filter(email="ann@north.example.org").exists()


def test_import_creates_updates_and_invites_on_commit(
    agency, role, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="old@north.example.org", agency=agency, first_name="Old")
    with django_capture_on_commit_callbacks(execute=True):
        staff_import_apply(
            agency=agency,
            csv_text=csv_of(
                "Ann Smith,ann@north.example.org,Missing persons,Police officer,01/09/2026",
                "Old Renamed,old@north.example.org,,Police officer,",
            ),
        )
    ann = User.objects.get(email="ann@north.example.org")
    assert (ann.first_name, ann.last_name, ann.agency) == ("Ann", "Smith", agency)
    assert ann.team == Team.objects.get(agency=agency, name="Missing persons")
    assert ann.job_role == role and ann.started_on == datetime.date(2026, 9, 1)
    assert not ann.has_usable_password()
    assert not EmailAddress.objects.get(user=ann).verified
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name, existing.team) == ("Old", "Renamed", None)
    assert [m.to for m in mailoutbox] == [["ann@north.example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_a_file_with_any_error_imports_nothing(agency, role):
    with pytest.raises(ValidationError):
        staff_import_apply(
            agency=agency,
            csv_text=csv_of(
                "Ann Smith,ann@north.example.org,Missing persons,Police officer,",
                "No Role,bo@north.example.org,Missing persons,Astronaut,",
            ),
        )
    assert not User.objects.filter(email="ann@north.example.org").exists()
    assert not Team.objects.filter(name="Missing persons").exists()


def test_a_file_without_the_required_columns_is_refused(agency):
    with pytest.raises(ValidationError, match="job role"):
        staff_import_plan(agency=agency, csv_text="Name,Email,Team\nA,a@x.org,T\n")
