"""Erasure (UK GDPR Article 17) and the retention schedule: the security review found that
deleting a person left their LRS statements, here and at destinations, and nothing purged
old data."""

import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Erasure, User
from accounts.roles import Role
from accounts.services import accounts_retention_apply, person_erase
from courses.models import Enrolment
from directory.services.erasure import directory_retention_apply
from learning.models import EventKind
from learning.services import learning_event_record
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory
from tests.directory.factories import ServiceFactory
from tests.tracking.lrs.factories import new_id, statement
from tracking.lrs.models import Document, Statement
from tracking.lrs.services import platform_authority, statement_store
from tracking.models import Delivery, DeliveryState
from tracking.services.erasure import tracking_retention_apply
from tracking.statements import actor_account
from tracking.vocabulary import VERB_VOIDED

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(roles=[Role.PARTNERSHIP_ADMIN])


def _launch(user, course):
    return learning_event_record(
        user=user, kind=EventKind.COURSE_LAUNCHED, activity=f"course:{course.pk}", course=course
    )


def test_erasure_deletes_the_persons_statements_and_keeps_everyone_elses(admin):
    course = CoursePageFactory()
    person, colleague = UserFactory(), UserFactory()
    mine, theirs = _launch(person, course), _launch(colleague, course)
    # A statement from another system about the person (they are the actor there too).
    other = {
        "id": str(uuid.uuid4()),
        "actor": actor_account(user=person).as_version("1.0.3"),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "https://police.example.org/courses/1"},
    }
    statement_store(statements=[other], authority=platform_authority())

    record = person_erase(user=person, by=admin, reason="Article 17 request")

    assert not User.objects.filter(pk=person.pk).exists()
    assert not Statement.objects.filter(statement_id__in=[mine.id, other["id"]]).exists()
    assert Statement.objects.filter(statement_id=theirs.id).exists()
    assert record.counts["xapi_statements_deleted"] == 2
    assert person.email not in str(Erasure.objects.values().get())


def test_each_destination_that_had_the_statements_is_sent_a_voiding(admin, destination_factory):
    course = CoursePageFactory()
    police_lrs, never_got_it = destination_factory(), destination_factory()
    person = UserFactory()
    event = _launch(person, course)
    Delivery.objects.filter(destination=police_lrs).update(state=DeliveryState.SENT)
    Delivery.objects.filter(destination=never_got_it).update(state=DeliveryState.FAILED)

    person_erase(user=person, by=admin, reason="Article 17 request")

    (notice,) = Delivery.objects.filter(verb_id=VERB_VOIDED)
    assert notice.destination == police_lrs
    assert notice.user is None
    assert notice.statement.data["object"] == {"objectType": "StatementRef", "id": str(event.id)}
    assert "platform-erasure" in notice.statement.actor_ifi  # never the erased person
    assert notice.state in {DeliveryState.PENDING, DeliveryState.RETRY}  # retried, visible


def test_learning_records_and_documents_go_with_the_person(admin):
    from courses.services.learning import enrolment_create
    from tracking.lrs.agents import agent_ifi

    person = UserFactory()
    enrolment_create(user=person, course=CoursePageFactory())
    ifi_agent = actor_account(user=person).as_version("1.0.3")
    Document.objects.create(
        kind="state",
        activity_id="https://example.org/a",
        agent_ifi=agent_ifi(ifi_agent),
        document_id="bookmark",
        content=b"{}",
        content_type="application/json",
        etag="x",
        updated=timezone.now(),
    )
    person_erase(user=person, by=admin, reason="test")
    assert not Enrolment.objects.exists()
    assert not Document.objects.exists()


def test_only_a_partnership_admin_can_erase_and_never_themselves(admin):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    person = UserFactory(agency=lead.agency)
    with pytest.raises(PermissionDenied):
        person_erase(user=person, by=lead, reason="test")
    with pytest.raises(PermissionDenied):
        person_erase(user=admin, by=admin, reason="test")
    assert User.objects.filter(pk=person.pk).exists()


