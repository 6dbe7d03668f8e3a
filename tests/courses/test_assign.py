"""Assigning courses: agency leads assign to their own staff only; learners get an email."""

import pytest

from accounts.models import MembershipStatus
from accounts.roles import Role
from courses.models import Enrolment, EnrolmentSource
from tests.accounts.factories import UserFactory

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
