"""Admin authoring: publish blocking, check and map (graph), export, import, duplicate, rights."""

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from scenarios.models import Scenario
from scenarios.selectors import scenario_definition
from scenarios.services import _raw_nodes
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import admin_form_data, definition, scenario_create

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtailsnippets_scenarios_scenario:{name}", args=args)


@pytest.fixture
def admin(client):
    user = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    client.force_login(user)
    return user


@pytest.fixture
def trainer(client):
    user = UserFactory(roles=[Role.TRAINER])
    client.force_login(user)
    return user


def broken_definition():
    data = definition()
    data["nodes"][1]["choices"][1]["next"] = "nowhere"
    data["nodes"].append({"key": "orphan", "type": "ending", "outcome": "x", "debrief": "y"})
    return data


def test_publishing_a_broken_scenario_is_refused_with_errors_node_by_node(client, admin):
    response = client.post(url("add"), admin_form_data(broken_definition(), action="publish"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cannot publish: node “first-call”: Choice “b” goes to “nowhere”" in page
    assert "Cannot publish: node “orphan”: No path from the start leads here." in page
    assert not Scenario.objects.exists()


def test_saving_a_broken_draft_keeps_the_work(client, admin):
    response = client.post(url("add"), admin_form_data(broken_definition()))
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert not scenario.live
    edit = client.get(url("edit", scenario.pk)).content.decode()
    assert "cannot be published yet" in edit


def test_publishing_a_valid_scenario_makes_it_live(client, admin):
    response = client.post(url("add"), admin_form_data(definition(), action="publish"))
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.live
    assert scenario_definition(scenario=scenario) == definition()


def test_trainer_can_save_a_draft_but_not_publish(client, trainer):
    client.post(url("add"), admin_form_data(definition(), action="publish"))
    scenario = Scenario.objects.get()
    assert not scenario.live


def test_publish_guard_refuses_other_routes_such_as_workflow_approval(admin):
    scenario = scenario_create()
    scenario.nodes = [
        {
            "type": "ending",
            "value": {
                "key": "x",
                "outcome": "o",
                "debrief": "",
                "learning_points": [],
                "services": [],
            },
        }
    ]
    revision = scenario.save_revision()
    with pytest.raises(ValidationError, match="An ending needs a debrief"):
        revision.publish()
    scenario.refresh_from_db()
    assert scenario.live_revision_id != revision.pk


def test_map_marks_unreachable_and_dead_end_nodes_in_words(client, admin):
    scenario = scenario_create(publish=False)
    scenario.nodes = _raw_nodes(broken_definition()["nodes"], None)
    scenario.save_revision()
    page = client.get(url("map", scenario.pk)).content.decode()
    svg = page.split("scenario-map", 1)[1].split("</svg>", 1)[0]
    assert "orphan" in svg and "UNREACHABLE" in svg
    assert "MISSING NODE" in svg
    assert "3 errors: this draft cannot be published" in page
    assert 'id="node-orphan"' in page


def test_map_of_a_valid_scenario_reports_no_errors(client, admin):
    scenario = scenario_create()
    page = client.get(url("map", scenario.pk)).content.decode()
    assert "No errors: this draft can be published." in page
    svg = page.split("scenario-map", 1)[1].split("</svg>", 1)[0]
    assert "first&#45;call" in svg or "first-call" in svg
    assert "UNREACHABLE" not in svg and "DEAD END" not in svg


def test_learners_cannot_open_scenario_admin_views(client):
    scenario = scenario_create()
    client.force_login(UserFactory())
    response = client.get(url("map", scenario.pk))
    assert response.status_code in (302, 403)
    assert client.get(url("export", scenario.pk)).status_code in (302, 403)


def test_export_downloads_the_draft_as_yaml_that_round_trips(client, admin):
    scenario = scenario_create()
    response = client.get(url("export", scenario.pk))
    assert response["Content-Disposition"] == 'attachment; filename="jade.yaml"'
    assert yaml.safe_load(response.content) == definition()


def test_admin_import_creates_a_draft_and_a_broken_file_changes_nothing(client, admin):
    upload = SimpleUploadedFile("jade.yaml", yaml.safe_dump(definition()).encode())
    response = client.post(url("import"), {"file": upload})
    scenario = Scenario.objects.get()
    assert response.url == url("map", scenario.pk)
    assert not scenario.live
    bad = SimpleUploadedFile("bad.yaml", yaml.safe_dump(broken_definition()).encode())
    page = client.post(url("import"), {"file": bad}).content.decode()
    assert "bad.yaml: first-call: Choice “b” goes to “nowhere”" in page
    assert Scenario.objects.get().latest_revision_id == scenario.latest_revision_id
    junk = SimpleUploadedFile("junk.yaml", b"title: [unclosed")
    assert (
        "junk.yaml is not valid YAML" in client.post(url("import"), {"file": junk}).content.decode()
    )


def test_duplicate_makes_an_unpublished_copy_with_a_new_slug(client, admin):
    scenario = scenario_create()
    assert "Yes, duplicate it" in client.get(url("duplicate", scenario.pk)).content.decode()
    response = client.post(url("duplicate", scenario.pk))
    copy = Scenario.objects.exclude(pk=scenario.pk).get()
    assert response.url == url("edit", copy.pk)
    assert copy.slug == "jade-copy" and not copy.live
    assert copy.title == "Copy of Jade keeps going missing"
    assert scenario_definition(scenario=copy)["nodes"] == definition()["nodes"]


def test_preview_as_learner_plays_the_draft_without_recording(client, admin):
    from learning.models import LearningEvent

    scenario = scenario_create(publish=False)
    page = client.get("/scenarios/jade/?preview=1").content.decode()
    assert "Preview of the latest draft" in page
    client.post(reverse("scenarios:start", args=["jade"]), {"preview": "1"})
    attempt = scenario.attempts.get()
    assert attempt.is_preview
    assert not LearningEvent.objects.exists()


def test_preview_needs_edit_rights(client):
    scenario_create(publish=False)
    client.force_login(UserFactory())
    assert client.get("/scenarios/jade/?preview=1").status_code == 403


def test_listing_offers_import_and_per_scenario_actions(client, admin):
    scenario = scenario_create()
    response = client.get(url("list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("import") in page
    assert url("map", scenario.pk) in page and url("duplicate", scenario.pk) in page


def test_edit_view_links_to_check_and_map_and_learner_preview(client, admin):
    scenario = scenario_create()
    page = client.get(url("edit", scenario.pk)).content.decode()
    assert url("map", scenario.pk) in page
    assert "/scenarios/jade/?preview=1" in page


def test_role_groups_hold_scenario_permissions_and_only_admins_publish():
    from django.contrib.auth.models import Group

    def codenames(role):
        group = Group.objects.get(name=role.value)
        return set(
            group.permissions.filter(content_type__app_label="scenarios").values_list(
                "codename", flat=True
            )
        )

    assert {"add_scenario", "change_scenario", "lock_scenario"} <= codenames(Role.TRAINER)
    assert "publish_scenario" not in codenames(Role.TRAINER)
    assert {"publish_scenario", "delete_scenario", "unlock_scenario"} <= codenames(
        Role.PARTNERSHIP_ADMIN
    )
    assert codenames(Role.LEARNER) == set()
