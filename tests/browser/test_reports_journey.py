"""An agency lead finds who is overdue, filters by course, reminds them and downloads the PDF."""

from pathlib import Path

from accounts.models import Sector
from accounts.roles import Role
from courses.models import RequiredLearning
from reports.models import StaffReminder
from reports.services.traceability import traceability_load
from tests.accounts.factories import AgencyFactory, UserFactory
from tests.reports.factories import complete, course_with_modules, enrol, module_done, when


def test_agency_lead_finds_gaps_and_reminds_overdue_staff(
    live_url, signed_in_page, assert_accessible, outbox
):
    police = AgencyFactory(name="Oldham Police", sector=Sector.POLICE, headcount=40)
    course, (module,) = course_with_modules(modules=1, title="Missing from care")
    RequiredLearning.objects.create(course=course, sectors=[Sector.POLICE], due_within_months=1)
    done = UserFactory(agency=police, first_name="Ali", last_name="Done")
    enrolment = enrol(done, course, "2026-01-05")
    module_done(enrolment, module, "2026-01-05", "2026-01-06")
    complete(enrolment, "2026-01-07")
    late = UserFactory(agency=police, first_name="Bo", last_name="Late")
    late.date_joined = when("2025-01-01")
    late.save()
    UserFactory(agency=AgencyFactory(name="Other Health"), first_name="Cy", last_name="Hidden")
    lead = UserFactory(agency=police, first_name="Lee", last_name="Lead", roles=[Role.AGENCY_LEAD])
    page = signed_in_page(lead)

    page.goto(f"{live_url}/reports/")
    page.get_by_role("heading", name="Training assurance").wait_for()
    assert_accessible(page)
    staff = page.get_by_role("region", name="Staff")
    assert staff.get_by_role("rowheader").first.inner_text() == "Bo Late"  # overdue first
    assert page.get_by_text("Cy Hidden").count() == 0
    assert page.get_by_role("img", name="Completed as a percentage of registered learners").count()

    page.get_by_label("Course", exact=True).select_option(label="Missing from care")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("img", name="Completion by team").wait_for()
    assert_accessible(page)

    page.get_by_label("Remind Bo Late").check()
    page.get_by_label("Message to add to the reminder (optional)").fill("Please book a slot.")
    page.get_by_role("button", name="Send reminder").click()
    page.get_by_text("Reminder sent to 1 person.").wait_for()
    assert_accessible(page)
    assert StaffReminder.objects.get().recipient == late

    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download the assurance report for Oldham Police (PDF)"
        ).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Scenario insight").click()
    page.get_by_role("heading", name="Scenario insight").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Review traceability").click()
    assert_accessible(page)
    page.get_by_role("link", name="Evaluation").click()
    assert_accessible(page)


TRACE = """
LP1:
  title: Multi-agency working when a child goes missing
  courses: [{course}]
  modules: [{course}/{module}]
R4:
  title: Return home interviews wherever a child is placed
  modules: [{course}/{module}]
"""


def test_traceability_cards_fit_a_phone_and_filter_by_agency(
    live_url, signed_in_page, assert_accessible, tmp_path
):
    police = AgencyFactory(name="Oldham Police", sector=Sector.POLICE, headcount=1040)
    AgencyFactory(name="Oldham Health", sector=Sector.HEALTH, headcount=300)
    course, (module,) = course_with_modules(modules=1, title="Missing from care")
    for n in range(6):
        person = UserFactory(agency=police, last_name=f"Done{n}")
        complete(enrol(person, course, "2026-01-05"), "2026-01-07")
    path = tmp_path / "traceability.yaml"
    path.write_text(TRACE.format(course=course.slug, module=module.slug))
    traceability_load(path=path)
    page = signed_in_page(UserFactory(agency=None, roles=[Role.PARTNERSHIP_ADMIN]))

    for width, height in ((1280, 800), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_url}/reports/traceability/")
        card = page.locator(".govuk-summary-card").first
        card.get_by_text("6 of 1,340 staff, 0.4%").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
    card.get_by_role("link", name="Missing from care").first.click()
    page.get_by_role("heading", name="Missing from care").first.wait_for()

    page.goto(f"{live_url}/reports/traceability/")
    page.get_by_label("Agency").select_option(label="Oldham Police")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="Oldham Police", level=2).wait_for()
    page.locator(".govuk-summary-card").first.get_by_text("6 of 1,040 staff, 0.6%").wait_for()
    assert_accessible(page)
