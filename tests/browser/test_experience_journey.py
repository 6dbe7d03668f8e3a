"""A lead sees who waits for approval, and assigns a course to a team with a due date."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import MembershipStatus
from accounts.roles import Role
from courses.models import Enrolment
from tests.accounts.factories import TeamFactory, UserFactory
from tests.courses.factories import CoursePageFactory, ModulePageFactory


def test_lead_sees_waiting_members_and_assigns_a_team_with_a_due_date(
    live_url, signed_in_page, assert_accessible
):
    lead = UserFactory(roles=[Role.AGENCY_LEAD])
    UserFactory(agency=lead.agency, membership_status=MembershipStatus.PENDING)
    team = TeamFactory(agency=lead.agency, name="Response team")
    officers = [UserFactory(agency=lead.agency, team=team) for _ in range(2)]
    course = CoursePageFactory(title="Missing from care")
    ModulePageFactory(parent=course, title="First steps")
    due = timezone.localdate() + timedelta(days=60)

    page = signed_in_page(lead)
    page.goto(f"{live_url}/")  # where signing in lands
    banner = page.get_by_role("region", name="Important")
    banner.get_by_text("1 person is waiting for you to approve").wait_for()
    assert_accessible(page)
    banner.get_by_role("link", name="Review membership requests").click()
    page.wait_for_url("**/accounts/agency/members/")

    page.goto(f"{live_url}/courses/assign/")
    assert_accessible(page)
    page.get_by_label("Course").select_option(label="Missing from care")
    page.get_by_role("group", name="Whole teams").get_by_label("Response team").check()
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Assign").click()
    page.get_by_text(f"to 2 of 2, due {due:%-d %B %Y}").wait_for()
    assert_accessible(page)
    assert {e.user_id for e in Enrolment.objects.all()} == {o.pk for o in officers}
