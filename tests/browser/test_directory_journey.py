"""A practitioner finds a Romani-speaking service, opens it and reports a problem with it."""

from playwright.sync_api import expect

from directory.models import ProblemReport
from tests.directory.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory


def test_search_filter_by_language_open_a_service_and_report_a_problem(
    page, live_url, assert_accessible
):
    parent = TaxonomyTermFactory(term="community-and-cultural-support", name="Community support")
    term = TaxonomyTermFactory(
        term="interpreting-and-translation",
        name="Interpreting and translation",
        parent=parent,
        taxonomy=parent.taxonomy,
    )
    ServiceFactory(
        name="Romani interpreting service",
        description="Interpreting in Romani dialects for meetings and assessments.",
        categories=[term],
        languages=["rom", "eng"],
        phones=["0161 496 0000"],
        location=LocationFactory(),
    )
    ServiceFactory(
        name="Polish interpreting service",
        description="Interpreting in Polish for meetings and assessments.",
        categories=[term],
        languages=["pol"],
    )

    page.goto(f"{live_url}/directory/")
    assert_accessible(page)
    page.get_by_label("Search the directory").fill("interpreting")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("2 services found")

    page.get_by_label("Language spoken").select_option(label="Romany")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 service found")
    assert "language=rom" in page.url
    assert_accessible(page)

    page.get_by_role("link", name="Romani interpreting service").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Romani interpreting service")
    expect(page.get_by_text("0161 496 0000")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Report a problem with this entry").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("alert")).to_contain_text("Describe what is wrong with this entry")
    assert_accessible(page)
    page.get_by_label("What is wrong with this entry?").fill("The phone number has changed.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert_accessible(page)
    assert ProblemReport.objects.get().description == "The phone number has changed."


def test_on_a_phone_the_first_result_is_on_the_first_screen_and_filters_fold_away(
    page, live_url, assert_accessible
):
    for number in range(3):
        ServiceFactory(name=f"Family support {number}", languages=["eng"])
    ServiceFactory(name="Romani family support", languages=["rom"])

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_url}/directory/")
    first = page.locator(".app-directory-result").first
    assert first.bounding_box()["y"] < 700
    language = page.get_by_label("Language spoken")
    expect(language).to_be_hidden()
    assert_accessible(page)

    page.get_by_text("Filter services").click()
    expect(language).to_be_visible()
    language.select_option(label="Romany")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 service found")
    assert page.locator(".app-directory-result").first.bounding_box()["y"] < 700
    assert_accessible(page)

    # From tablet width up the filters sit beside the results, open, with no fold to click.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_label("Language spoken")).to_be_visible()
    expect(page.get_by_text("Filter services")).to_be_hidden()
    assert_accessible(page)
