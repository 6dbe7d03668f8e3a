"""The evaluation and 8 to 12-week follow-up after a training event, as after a course."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Sector
from accounts.roles import Role
from events.models import EventSession
from events.services.attendance import register_mark
from events.services.booking import booking_create
from reports.models import Evaluation, FollowUp
from reports.selectors.evaluation import evaluation_summaries, event_evaluation_completion
from reports.selectors.insight import SUPPRESSED
from reports.selectors.scope import ReportFilters
from reports.selectors.tables import report_table
from reports.services.evaluation import EvaluationError, event_evaluation_submit, follow_ups_send
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.events.factories import EventSessionFactory
from tests.reports.factories import admin, course_with_modules, lead_of

pytestmark = pytest.mark.django_db

OUTCOMES = "Plan a supervision session\nChallenge another agency's view"
ANSWERS = {
    "usefulness": "4",
    "outcome_1_before": "2",
    "outcome_1_after": "4",
    "outcome_2_before": "1",
    "outcome_2_after": "3",
}


@pytest.fixture
def session(db):
    session = EventSessionFactory(
        page__title="Reflective supervision", page__learning_outcomes=OUTCOMES, capacity=20
    )
    session.trainers.add(UserFactory(roles=[Role.TRAINER]))
    session.save()
    return session


def _held(session):
    """The session took place yesterday (booked while it was still ahead)."""
    start = timezone.now() - timedelta(days=1)
    EventSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    session.refresh_from_db()


def attend(session, people, mark="attended"):
    bookings = [booking_create(user=person, session=session) for person in people]
    _held(session)
    register_mark(
        session=session,
        marks={b.pk: mark for b in bookings},
        marked_by=session.trainers.get(),
    )
    return bookings


def test_an_attendee_evaluates_the_event_from_their_bookings(client, session):
    person = UserFactory()
    [booking] = attend(session, [person])
    client.force_login(person)
    url = reverse("reports:event_evaluation", args=[booking.registration])

    assert url in client.get(reverse("events:my_bookings")).content.decode()
    page = client.get(url).content.decode()
    assert "Tell us what you thought of this event" in page
    assert "Plan a supervision session: your confidence before the event" in page
    missing = client.post(url, {"usefulness": "4"})
    assert missing.status_code == 400 and not Evaluation.objects.exists()
    assert "Thank you" in client.post(url, ANSWERS).content.decode()

    evaluation = Evaluation.objects.get()
    assert (evaluation.event_id, evaluation.title) == (session.page_id, "Reflective supervision")
    assert evaluation.course_id is None and evaluation.usefulness == 4
    assert list(evaluation.confidence.values_list("outcome", "before", "after")) == [
        ("Plan a supervision session", 2, 4),
        ("Challenge another agency's view", 1, 3),
    ]
    assert "Thank you" in client.get(url).content.decode()  # no second evaluation
    assert Evaluation.objects.count() == 1


def test_only_people_the_register_shows_attended_may_evaluate(client, session):
    person, other = UserFactory(), UserFactory()
    [booking] = attend(session, [person], mark="did_not_attend")
    url = reverse("reports:event_evaluation", args=[booking.registration])
    client.force_login(person)
    assert client.get(url).status_code == 404
    trainer = session.trainers.get()
    register_mark(session=session, marks={booking.pk: "attended"}, marked_by=trainer)
    client.force_login(other)
    assert client.get(url).status_code == 404  # someone else's booking
    client.force_login(person)
    assert client.get(url).status_code == 200
    # The trainer corrects the register: no longer attended, no evaluation.
    register_mark(session=session, marks={booking.pk: "left_early"}, marked_by=trainer)
    assert client.get(url).status_code == 404


def test_an_evaluation_of_someone_elses_attendance_is_refused(session):
    [booking] = attend(session, [UserFactory()])
    completion = event_evaluation_completion(user=booking.user, registration=booking.registration)
    with pytest.raises(EvaluationError):
        event_evaluation_submit(
            user=UserFactory(), event_completion=completion, usefulness=3, confidence=[(1, 2)] * 2
        )


def _evaluate(booking, usefulness=4):
    completion = event_evaluation_completion(user=booking.user, registration=booking.registration)
    return event_evaluation_submit(
        user=booking.user,
        event_completion=completion,
        usefulness=usefulness,
        confidence=[(2, 4), (1, 3)],
    )


def test_the_follow_up_is_emailed_once_8_to_12_weeks_after_the_event(session, mailoutbox):
    [booking] = attend(session, [UserFactory()])
    evaluation = _evaluate(booking)
    now = evaluation.submitted_at

    assert follow_ups_send(at=now + timedelta(weeks=7)) == 0
    assert follow_ups_send(at=now + timedelta(weeks=9)) == 1
    assert follow_ups_send(at=now + timedelta(weeks=10)) == 0

    [mail] = mailoutbox
    assert mail.subject == "Has your practice changed? Reflective supervision"
    assert '"Reflective supervision"' in mail.body
    follow_up = FollowUp.objects.get(evaluation=evaluation)
    assert reverse("reports:follow_up", args=[follow_up.token]) in mail.body


def test_the_follow_up_page_asks_about_the_event_not_a_course(client, session):
    person = UserFactory()
    [booking] = attend(session, [person])
    evaluation = _evaluate(booking)
    follow_ups_send(at=evaluation.submitted_at + timedelta(weeks=9))
    follow_up = FollowUp.objects.get(evaluation=evaluation)
    client.force_login(person)
    page = client.get(reverse("reports:follow_up", args=[follow_up.token])).content.decode()
    assert "since you attended the event?" in page
    assert "since you completed the course" not in page


def test_evaluation_figures_include_events_with_small_numbers_suppressed(session):
    police = AgencyFactory(sector=Sector.POLICE)
    health = AgencyFactory(sector=Sector.HEALTH)
    bookings = attend(
        session, [UserFactory(agency=police) for _ in range(5)] + [UserFactory(agency=health)]
    )
    for n, booking in enumerate(bookings):
        _evaluate(booking, usefulness=5 if n % 2 else 3)

    [summary] = evaluation_summaries(viewer=admin(), filters=ReportFilters())
    assert summary.course_title == "Reflective supervision (training event)"
    assert (summary.responses, summary.usefulness) == (6, 4.0)
    assert summary.outcomes == [
        ("Plan a supervision session", 2.0, 4.0),
        ("Challenge another agency's view", 1.0, 3.0),
    ]
    table = report_table(name="evaluation", viewer=admin(), filters=ReportFilters())
    assert table.rows[0][:3] == ["Reflective supervision (training event)", 6, 4.0]

    # Police alone: 5 responses, but the 1 left out (health) could be singled out by difference.
    narrowed = evaluation_summaries(viewer=admin(), filters=ReportFilters(agency_id=police.pk))
    assert narrowed[0].responses == SUPPRESSED and narrowed[0].usefulness is None
    # Health's lead sees one response: counted as fewer than 5, no averages.
    [health_only] = evaluation_summaries(viewer=lead_of(health), filters=ReportFilters())
    assert health_only.responses == SUPPRESSED and health_only.outcomes == []


def test_a_report_narrowed_to_one_course_leaves_events_out(session, world_course):
    [booking] = attend(session, [UserFactory()])
    _evaluate(booking)
    filters = ReportFilters(course_id=world_course.pk)
    assert evaluation_summaries(viewer=admin(), filters=filters) == []


@pytest.fixture
def world_course(db):
    course, _ = course_with_modules(modules=1)
    return course
