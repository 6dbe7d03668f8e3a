"""A trainer in the Wagtail admin: edits a scenario whose endings link directory services, checks
its map, and checks a course's files on the course import page; axe finds nothing on any page."""

from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.courses.test_import_export import write_course
from tests.directory.factories import ServiceFactory
from tests.scenarios.factories import definition, scenario_create

# Wagtail's own minimap (the side panel outline of the form) is a scroll box Wagtail renders
# without a tab stop; Wagtail 8 has no setting to turn it off, so only that rule on that element
# is left out (docs/scenarios.md).
WAGTAIL_MINIMAP = ".w-minimap"


def test_trainer_edits_a_scenario_and_checks_its_map(live_url, signed_in_page, assert_accessible):
    services = [str(ServiceFactory().pk), str(ServiceFactory().pk)]
    data = definition()
    data["nodes"][2]["services"] = services
    data["nodes"][3]["services"] = services[:1]
    scenario = scenario_create(**{"nodes": data["nodes"]})
    page = signed_in_page(UserFactory(roles=[Role.TRAINER]))

    page.goto(f"{live_url}/admin/snippets/scenarios/scenario/edit/{scenario.pk}/")
    expect(page.get_by_role("heading", name="Jade keeps going missing")).to_be_visible()
    assert_accessible(page, exclude={"scrollable-region-focusable": [WAGTAIL_MINIMAP]})

    # The map's scroll box takes focus, so the keyboard can scroll a large map.
    page.goto(f"{live_url}/admin/snippets/scenarios/scenario/map/{scenario.pk}/")
    scroll = page.get_by_role("region", name="Map of “Jade keeps going missing”")
    scroll.focus()
    expect(scroll).to_be_focused()
    assert_accessible(page)


def test_trainer_checks_course_files_on_the_import_page(
    live_url, signed_in_page, assert_accessible, tmp_path
):
    folder = write_course(tmp_path / "rhi-course")
    page = signed_in_page(UserFactory(roles=[Role.TRAINER]))
    page.goto(f"{live_url}/admin/")
    page.get_by_role("link", name="Import a course").click()
    expect(page.get_by_role("heading", name="Import a course")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Course files (Markdown)").set_input_files(
        [str(folder / "course.md"), str(folder / "01-seventy-two-hours.md")]
    )
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", name="What the import would do")).to_be_visible()
    assert_accessible(page)
