"""The traceability map: every learning point and recommendation of the review is served."""

from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
REFS = [f"LP{n}" for n in range(1, 5)] + [f"R{n}" for n in range(1, 12)]


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


@pytest.fixture(scope="module")
def items() -> dict[str, dict]:
    data = yaml.safe_load((CONTENT / "traceability.yaml").read_text(encoding="utf-8"))
    return {item["ref"]: item for item in data["items"]}


@pytest.fixture(scope="module")
def known() -> dict[str, set[str]]:
    courses, modules, decisions = set(), set(), set()
    for course_md in CONTENT.glob("courses/*/course.md"):
        slug = _front_matter(course_md)["slug"]
        courses.add(slug)
        for module_md in course_md.parent.glob("[0-9]*.md"):
            modules.add(f"{slug}/{_front_matter(module_md)['slug']}")
    for scenario_yaml in CONTENT.glob("scenarios/*.yaml"):
        scenario = yaml.safe_load(scenario_yaml.read_text(encoding="utf-8"))
        decisions |= {
            f"{scenario['slug']}/{node['key']}"
            for node in scenario["nodes"]
            if node["type"] == "decision"
        }
    return {"courses": courses, "modules": modules, "scenario_decisions": decisions}


def test_every_learning_point_and_recommendation_is_in_the_map(items):
    assert sorted(items) == sorted(REFS)


@pytest.mark.parametrize("ref", REFS)
def test_each_learning_point_and_recommendation_maps_to_learning(items, ref):
    item = items[ref]
    assert item["title"] and item["summary"]
    assert item["modules"] or item["scenario_decisions"], f"{ref} maps to no module or decision"


@pytest.mark.parametrize("kind", ["courses", "modules", "scenario_decisions"])
def test_every_mapped_course_module_and_decision_exists_in_the_content(items, known, kind):
    missing = {
        f"{ref}: {target}"
        for ref, item in items.items()
        for target in item[kind]
        if target not in known[kind]
    }
    assert not missing, f"unknown {kind}: {sorted(missing)}"


def test_every_module_states_which_learning_point_and_recommendation_it_serves():
    unreferenced = [
        str(path.relative_to(CONTENT))
        for path in CONTENT.glob("courses/*/[0-9]*.md")
        if not _front_matter(path).get("learning_points")
        or not _front_matter(path).get("recommendations")
    ]
    assert not unreferenced
