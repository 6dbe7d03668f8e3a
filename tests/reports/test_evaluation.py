"""End-of-course evaluation, the 8 to 12 week follow-up email, and their aggregation."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Evaluation, FollowUp, PracticeChange
from reports.selectors.evaluation import evaluation_summaries, reporting_year
from reports.selectors.insight import SUPPRESSED
from reports.selectors.scope import ReportFilters
from reports.services.evaluation import EvaluationError, evaluation_submit, follow_ups_send
from tests.accounts.factories import UserFactory
from tests.reports.factories import complete, course_with_modules, enrol

OUTCOMES = "Explain the 72 hours\nRecord a return home interview"


@pytest.fixture
def course(world):
    course, _ = course_with_modules(modules=1, learning_outcomes=OUTCOMES)
    return course


def completed(course, agency):
    user = UserFactory(agency=agency)
    return user, complete(enrol(user, course, "2026-01-01"), "2026-02-01")


def test_learner_evaluates_a_completed_course(client, course, world):
    user, completion = completed(course, world.police)
    client.force_login(user)
    url = reverse("reports:evaluation", args=[course.pk])
    page = client.get(url)
    assert "Explain the 72 hours: your confidence before the course" in page.content.decode()
    answers = {"usefulness": "4", "outcome_1_before": "2", "outcome_1_after": "4"}
    response = client.post(url, answers)
    assert response.status_code == 400  # outcome 2 is missing: nothing saved
    assert "Rate your confidence before the course for: Record" in response.content.decode()
    assert not Evaluation.objects.exists()
    response = client.post(url, {**answers, "outcome_2_before": "1", "outcome_2_after": "3"})
    assert "Thank you" in response.content.decode()
    evaluation = Evaluation.objects.get()
    assert (evaluation.usefulness, evaluation.completion) == (4, completion)
    assert list(evaluation.confidence.values_list("before", "after")) == [(2, 4), (1, 3)]
    assert "Thank you" in client.get(url).content.decode()  # no second evaluation


def test_evaluation_needs_the_learners_own_valid_completion(client, course, world):
    client.force_login(UserFactory(agency=world.police))
    assert client.get(reverse("reports:evaluation", args=[course.pk])).status_code == 404
    user, completion = completed(course, world.police)
    with pytest.raises(EvaluationError):
        evaluation_submit(
            user=UserFactory(), completion=completion, usefulness=3, confidence=[(1, 2), (1, 2)]
        )
    with pytest.raises(EvaluationError):
        evaluation_submit(
            user=user, completion=completion, usefulness=9, confidence=[(1, 2), (1, 2)]
        )


def test_follow_up_is_emailed_once_between_8_and_12_weeks(course, world, travel, mailoutbox):
    user, completion = completed(course, world.police)
    evaluation_submit(user=user, completion=completion, usefulness=5, confidence=[(1, 4), (2, 5)])
    travel.move_to("2026-07-20T09:00:00+00:00")  # 7 weeks on
    assert follow_ups_send() == 0
    travel.move_to("2026-08-03T09:00:00+00:00")  # 9 weeks on
    assert follow_ups_send() == 1
    assert follow_ups_send() == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    token = str(FollowUp.objects.get().token)
    assert token in mailoutbox[0].body


def test_follow_up_answer_is_saved_for_its_learner_only(client, course, world, travel):
    user, completion = completed(course, world.police)
    evaluation = evaluation_submit(
        user=user, completion=completion, usefulness=5, confidence=[(1, 4), (2, 5)]
    )
    item = FollowUp.objects.create(evaluation=evaluation)
    url = reverse("reports:follow_up", args=[item.token])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.post(url, {}).status_code == 400
    client.post(url, {"practice_changed": "yes", "example": "I now offer the interview."})
    item.refresh_from_db()
    assert (item.practice_changed, item.answered_at is not None) == (PracticeChange.YES, True)


def test_summaries_show_averages_only_from_5_responses(course, world):
    for n in range(4):
        user, completion = completed(course, world.police)
        evaluation_submit(
            user=user, completion=completion, usefulness=n + 1, confidence=[(1, 3), (2, 4)]
        )
    (summary,) = evaluation_summaries(viewer=world.admin, filters=ReportFilters())
    assert (summary.responses, summary.usefulness, summary.outcomes) == (SUPPRESSED, None, [])
    user, completion = completed(course, world.health)
    evaluation_submit(user=user, completion=completion, usefulness=5, confidence=[(2, 5), (2, 4)])
    (summary,) = evaluation_summaries(viewer=world.admin, filters=ReportFilters())
    assert summary.responses == 5
    assert summary.usefulness == 3.0  # (1 + 2 + 3 + 4 + 5) / 5
    assert summary.outcomes == [
        ("Explain the 72 hours", 1.2, 3.4),
        ("Record a return home interview", 2.0, 4.0),
    ]
    lead_view = evaluation_summaries(viewer=world.police_lead, filters=ReportFilters())
    assert lead_view[0].responses == SUPPRESSED  # four in police


def test_follow_up_email_link_opens_the_question(client, course, world, travel, mailoutbox):
    user, completion = completed(course, world.police)
    evaluation_submit(user=user, completion=completion, usefulness=5, confidence=[(1, 4), (2, 5)])
    travel.move_to("2026-08-10T09:00:00+00:00")
    follow_ups_send()
    path = re.search(r"https?://[^/]+(/reports/evaluation/follow-up/[^\s]+)", mailoutbox[0].body)
    client.force_login(user)
    assert "Has your practice changed?" in client.get(path.group(1)).content.decode()


def five_responses(course, agency, usefulness=4):
    for _ in range(5):
        user, completion = completed(course, agency)
        evaluation_submit(
            user=user, completion=completion, usefulness=usefulness, confidence=[(1, 3), (2, 4)]
        )


def test_two_overlapping_date_ranges_cannot_be_differenced(course, world):
    # Security review finding: averages over [d1, today] and [d2, today] gave one answer away.
    five_responses(course, world.police)
    user, completion = completed(course, world.police)
    evaluation_submit(user=user, completion=completion, usefulness=1, confidence=[(1, 1), (1, 1)])
    Evaluation.objects.filter(user=user).update(submitted_at=timezone.now() - timedelta(days=1))
    today = timezone.localdate()
    wide = evaluation_summaries(
        viewer=world.admin, filters=ReportFilters(date_from=today - timedelta(days=300))
    )
    narrow = evaluation_summaries(viewer=world.admin, filters=ReportFilters(date_from=today))
    assert wide == narrow
    assert narrow[0].responses == 6


def test_summaries_cover_the_reporting_year_of_the_range_end(course, world, settings):
    settings.REPORTING_YEAR_START_MONTH = 4
    assert reporting_year(on=date(2026, 12, 3)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert reporting_year(on=date(2027, 3, 31)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert reporting_year(on=date(2027, 4, 1)) == (date(2027, 4, 1), date(2028, 3, 31))
    five_responses(course, world.police)
    Evaluation.objects.update(submitted_at=timezone.now() - timedelta(days=800))
    assert evaluation_summaries(viewer=world.admin, filters=ReportFilters()) == []
    two_years_ago = timezone.localdate() - timedelta(days=800)
    (summary,) = evaluation_summaries(
        viewer=world.admin, filters=ReportFilters(date_to=two_years_ago)
    )
    assert summary.responses == 5
    assert summary.period == reporting_year(on=two_years_ago)


def test_narrowing_to_one_agency_cannot_single_out_the_rest(course, world):
    five_responses(course, world.police)
    user, completion = completed(course, world.health)
    evaluation_submit(user=user, completion=completion, usefulness=1, confidence=[(1, 1), (1, 1)])
    (everyone,) = evaluation_summaries(viewer=world.admin, filters=ReportFilters())
    assert everyone.usefulness is not None  # six responses across the partnership
    (police,) = evaluation_summaries(
        viewer=world.admin, filters=ReportFilters(agency_id=world.police.pk)
    )
    # Police alone has 5, but the one left out would be the difference of the two averages.
    assert (police.responses, police.usefulness, police.outcomes) == (SUPPRESSED, None, [])
    user, completion = completed(course, world.health)
    evaluation_submit(user=user, completion=completion, usefulness=2, confidence=[(1, 2), (1, 2)])
    for _ in range(3):
        user, completion = completed(course, world.health)
        evaluation_submit(
            user=user, completion=completion, usefulness=2, confidence=[(1, 2), (1, 2)]
        )
    (police,) = evaluation_summaries(
        viewer=world.admin, filters=ReportFilters(agency_id=world.police.pk)
    )
    assert (police.responses, police.usefulness) == (5, 4.0)
