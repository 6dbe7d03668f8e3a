"""Journey through the Roma cultural competence course, its scenario and its directory entries."""

import io
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from tests.accounts.factories import UserFactory

CONTENT = Path(settings.BASE_DIR) / "content"
COURSE_URL = "/courses/roma-cultural-competence/"


def _recommended_labels() -> list[str]:
    """The start of each recommended choice's label, read from the scenario file itself, so the
    journey follows the content as trainers revise it."""
    data = yaml.safe_load((CONTENT / "scenarios" / "interpreter-and-identity.yaml").read_text())
    found = []

    def walk(item):
        if isinstance(item, dict):
            if item.get("rating") == "recommended" and "label" in item:
                found.append(" ".join(item["label"].split())[:40])
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(data)
    return found


RECOMMENDED = _recommended_labels()


@pytest.fixture
def roma_content(live_url):
    """Load the whole directory (modules link other files' services), the scenario, the course."""
    quiet = io.StringIO()
    call_command("import_directory", str(CONTENT / "directory"), stdout=quiet)
    call_command(
        "import_scenario",
        str(CONTENT / "scenarios" / "interpreter-and-identity.yaml"),
        stdout=quiet,
    )
    call_command(
        "import_course", str(CONTENT / "courses" / "roma-cultural-competence"), stdout=quiet
    )


def _play_recommended_path(page, assert_accessible) -> int:
    """Take the recommended choice at every decision up to the end page; return how many."""
    made = 0
    for _ in range(40):
        assert_accessible(page)
        radios = page.locator("input[name=choice]")
        if radios.count():
            label = next(
                (
                    text
                    for text in RECOMMENDED
                    if page.get_by_label(re.compile("^" + re.escape(text))).count()
                ),
                None,
            )
            assert label, f"no recommended choice offered on {page.url}"
            page.get_by_label(re.compile("^" + re.escape(label))).check()
            page.get_by_role("button", name="Confirm my choice").click()
            made += 1
        elif page.get_by_role("link", name="See how it ended").count():
            page.get_by_role("link", name="See how it ended").click()
            return made
        elif page.get_by_role("button", name="Continue").count():
            page.get_by_role("button", name="Continue").click()
        elif page.get_by_role("link", name="Continue").count():
            page.get_by_role("link", name="Continue").click()
        else:
            return made
    pytest.fail(f"the scenario did not end; stuck on {page.url}")


def test_learner_answers_check_reaches_good_ending_and_finds_romani_interpreter(
    live_url, roma_content, signed_in_page, assert_accessible
):
    page = signed_in_page(UserFactory())

    page.goto(f"{live_url}{COURSE_URL}")
    assert_accessible(page)
    page.get_by_role("button", name="Start this course").click()
    assert_accessible(page)

    # Module 3, section 2: the knowledge check on booking by language, not by country.
    page.goto(f"{live_url}{COURSE_URL}romani-language-and-interpreters/?section=2")
    assert_accessible(page)
    page.get_by_label(re.compile("^Ask the family which language and form of Romani")).check()
    page.get_by_role("button", name="Check your answer").click()
    assert_accessible(page)
    assert page.get_by_role("heading", name="Correct").is_visible()

    # The embedded scenario, played by its recommended choices, reaches the good ending.
    page.goto(f"{live_url}/scenarios/interpreter-and-identity/")
    assert_accessible(page)
    page.get_by_role("button", name="Start scenario").click()
    assert _play_recommended_path(page, assert_accessible) == len(RECOMMENDED)
    assert_accessible(page)
    assert page.get_by_text("You actually asked me").first.is_visible()

    # The directory finds the Romani interpreting service by language, marked as demo data.
    page.goto(f"{live_url}/directory/")
    page.select_option("#id_language", label="Romani")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    page.get_by_role("link", name="Romani and Central European interpreting").click()
    assert_accessible(page)
    assert page.get_by_text("Demo data").first.is_visible()
    assert page.get_by_text("Ask for a dialect check").first.is_visible()
