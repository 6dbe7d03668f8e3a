"""Assigning courses: agency leads assign to their own staff only; learners get an email."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import MembershipStatus
from accounts.roles import Role
from courses.models import Enrolment, EnrolmentSource
from courses.selectors.requirements import my_learning
from courses.services.learning import enrolments_assign
from tests.accounts.factories import JobRoleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_agency_lead_assigns_a_course_to_their_staff(
    client, course, django_capture_on_commit_callbacks, mailoutbox
):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    staff = UserFactory(agency=lead.agency)
    client.force_login(lead)
    assert client.get("/courses/assign/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/courses/assign/", {"course": course.pk, "learners": [staff.pk]})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=staff)
    assert enrolment.source == EnrolmentSource.ASSIGNED and enrolment.assigned_by == lead
    assert mailoutbox[0].to == [staff.email] and course.title in mailoutbox[0].body
    client.post("/courses/assign/", {"course": course.pk, "learners": [staff.pk]})
    assert Enrolment.objects.filter(user=staff).count() == 1  # idempotent


def test_a_lead_cannot_assign_to_another_agency_and_sees_why(client, course):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    outsider = UserFactory()
    client.force_login(lead)
    response = client.post("/courses/assign/", {"course": course.pk, "learners": [outsider.pk]})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert not Enrolment.objects.exists()
    assert outsider.email.encode() not in client.get("/courses/assign/").content


def test_learners_cannot_assign(client, learner):
    client.force_login(learner)
    assert client.get("/courses/assign/").status_code == 403


@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.REJECTED])
def test_members_not_approved_are_not_offered_and_cannot_be_assigned(client, course, status):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    approved = UserFactory(agency=lead.agency)
    waiting = UserFactory(agency=lead.agency, membership_status=status)
    client.force_login(lead)

    page = client.get("/courses/assign/").content
    assert approved.email.encode() in page
    assert waiting.email.encode() not in page
    response = client.post("/courses/assign/", {"course": course.pk, "learners": [waiting.pk]})
    assert response.status_code == 400
    assert not Enrolment.objects.filter(user=waiting).exists()


def test_an_admin_with_nobody_approved_to_assign_yet_sees_the_form_saying_so(client, course):
    admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN], agency=None)
    UserFactory(membership_status=MembershipStatus.PENDING)
    client.force_login(admin)

    response = client.get("/courses/assign/")

    assert response.status_code == 200
    assert b"There is nobody to assign yet" in response.content


def test_a_lead_assigns_a_whole_team_and_a_job_role_with_a_due_date_that_makes_it_required(
    client, course
):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    team, role = TeamFactory(agency=lead.agency), JobRoleFactory()
    in_team = [UserFactory(agency=lead.agency, team=team) for _ in range(2)]
    in_role = UserFactory(agency=lead.agency, job_role=role)
    left_out = UserFactory(agency=lead.agency)
    outsider = UserFactory(team=TeamFactory(), job_role=role)  # another agency: never reached
    due = timezone.localdate() + timedelta(days=30)
    client.force_login(lead)

    response = client.post(
        "/courses/assign/",
        {
            "course": course.pk,
            "teams": [team.pk],
            "job_roles": [role.pk],
            "due_day": due.day,
            "due_month": due.month,
            "due_year": due.year,
        },
        follow=True,
    )

    assert f"to 3 of 3, due {due:%-d %B %Y}" in response.content.decode()
    assigned = set(Enrolment.objects.values_list("user_id", flat=True))
    assert assigned == {u.pk for u in [*in_team, in_role]}
    assert left_out.pk not in assigned and outsider.pk not in assigned
    learning = my_learning(user=in_role)
    (required,) = learning["required"]
    assert required.course.pk == course.pk and required.status == "due"
    assert timezone.localdate(required.due) == due
    # Assigned but never opened: "to start", not "in progress".
    assert learning["in_progress"] == [] and [e.course_id for e in learning["assigned"]] == [
        course.pk
    ]
    html = client.get("/courses/assign/").content.decode()
    assert "Whole teams" in html and "Everyone in a job role" in html


def test_an_assignment_past_its_due_date_is_overdue_and_bad_dates_are_refused(client, course):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    staff = UserFactory(agency=lead.agency)
    enrolments_assign(
        course=course,
        learners=[staff],
        assigned_by=lead,
        due_at=timezone.now() - timedelta(days=1),
    )
    assert my_learning(user=staff)["required"][0].status == "overdue"

    client.force_login(lead)
    for day, month, year in (("31", "2", "2030"), ("1", "", "2030"), ("1", "1", "2001")):
        response = client.post(
            "/courses/assign/",
            {
                "course": course.pk,
                "learners": [staff.pk],
                "due_day": day,
                "due_month": month,
                "due_year": year,
            },
        )
        assert response.status_code == 400
    response = client.post("/courses/assign/", {"course": course.pk})
    assert "Choose at least one person, team or job role" in response.content.decode()
