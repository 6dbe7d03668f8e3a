"""Text typed in the admin is stored with "\\n" line endings, and YAML exports write multi-line
text as readable block scalars (never "\\r\\n" escapes) that import back unchanged."""

import pytest
import yaml
from django.urls import reverse

from accounts.roles import Role
from config.safe_yaml import text_normalised
from courses.services.course_format import yaml_dump
from scenarios.models import Scenario
from scenarios.selectors import scenario_definition, scenario_yaml
from scenarios.services import scenario_import
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import admin_form_data, definition, scenario_create

pytestmark = pytest.mark.django_db

CRLF_TEXT = "Jade has not come back.\r\n\r\n- She left at 9pm  \r\n- Her phone is off"
LF_TEXT = "Jade has not come back.\n\n- She left at 9pm\n- Her phone is off"


def crlf_definition():
    data = definition(introduction="You are Jade's social worker.\r\nRead carefully.")
    data["nodes"][0]["text"] = CRLF_TEXT
    data["nodes"][2]["debrief"] = CRLF_TEXT
    return data


def test_normalising_text_keeps_words_and_drops_carriage_returns_and_line_end_spaces():
    assert text_normalised(CRLF_TEXT) == LF_TEXT
    assert text_normalised("old Mac\rline") == "old Mac\nline"


def test_saving_in_the_admin_stores_text_areas_with_newlines_only(client):
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_ADMIN]))
    url = reverse("wagtailsnippets_scenarios_scenario:add")
    assert client.post(url, admin_form_data(crlf_definition())).status_code == 302
    draft = Scenario.objects.get().get_latest_revision_as_object()
    stored = scenario_definition(scenario=draft)
    assert stored["introduction"] == "You are Jade's social worker.\nRead carefully."
    assert stored["nodes"][0]["text"] == LF_TEXT
    assert stored["nodes"][2]["debrief"] == LF_TEXT


def test_export_writes_block_scalars_without_escapes_and_imports_back():
    # Text saved before the admin form normalised it still holds "\r\n".
    scenario, _ = scenario_import(data=crlf_definition(), media_root=None, publish=True)
    assert "\r\n" in scenario_definition(scenario=scenario)["nodes"][0]["text"]
    exported = scenario_yaml(scenario=scenario)
    assert "\\r" not in exported and "\r" not in exported
    assert "  text: |-\n    Jade has not come back.\n\n    - She left at 9pm\n" in exported
    data = yaml.safe_load(exported)
    assert data["nodes"][0]["text"] == LF_TEXT
    data["slug"] = "jade-again"
    again, _ = scenario_import(data=data, media_root=None, publish=True)
    round_trip = scenario_definition(scenario=again)
    assert round_trip == {**data, "slug": "jade-again"}
    assert yaml.safe_load(scenario_yaml(scenario=again)) == data


def test_course_files_write_multi_line_text_as_block_scalars():
    written = yaml_dump({"text": "First line.\r\nSecond line. "})
    assert written == "text: |-\n  First line.\n  Second line.\n"


def test_an_unchanged_scenario_exports_as_before():
    scenario = scenario_create()
    assert yaml.safe_load(scenario_yaml(scenario=scenario)) == definition()
