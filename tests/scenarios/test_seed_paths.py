"""Every path of every seed scenario: no ending praises a choice the learner did not make."""

from pathlib import Path

import pytest
import yaml

from scenarios import engine

CONTENT = Path(__file__).resolve().parents[2] / "content" / "scenarios"
SEEDS = sorted(CONTENT.glob("*.yaml"))


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_no_path_reaches_an_ending_that_praises_an_untaken_choice(path):
    scenario = engine.scenario_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    report = engine.validate(scenario)
    assert report.ok, [(i.node, i.message) for i in report.errors]
    every = engine.paths(scenario)
    reached = set()
    for play in every:
        ending = scenario.node(play.ending)
        reached.add(ending.key)
        assert set(ending.praises) <= set(play.choices), (play.choices, ending.key)
        assert not set(ending.misses) & set(play.choices), (play.choices, ending.key)
    endings = {n.key for n in scenario.nodes if n.type == "ending"}
    assert reached == endings, "every ending is reached by some path"
    assert any(n.praises for n in scenario.nodes), "the good ending says what it praises"


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_decisions_shuffle_their_options(path):
    scenario = engine.scenario_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert all(n.shuffle for n in scenario.nodes if n.type == "decision")
