"""A learner enrols, passes a module with a knowledge check and gets a verified certificate."""

import re
from pathlib import Path

from playwright.sync_api import expect

from accounts.roles import Role
from courses.models import Certificate
from courses.services.learning import enrolments_assign
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory, ModulePageFactory, check, markdown, section
from tests.reports.factories import course_with_modules, enrol, module_done


def test_learner_takes_a_course_to_a_verified_certificate(
    live_url, signed_in_page, assert_accessible
):
    course = CoursePageFactory(title="Missing from care", summary="What to do when a child goes.")
    ModulePageFactory(
        parent=course,
        title="Return home interviews",
        body=[
            section("The 72 hours", markdown("Offer an interview."), check(question="When?")),
            section("Recording it", markdown("Record it centrally.")),
        ],
    )
    learner = UserFactory(first_name="Jo", last_name="Practitioner")
    page = signed_in_page(learner)

    page.goto(f"{live_url}/courses/")
    assert_accessible(page)
    page.get_by_role("link", name="Missing from care").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start this course").click()
    page.get_by_role("heading", name="The 72 hours").wait_for()
    assert_accessible(page)

    page.get_by_label("Option 1").check()
    page.get_by_role("button", name="Check your answer").click()
    page.get_by_text("Feedback for option 1").wait_for()
    assert page.get_by_role("heading", name="Not quite").is_visible()
    page.get_by_label("Option 0").check()
    page.get_by_role("button", name="Check your answer").click()
    page.get_by_role("heading", name="Correct").wait_for()
    # The result banner is focused (a fragment names it), so a screen reader announces it; a
    # correct answer is not met with "Try again".
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("check-") and focused.endswith("-result")
    assert page.locator("#" + focused).get_by_role("heading", name="Correct").is_visible()
    assert page.get_by_role("heading", name=re.compile("Try again")).count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Next section").click()
    page.get_by_role("heading", name="Recording it").wait_for()
    assert_accessible(page)

    page.goto(f"{live_url}/courses/my/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download certificate for Missing from care (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    code = Certificate.objects.get(completion__user=learner).code
    page.context.clear_cookies()  # verification needs no account
    page.goto(f"{live_url}/courses/certificates/")
    page.get_by_label("Certificate code").fill(code.replace("-", " ").lower())
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="Valid certificate").wait_for()
    assert page.get_by_text("Jo Practitioner").is_visible()
    assert_accessible(page)


def test_learner_sees_percent_complete_and_module_statuses(
    live_url, signed_in_page, assert_accessible
):
    learner = UserFactory()
    course, (first, second, _third, _fourth) = course_with_modules(
        modules=4, title="Professional curiosity"
    )
    enrolment = enrol(learner, course, "2026-01-05")
    module_done(enrolment, first, "2026-01-06", "2026-01-07")
    module_done(enrolment, second, "2026-01-08")
    page = signed_in_page(learner)

    page.goto(f"{live_url}/courses/my/")
    expect(page.get_by_text("25% complete")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Professional curiosity").click()
    expect(page.locator("#course-progress")).to_have_text("25% complete (1 of 4 modules)")
    statuses = page.locator(".govuk-task-list__status").all_inner_texts()
    assert [s.strip() for s in statuses] == [
        "Completed",
        "In progress",
        "Not yet started",
        "Not yet started",
    ]
    assert_accessible(page)


def test_learner_is_told_of_an_assignment_and_reads_it(live_url, signed_in_page, assert_accessible):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    learner = UserFactory(agency=lead.agency)
    course, _ = course_with_modules(modules=1, title="Roma cultural competence")
    enrolments_assign(course=course, learners=[learner], assigned_by=lead)
    page = signed_in_page(learner)

    page.goto(f"{live_url}/courses/my/")
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("Roma cultural competence has been assigned to you")
    assert_accessible(page)

    page.get_by_role("link", name="Notifications (1 unread)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".govuk-tag", has_text="New")).to_be_visible()
    assert_accessible(page)
    page.reload()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="New")).to_have_count(0)
