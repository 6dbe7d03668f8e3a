"""Scenario player journey by keyboard: choose, read feedback, take a break, resume, reach an
ending, replay; with and without JavaScript; axe on every page."""

from playwright.sync_api import expect

from scenarios.models import Attempt, AttemptStatus
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import scenario_create


def press(page, role, name):
    """Activate a control from the keyboard: focus it, then Enter."""
    control = page.get_by_role(role, name=name)
    control.focus()
    page.keyboard.press("Enter")


def play_journey(page, live_url, assert_accessible, *, javascript):
    page.goto(f"{live_url}/scenarios/")
    assert_accessible(page)
    press(page, "link", "Jade keeps going missing")
    expect(page.get_by_text("Content note: Mentions exploitation.")).to_be_visible()
    assert_accessible(page)

    press(page, "button", "Start scenario")
    expect(page.get_by_role("heading", level=1, name="Key worker")).to_be_visible()
    assert_accessible(page)
    press(page, "button", "Continue")

    # Leave at the decision, then come back to it from the scenario's page.
    expect(page.get_by_role("heading", level=1, name="What do you do first?")).to_be_visible()
    assert_accessible(page)
    press(page, "button", "Take a break")
    expect(page.get_by_role("heading", name="Your place is saved")).to_be_visible()
    expect(page.get_by_role("link", name="Find local and national services")).to_be_visible()
    assert_accessible(page)
    assert Attempt.objects.get().status == AttemptStatus.SUSPENDED
    page.goto(f"{live_url}/scenarios/jade/")
    press(page, "link", "Resume where you left off")
    expect(page.get_by_role("heading", level=1, name="What do you do first?")).to_be_visible()
    # The first Tab offers a skip link straight to the choices, past the header and back link.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the choices")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_choice_0"

    # Submitting with nothing chosen gives a GOV.UK error, then choose with the keyboard.
    press(page, "button", "Confirm my choice")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wait until morning").focus()
    page.keyboard.press("Space")
    press(page, "button", "Confirm my choice")

    heading = page.get_by_role("heading", level=1, name="Feedback on your choice")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Waiting adds risk.")).to_be_visible()
    if javascript:
        assert page.evaluate("document.activeElement.id") == "feedback-heading"
    assert_accessible(page)

    press(page, "link", "See how it ended")
    expect(page.get_by_role("heading", level=1, name="How it ended")).to_be_visible()
    expect(page.get_by_text("You chose: Wait until morning")).to_be_visible()
    expect(page.get_by_text("Jade is found two days later.")).to_be_visible()
    assert_accessible(page)
    assert Attempt.objects.get().status == AttemptStatus.COMPLETED

    press(page, "button", "Play again")
    expect(page.get_by_role("heading", level=1, name="Key worker")).to_be_visible()
    assert Attempt.objects.count() == 2


def test_scenario_journey_by_keyboard_with_and_without_javascript(
    browser, signed_in_page, live_url, assert_accessible
):
    scenario_create()
    user = UserFactory()
    page = signed_in_page(user)
    play_journey(page, live_url, assert_accessible, javascript=True)

    # The same journey with scripting off, in a fresh context signed in as the same learner.
    # axe.run never settles with scripting disabled (its timers do not fire), and the HTML is
    # the same as above, where axe checks every page.
    Attempt.objects.all().delete()
    context = browser.new_context(java_script_enabled=False, base_url=live_url)
    context.add_cookies(page.context.cookies())
    try:
        play_journey(context.new_page(), live_url, lambda page: None, javascript=False)
    finally:
        context.close()
