"""Learner notifications: assigned, due soon, overdue, approved, certificate ready; read once
seen; exported, erased with the account and removed by retention once read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import MembershipStatus, Notification, NotificationKind
from accounts.roles import Role
from accounts.services import accounts_retention_apply, person_erase, user_data_export
from courses.services.learning import enrolment_create, enrolments_assign
from courses.services.refreshers import requirement_notifications_create
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.test_completion import answer_all

pytestmark = pytest.mark.django_db

PAGE = "/accounts/notifications/"


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_an_assignment_is_notified_counted_in_the_header_bannered_and_read_once_seen(
    client, course
):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    staff = UserFactory(agency=lead.agency)
    client.force_login(lead)
    due = (timezone.localdate() + timedelta(days=20)).strftime("%d %m %Y").split()
    client.post(
        "/courses/assign/",
        {
            "course": course.pk,
            "learners": [staff.pk],
            "due_day": due[0],
            "due_month": due[1],
            "due_year": due[2],
        },
    )
    client.force_login(staff)

    mine = client.get("/courses/my/").content.decode()
    assert "Notifications (1 unread)</a>" in mine
    assert "govuk-notification-banner" in mine
    assert f"{course.title} has been assigned to you" in mine

    page = client.get(PAGE).content.decode()
    assert ">New</strong>" in page and f'href="{course.url}"' in page
    assert "Notifications (1 unread)" not in client.get(PAGE).content.decode()
    again = client.get("/courses/my/").content.decode()
    assert ">New</strong>" not in client.get(PAGE).content.decode()
    assert "govuk-notification-banner" not in again and "unread)" not in again

    enrolments_assign(course=course, learners=[staff], assigned_by=lead)
    assert Notification.objects.filter(user=staff).count() == 1  # one per assignment


def test_a_learner_sees_only_their_own_notifications(client, course):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    staff, other = UserFactory(agency=lead.agency), UserFactory(agency=lead.agency)
    enrolments_assign(course=course, learners=[staff], assigned_by=lead)
    client.force_login(other)
    page = client.get(PAGE).content.decode()
    assert "You have no notifications" in page and course.title not in page
    assert client.get("/courses/my/").content.decode().count("govuk-notification-banner") == 0
    client.logout()
    assert client.get(PAGE).status_code == 302  # sign in first


def test_approval_is_notified(client):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    lead.agency.requires_approval = True
    lead.agency.save()
    waiting = UserFactory(agency=lead.agency, membership_status=MembershipStatus.PENDING)
    client.force_login(lead)
    client.post("/accounts/agency/members/", {"member": waiting.pk, "decision": "approve"})
    notification = Notification.objects.get(user=waiting)
    assert notification.kind == NotificationKind.APPROVED
    assert "was approved" in notification.text


def test_a_certificate_ready_is_notified(client, learner, course):
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    answer_all(learner, course)
    client.force_login(learner)
    page = client.get(PAGE).content.decode()
    assert f"Your certificate for {course.title} is ready to download" in page


def test_required_learning_due_soon_then_overdue_is_notified_once_each(course):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    staff = UserFactory(agency=lead.agency)
    later = UserFactory(agency=lead.agency)
    now = timezone.now()
    enrolments_assign(
        course=course, learners=[staff], assigned_by=lead, due_at=now + timedelta(days=10)
    )
    enrolments_assign(
        course=course, learners=[later], assigned_by=lead, due_at=now + timedelta(days=90)
    )

    assert requirement_notifications_create(at=now) == 1
    assert requirement_notifications_create(at=now) == 0  # idempotent
    assert kinds(staff) == ["assigned", "due_soon"]
    assert kinds(later) == ["assigned"]

    assert requirement_notifications_create(at=now + timedelta(days=11)) == 1
    assert kinds(staff) == ["assigned", "due_soon", "overdue"]
    overdue = Notification.objects.get(user=staff, kind=NotificationKind.OVERDUE)
    assert overdue.text.startswith(f"{course.title} is overdue")


def test_notifications_are_exported_erased_with_the_person_and_removed_once_read_long_ago(
    course,
):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    staff = UserFactory(agency=lead.agency)
    enrolments_assign(course=course, learners=[staff], assigned_by=lead)
    exported = user_data_export(user=staff)["notifications"]
    assert [n["kind"] for n in exported] == ["assigned"] and exported[0]["read_at"] is None

    Notification.objects.filter(user=staff).update(read_at=timezone.now() - timedelta(days=400))
    result = accounts_retention_apply()
    assert result["read_notifications_deleted"] == 1
    assert not Notification.objects.filter(user=staff).exists()

    enrolments_assign(course=course, learners=[lead], assigned_by=lead)
    person_erase(user=lead, by=None, reason="test")
    assert not Notification.objects.exists()