def test_problem_reports_keep_what_was_wrong_but_not_who_said_so(admin):
    person = UserFactory(email="reporter@example.org")
    service = ServiceFactory()
    report = service.problem_reports.create(
        description="The phone number is wrong", reporter=person, reporter_email=person.email
    )
    person_erase(user=person, by=admin, reason="test")
    report.refresh_from_db()
    assert (report.description, report.reporter_email, report.reporter) == (
        "The phone number is wrong",
        "",
        None,
    )


def test_the_admin_page_needs_the_email_typed_and_loses_nothing_on_a_mistake(client, admin):
    person = UserFactory(email="leaver@example.org")
    client.force_login(admin)
    url = f"/admin/people/{person.pk}/erase/"
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"email": "someone@example.org", "reason": "Article 17"})
    assert wrong.status_code == 200
    assert "not this person" in wrong.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    done = client.post(url, {"email": "LEAVER@example.org", "reason": "Article 17"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_the_admin_page_is_refused_to_an_agency_lead(client):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    person = UserFactory(agency=lead.agency)
    client.force_login(lead)
    response = client.post(f"/admin/people/{person.pk}/erase/", {"email": person.email})
    assert response.status_code in {302, 403}
    assert User.objects.filter(pk=person.pk).exists()


def test_the_command_erases_by_email_and_explains_an_unknown_one():
    person = UserFactory(email="someone@example.org")
    call_command("erase_person", "Someone@example.org", reason="Article 17")
    assert not User.objects.filter(pk=person.pk).exists()
    with pytest.raises(CommandError, match="Nobody has the email address"):
        call_command("erase_person", "someone@example.org", reason="again")


def test_retention_erases_unconfirmed_and_long_inactive_accounts(settings):
    now = timezone.now()
    old = now - timedelta(days=40)
    unconfirmed = UserFactory(date_joined=old, last_login=None)
    EmailAddress.objects.filter(user=unconfirmed).update(verified=False)
    confirmed = UserFactory(date_joined=old, last_login=None)
    EmailAddress.objects.update_or_create(
        user=confirmed, email=confirmed.email, defaults={"verified": True, "primary": True}
    )
    recent = UserFactory(date_joined=now - timedelta(days=5), last_login=None)
    EmailAddress.objects.filter(user=recent).update(verified=False)
    idle = UserFactory(last_login=now - timedelta(days=6 * 365 + 1))
    active = UserFactory(last_login=now - timedelta(days=30))

    result = accounts_retention_apply(now=now)

    assert result == {
        "unconfirmed_accounts_erased": 1,
        "inactive_accounts_erased": 1,
        "read_notifications_deleted": 0,
    }
    left = set(User.objects.values_list("pk", flat=True))
    assert {confirmed.pk, recent.pk, active.pk} <= left
    assert not {unconfirmed.pk, idle.pk} & left
    assert Erasure.objects.filter(reason__startswith="retention").count() == 2


def test_retention_purges_delivered_rows_and_old_statements_from_other_systems(
    destination_factory,
):
    from tracking.lrs.clients import lrs_client_create

    course = CoursePageFactory()
    destination_factory()
    event = _launch(UserFactory(), course)
    Delivery.objects.update(state=DeliveryState.SENT, sent_at=timezone.now() - timedelta(days=91))
    client, _ = lrs_client_create(name="Police system")
    old, new = statement(id=new_id()), statement(id=new_id())
    statement_store(statements=[old, new], client=client, authority={"mbox": "mailto:a@b.org"})
    Statement.objects.filter(statement_id=old["id"]).update(
        stored=timezone.now() - timedelta(days=2 * 365 + 1)
    )

    result = tracking_retention_apply()

    assert result == {"deliveries_deleted": 1, "client_statements_deleted": 1}
    assert Statement.objects.filter(statement_id=event.id).exists()  # the platform's stay
    assert Statement.objects.filter(statement_id=new["id"]).exists()
    assert not Statement.objects.filter(statement_id=old["id"]).exists()


def test_retention_forgets_who_reported_a_long_resolved_problem():
    service = ServiceFactory()
    report = service.problem_reports.create(
        description="Closed", reporter_email="someone@example.org", status="resolved"
    )
    service.problem_reports.filter(pk=report.pk).update(
        resolved_at=timezone.now() - timedelta(days=400)
    )
    assert directory_retention_apply() == {"problem_reports_anonymised": 1}
    report.refresh_from_db()
    assert report.reporter_email == ""
