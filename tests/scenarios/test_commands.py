"""import_scenario and export_scenario: round trip, idempotence, broken files change nothing."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from scenarios.models import Scenario
from tests.scenarios.factories import definition

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "content" / "scenarios"


def write(tmp_path, data, name="jade.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_then_export_round_trips(tmp_path):
    path = write(tmp_path, definition())
    assert "created" in run("import_scenario", str(path))
    assert Scenario.objects.get().live
    assert yaml.safe_load(run("export_scenario", "jade")) == definition()


def test_import_is_idempotent_by_slug_and_updates_in_place(tmp_path):
    path = write(tmp_path, definition())
    run("import_scenario", str(path))
    revisions = Scenario.objects.get().revisions.count()
    assert "unchanged" in run("import_scenario", str(path))
    assert Scenario.objects.get().revisions.count() == revisions
    write(tmp_path, definition(title="Jade, again"))
    assert "updated" in run("import_scenario", str(path))
    scenario = Scenario.objects.get()
    assert scenario.title == "Jade, again" and scenario.live


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title: [unclosed", "not valid YAML"),
        ("- just a list", "must be a mapping"),
        (None, "goes to “nowhere”"),
        ("!!python/object:os.system {}", "not valid YAML"),
    ],
)
def test_a_broken_file_names_the_file_and_problem_and_changes_nothing(tmp_path, content, message):
    good = write(tmp_path, definition())
    run("import_scenario", str(good))
    before = Scenario.objects.get().latest_revision_id
    if content is None:
        data = definition(title="Changed")
        data["nodes"][1]["choices"][0]["next"] = "nowhere"
        bad = write(tmp_path, data, "bad.yaml")
    else:
        bad = tmp_path / "bad.yaml"
        bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as caught:
        run("import_scenario", str(bad))
    assert str(bad) in str(caught.value)
    scenario = Scenario.objects.get()
    assert scenario.latest_revision_id == before and scenario.title == "Jade keeps going missing"


def test_invalid_block_content_names_node_and_field(tmp_path):
    data = definition()
    data["nodes"][2]["services"] = ["not-a-uuid"]
    with pytest.raises(CommandError, match=r"node 3 › services › item 1: Enter a directory"):
        run("import_scenario", str(write(tmp_path, data)))
    assert not Scenario.objects.exists()


def test_missing_file_and_unknown_slug_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        run("import_scenario", str(tmp_path / "nope.yaml"))
    with pytest.raises(CommandError, match="No scenario has the slug “nope”"):
        run("export_scenario", "nope")


@pytest.mark.parametrize("path", sorted(SEED.glob("*.yaml")), ids=lambda p: p.name)
def test_seed_scenarios_import_publish_and_round_trip(path):
    run("import_scenario", str(path))
    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert yaml.safe_load(run("export_scenario", source["slug"])) == source


def test_image_media_is_imported_once_with_alt_text_and_exported(tmp_path):
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    PILImage.new("RGB", (4, 3), "red").save(tmp_path / "phone.png")
    data = definition()
    data["nodes"][0]["media"] = {"kind": "image", "file": "phone.png", "alt": "A phone screen"}
    path = write(tmp_path, data)
    run("import_scenario", str(path), "--media-root", str(tmp_path))
    run("import_scenario", str(path), "--media-root", str(tmp_path))
    assert get_image_model().objects.filter(title="phone.png").count() == 1
    assert yaml.safe_load(run("export_scenario", "jade"))["nodes"][0]["media"] == {
        "kind": "image",
        "file": "phone.png",
        "alt": "A phone screen",
    }
    # Not rendered here: the player's <img> needs a rendition, and making one from
    # InMemoryStorage leaves Pillow's spooled file unclosed (a ResourceWarning, an error here).
    media = Scenario.objects.get().nodes[0].value["media"][0].value
    assert media["alt"] == "A phone screen" and media["image"].title == "phone.png"


def test_image_file_that_is_not_there_is_a_clear_error(tmp_path):
    data = definition()
    data["nodes"][0]["media"] = {"kind": "image", "file": "gone.png", "alt": "x"}
    with pytest.raises(CommandError, match="Image “gone.png” is not in"):
        run("import_scenario", str(write(tmp_path, data)), "--media-root", str(tmp_path))
    assert not Scenario.objects.exists()


def test_an_image_path_outside_the_media_folder_is_refused(tmp_path):
    media_root = tmp_path / "media"
    media_root.mkdir()
    secret = tmp_path / "outside.png"
    secret.write_bytes(b"not for import")
    data = definition()
    data["nodes"][0]["media"] = {"kind": "image", "file": "../outside.png", "alt": "x"}
    with pytest.raises(CommandError, match="is not in the media folder"):
        run("import_scenario", str(write(tmp_path, data)), "--media-root", str(media_root))
    assert not Scenario.objects.exists()
