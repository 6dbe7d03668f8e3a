"""Progress per course: "40% complete" on My learning and the course page, with statuses."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.selectors.learner import CourseProgress
from tests.accounts.factories import UserFactory
from tests.reports.factories import complete, course_with_modules, enrol, module_done

pytestmark = pytest.mark.django_db


def started_course(user, *, modules: int, done: int, started: int = 0, title: str = "Course"):
    course, pages = course_with_modules(modules=modules, title=title)
    enrolment = enrol(user, course, "2026-01-05")
    for page in pages[:done]:
        module_done(enrolment, page, "2026-01-06", "2026-01-07")
    for page in pages[done : done + started]:
        module_done(enrolment, page, "2026-01-08")
    return course, pages, enrolment


def test_percent_is_whole_modules_done_rounded_down():
    assert CourseProgress(done=2, total=5).percent == 40
    assert CourseProgress(done=2, total=3).percent == 66
    assert CourseProgress(done=0, total=0).percent == 0


def test_my_learning_shows_each_course_as_a_percentage_complete(client):
    learner = UserFactory()
    started_course(learner, modules=5, done=2, title="Missing children")
    started_course(learner, modules=4, done=1, started=1, title="Curiosity")
    client.force_login(learner)

    soup = BeautifulSoup(client.get("/courses/my/").content, "html.parser")

    cards = {
        card.h3.get_text(strip=True): card.get_text(" ", strip=True)
        for card in soup.select("li.app-card")
    }
    assert "40% complete (2 of 5 modules)" in cards["Missing children"]
    assert "25% complete (1 of 4 modules)" in cards["Curiosity"]


def test_my_learning_reads_progress_without_a_query_per_course(client):
    learner = UserFactory()
    client.force_login(learner)
    started_course(learner, modules=2, done=1)
    client.get("/courses/my/")
    with CaptureQueriesContext(connection) as one_course:
        client.get("/courses/my/")
    for _ in range(3):
        started_course(learner, modules=3, done=2)
    with CaptureQueriesContext(connection) as four_courses:
        page = client.get("/courses/my/")
    assert page.content.decode().count("66% complete") == 3
    assert len(four_courses) == len(one_course)


def test_the_course_page_lists_modules_as_a_task_list_with_statuses_and_percent(client):
    learner = UserFactory()
    course, pages, _ = started_course(learner, modules=5, done=2, started=1)
    client.force_login(learner)

    soup = BeautifulSoup(client.get(course.url).content, "html.parser")

    assert soup.select_one("#course-progress").get_text(" ", strip=True) == (
        "40% complete (2 of 5 modules)"
    )
    rows = [
        (
            item.select_one(".govuk-task-list__link").get_text(strip=True),
            item.select_one(".govuk-task-list__status").get_text(strip=True),
        )
        for item in soup.select(".govuk-task-list__item")
    ]
    assert rows == [
        (pages[0].title, "Completed"),
        (pages[1].title, "Completed"),
        (pages[2].title, "In progress"),
        (pages[3].title, "Not yet started"),
        (pages[4].title, "Not yet started"),
    ]


def test_a_completed_course_shows_100_percent_and_every_module_completed(client):
    learner = UserFactory()
    course, pages, enrolment = started_course(learner, modules=2, done=2)
    complete(enrolment, "2026-01-09")
    client.force_login(learner)

    soup = BeautifulSoup(client.get(course.url).content, "html.parser")

    assert "100% complete" in soup.select_one("#course-progress").get_text()
    statuses = [s.get_text(strip=True) for s in soup.select(".govuk-task-list__status")]
    assert statuses == ["Completed", "Completed"]
