"""Learner journeys over HTTP without JavaScript: enrol, resume, answer, reflect, My learning."""

import pytest

from courses.models import CheckAnswer, Enrolment, ModulePage, Reflection
from courses.selectors.records import personal_data_for_user
from courses.selectors.structure import module_block, module_check_blocks
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.test_completion import answer_all

pytestmark = pytest.mark.django_db


def reflection_id(module):
    return next(
        b.id for s in module.body for b in s.value["content"] if b.block_type == "reflection"
    )


@pytest.fixture
def module(course):
    return ModulePage.objects.get(slug="module-one")


def test_enrol_post_starts_the_course_at_its_first_module(client, learner, course, module):
    client.force_login(learner)
    response = client.post(f"/courses/enrol/{course.pk}/")
    assert response.status_code == 302 and response["Location"] == module.url
    assert Enrolment.objects.filter(user=learner, course=course).exists()
    assert client.get(f"/courses/enrol/{course.pk}/").status_code == 405


def test_the_module_resumes_at_the_last_section_viewed(client, learner, module, enrolled):
    client.force_login(learner)
    client.get(f"{module.url}?section=2")
    response = client.get(module.url)
    assert response.context["position"] == 2
    assert response.context["section"].value["heading"] == "Questions"


def test_answering_a_check_shows_feedback_for_the_chosen_option(client, learner, module, enrolled):
    client.force_login(learner)
    block = module_check_blocks(module=module)[0]
    response = client.post(f"/courses/modules/{module.pk}/checks/{block.id}/", {"option": "1"})
    assert response["Location"] == f"{module.url}?section=2#check-{block.id}-result"
    page = client.get(f"{module.url}?section=2")
    assert b"Not quite" in page.content and b"Feedback for option 1" in page.content
    assert b"Feedback for option 0" not in page.content
    assert b"Try again: " in page.content


def test_a_correct_answer_is_announced_and_not_headed_try_again(client, learner, module, enrolled):
    client.force_login(learner)
    block = module_check_blocks(module=module)[0]
    response = client.post(f"/courses/modules/{module.pk}/checks/{block.id}/", {"option": "0"})
    # The redirect lands on the result banner, which is focusable, so it is focused and read out.
    assert response["Location"].endswith(f"#check-{block.id}-result")
    html = client.get(f"{module.url}?section=2").content.decode()
    assert f'id="check-{block.id}-result" tabindex="-1"' in html
    assert "Correct" in html and "Try again" not in html
    assert "Answer this question again" in html


def test_a_missing_or_bad_answer_gives_an_error_and_saves_nothing(
    client, learner, module, enrolled
):
    client.force_login(learner)
    block = module_check_blocks(module=module)[0]
    url = f"/courses/modules/{module.pk}/checks/{block.id}/"
    for data in ({}, {"option": "9"}, {"option": "x"}):
        response = client.post(url, data, follow=True)
        assert b"Choose an answer" in response.content
    assert not CheckAnswer.objects.exists()
    assert (
        client.post(f"/courses/modules/{module.pk}/checks/nope/", {"option": "0"}).status_code
        == 404
    )


def test_answers_need_an_enrolment(client, learner, module):
    client.force_login(learner)
    block = module_check_blocks(module=module)[0]
    response = client.post(
        f"/courses/modules/{module.pk}/checks/{block.id}/", {"option": "0"}, follow=True
    )
    assert b"Start the course before answering" in response.content


def test_a_reflection_is_saved_and_shown_back_to_its_writer(client, learner, module, enrolled):
    client.force_login(learner)
    block_id = reflection_id(module)
    client.post(f"/courses/modules/{module.pk}/reflections/{block_id}/", {"text": "My thoughts"})
    assert Reflection.objects.get(user=learner).text == "My thoughts"
    assert b"My thoughts" in client.get(f"{module.url}?section=3").content


def test_an_empty_reflection_shows_an_error_and_keeps_nothing_lost(client, learner, module):
    client.force_login(learner)
    url = f"/courses/modules/{module.pk}/reflections/{reflection_id(module)}/"
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert b"Write your reflection before saving it" in response.content
    too_long = "x" * 5001
    response = client.post(url, {"text": too_long})
    assert response.status_code == 400 and too_long.encode() in response.content
    assert not Reflection.objects.exists()


def test_a_learner_cannot_see_another_learners_progress_or_reflections(
    client, learner, course, module, enrolled
):
    block_id = reflection_id(module)
    client.force_login(learner)
    client.post(f"/courses/modules/{module.pk}/reflections/{block_id}/", {"text": "Private words"})
    visit_all(learner, course)
    answer_all(learner, course)
    other = UserFactory()
    client.force_login(other)
    page = client.get(f"{module.url}?section=3")
    assert b"Private words" not in page.content
    assert page.context["enrolment"] is None
    assert not any(s["viewed"] for s in page.context["sections"])
    questions = client.get(f"{module.url}?section=2")
    assert b"Correct" not in questions.content
    mine = client.get("/courses/my/")
    assert mine.context["completed"] == [] and mine.context["in_progress"] == []
    assert personal_data_for_user(user=other)["course_reflections"] == []


def test_my_learning_lists_in_progress_and_completed_with_certificates(client, learner, course):
    client.force_login(learner)
    client.post(f"/courses/enrol/{course.pk}/")
    response = client.get("/courses/my/")
    assert [e.course for e in response.context["in_progress"]] == [course.page_ptr.specific]
    visit_all(learner, course)
    answer_all(learner, course)
    response = client.get("/courses/my/")
    assert response.context["in_progress"] == []
    assert b"Download" in response.content
    assert client.get("/courses/my/").status_code == 200
    client.logout()
    assert client.get("/courses/my/").status_code == 302


def test_personal_data_export_holds_everything_about_the_learner(learner, course, enrolled):
    import json

    module = ModulePage.objects.get(slug="module-one")
    from courses.services.learning import reflection_save

    reflection_save(user=learner, module=module, block_id=reflection_id(module), text="Mine")
    visit_all(learner, course)
    answer_all(learner, course)
    data = personal_data_for_user(user=learner)
    json.dumps(data)  # serialisable as it is
    assert data["course_reflections"][0]["text"] == "Mine"
    assert len(data["course_enrolments"][0]["answers"]) == 2
    assert data["course_completions"][0]["certificate"]
    assert module_block(module=module, block_id="nope") is None


def test_the_completed_course_page_offers_the_end_of_course_evaluation(client, learner, course):
    client.force_login(learner)
    client.post(f"/courses/enrol/{course.pk}/")
    assert f"/reports/evaluation/{course.pk}/".encode() not in client.get(course.url).content
    visit_all(learner, course)
    answer_all(learner, course)

    page = client.get(course.url)

    assert f'href="/reports/evaluation/{course.pk}/"'.encode() in page.content
    assert client.get(f"/reports/evaluation/{course.pk}/").status_code == 200
