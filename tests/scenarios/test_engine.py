"""The engine: each validation error, conditional routing, properties on random graphs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios import engine


def definition(**overrides):
    data = {
        "title": "Jade",
        "slug": "jade",
        "start": "arrival",
        "nodes": [
            {"key": "arrival", "type": "situation", "text": "Jade is missing.", "next": "call"},
            {
                "key": "call",
                "type": "decision",
                "question": "What first?",
                "choices": [
                    {
                        "key": "a",
                        "label": "Report",
                        "feedback": "Good.",
                        "score": 2,
                        "rating": "recommended",
                        "next": "good",
                    },
                    {
                        "key": "b",
                        "label": "Wait",
                        "feedback": "Risky.",
                        "score": -1,
                        "rating": "risky",
                        "next": "bad",
                    },
                ],
            },
            {"key": "good", "type": "ending", "outcome": "Found.", "debrief": "Well done."},
            {"key": "bad", "type": "ending", "outcome": "Late.", "debrief": "Report sooner."},
        ],
    }
    data.update(overrides)
    return data


def codes(data):
    report = engine.validate(engine.scenario_from_dict(data))
    return {(i.node, i.code) for i in report.errors}


def test_valid_scenario_has_no_errors():
    assert engine.validate(engine.scenario_from_dict(definition())).ok


def test_choice_pointing_at_missing_node_is_an_error():
    data = definition()
    data["nodes"][1]["choices"][1]["next"] = "nowhere"
    assert ("call", "missing_target") in codes(data)


def test_node_unreachable_from_start_is_an_error():
    data = definition()
    data["nodes"].append({"key": "orphan", "type": "ending", "outcome": "x", "debrief": "y"})
    assert codes(data) == {("orphan", "unreachable")}


def test_node_with_no_route_to_an_ending_is_a_dead_end():
    data = definition()
    data["nodes"][1]["choices"][1]["next"] = "loop"
    data["nodes"].append({"key": "loop", "type": "situation", "text": "Round", "next": "loop"})
    assert ("loop", "no_ending") in codes(data)
    assert ("bad", "unreachable") in codes(data)


def test_loop_with_an_exit_is_allowed():
    data = definition()
    data["nodes"][1]["choices"][1]["next"] = "arrival"
    data["nodes"].pop()  # "bad" is now unreachable: drop it
    assert codes(data) == set()


def test_ending_without_debrief_is_an_error():
    data = definition()
    data["nodes"][2]["debrief"] = " "
    assert codes(data) == {("good", "ending_without_debrief")}


def test_decision_with_one_choice_is_an_error():
    data = definition()
    data["nodes"][1]["choices"].pop()
    data["nodes"].pop()
    assert codes(data) == {("call", "too_few_choices")}


def test_decision_with_seven_choices_is_an_error():
    data = definition()
    extra = dict(data["nodes"][1]["choices"][0])
    data["nodes"][1]["choices"] += [dict(extra, key=f"x{i}") for i in range(5)]
    assert codes(data) == {("call", "too_many_choices")}


def test_condition_naming_missing_node_or_choice_is_an_error():
    data = definition()
    data["nodes"][1]["choices"][0]["branches"] = [
        {"if": {"chose": "ghost.a"}, "next": "bad"},
        {"if": {"chose": "call.z"}, "next": "bad"},
    ]
    assert codes(data) == {("call", "condition_missing_node"), ("call", "condition_missing_choice")}


def test_missing_start_and_duplicate_keys_are_errors():
    data = definition(start="nope")
    data["nodes"].append(dict(data["nodes"][2]))
    found = codes(data)
    assert ("", "missing_start") in found
    assert ("good", "duplicate_key") in found


def test_missing_alt_text_and_transcript_are_warnings_not_errors():
    data = definition()
    data["nodes"][0]["media"] = {"kind": "image", "file": "a.png"}
    report = engine.validate(engine.scenario_from_dict(data))
    assert report.ok
    assert [(w.node, w.code) for w in report.warnings] == [("arrival", "media_without_alt")]
    data["nodes"][0]["media"] = {"kind": "video", "url": "https://example.org/v"}
    report = engine.validate(engine.scenario_from_dict(data))
    assert [w.code for w in report.warnings] == ["media_without_transcript"]


def test_step_applies_score_feedback_and_moves_on():
    scenario = engine.scenario_from_dict(definition())
    state = engine.start(scenario)
    result = engine.step(state, None)
    assert result.node.key == "call" and result.feedback == ""
    result = engine.step(result.state, "b")
    assert result.node.key == "bad"
    assert result.feedback == "Risky."
    assert result.state.score == -1
    assert result.state.finished
    assert result.state.path == ["arrival", "call", "bad"]


def test_step_rejects_unknown_choice_and_stepping_past_an_ending():
    scenario = engine.scenario_from_dict(definition())
    state = engine.step(engine.start(scenario), None).state
    with pytest.raises(engine.StepError):
        engine.step(state, "zzz")
    with pytest.raises(engine.StepError):
        engine.step(engine.step(state, "a").state, "a")


def conditional_definition():
    data = definition()
    data["nodes"][1]["choices"][0]["branches"] = [{"if": {"min_score": 5}, "next": "bad"}]
    data["nodes"][1]["choices"][1]["branches"] = [
        {"if": {"chose": "call.b", "min_score": -1}, "next": "retry"}
    ]
    data["nodes"].append({"key": "retry", "type": "situation", "text": "Again", "next": "call"})
    return data


def test_min_score_branch_falls_back_when_score_is_too_low():
    scenario = engine.scenario_from_dict(conditional_definition())
    state = engine.step(engine.start(scenario), None).state
    assert engine.step(state, "a").node.key == "good"  # score 2 < 5: fallback


def test_chose_branch_is_taken_when_the_earlier_choice_was_made():
    scenario = engine.scenario_from_dict(conditional_definition())
    state = engine.step(engine.start(scenario), None).state
    result = engine.step(state, "b")  # score -1, chose call.b: both hold
    assert result.node.key == "retry"
    state = engine.step(result.state, None).state
    assert engine.step(state, "b").node.key == "bad"  # score -2 < -1: fallback


def test_min_score_branch_taken_when_score_is_high_enough():
    data = conditional_definition()
    data["nodes"][1]["choices"][0]["score"] = 5
    scenario = engine.scenario_from_dict(data)
    state = engine.step(engine.start(scenario), None).state
    assert engine.step(state, "a").node.key == "bad"


def test_back_restores_node_and_score():
    scenario = engine.scenario_from_dict(definition())
    state = engine.step(engine.start(scenario), None).state
    after = engine.step(state, "a").state
    assert engine.back(after) == state
    with pytest.raises(engine.StepError):
        engine.back(engine.start(scenario))


def test_state_round_trips_through_json_dict():
    scenario = engine.scenario_from_dict(definition())
    state = engine.step(engine.step(engine.start(scenario), None).state, "a").state
    assert engine.State.from_dict(scenario, state.to_dict()) == state


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(nodes=[]), "“nodes” must be a non-empty list"),
        (lambda d: d["nodes"][0].update(type="poem"), "“type” must be one of"),
        (lambda d: d["nodes"][1]["choices"][0].update(rating="great"), "“rating” must be one of"),
        (lambda d: d["nodes"][1]["choices"][0].update(score="2"), "must be a whole number"),
        (lambda d: d["nodes"][0].update(branches=[{"if": {"x": 1}, "next": "a"}]), "“if” must"),
    ],
)
def test_badly_shaped_definition_names_the_place(mutate, message):
    data = definition()
    mutate(data)
    with pytest.raises(engine.DefinitionError, match=message):
        engine.scenario_from_dict(data)


# Property tests on random graphs --------------------------------------------------------------


@st.composite
def random_scenarios(draw):
    """Random well-formed graphs: every target exists, so only reachability can fail."""
    count = draw(st.integers(min_value=1, max_value=9))
    keys = [f"n{i}" for i in range(count)]
    kinds = draw(st.lists(st.sampled_from(engine.NODE_TYPES), min_size=count, max_size=count))
    target = st.sampled_from(keys)
    nodes = []
    for key, kind in zip(keys, kinds, strict=True):
        branches = draw(
            st.lists(
                st.builds(
                    lambda m, t: engine.Branch(engine.Condition(min_score=m), t),
                    st.integers(-3, 3),
                    target,
                ),
                max_size=2,
            )
        )
        if kind == "situation":
            nodes.append(
                engine.Node(key, kind, text="t", next=draw(target), branches=tuple(branches))
            )
        elif kind == "decision":
            n = draw(st.integers(min_value=2, max_value=4))
            choices = tuple(
                engine.Choice(
                    f"c{j}",
                    "label",
                    draw(target),
                    score=draw(st.integers(-2, 2)),
                    branches=tuple(branches) if j == 0 else (),
                )
                for j in range(n)
            )
            nodes.append(engine.Node(key, kind, question="q", choices=choices))
        else:
            nodes.append(engine.Node(key, kind, outcome="o", debrief="d"))
    return engine.Scenario(start=draw(target), nodes=tuple(nodes))


def expected_ok(scenario):
    """Independent check by fixed-point iteration: all reachable, all can reach an ending."""
    edges = {n.key: n.targets() for n in scenario.nodes}
    reach = {scenario.start}
    while True:
        more = reach | {t for k in reach for t in edges[k]}
        if more == reach:
            break
        reach = more
    finish = {n.key for n in scenario.nodes if n.type == "ending"}
    while True:
        more = finish | {k for k, ts in edges.items() if ts & finish}
        if more == finish:
            break
        finish = more
    keys = set(edges)
    return reach == keys and finish == keys


@settings(max_examples=300, deadline=None)
@given(random_scenarios())
def test_validate_accepts_exactly_when_all_reachable_and_all_can_finish(scenario):
    assert engine.validate(scenario).ok == expected_ok(scenario)


@settings(max_examples=200, deadline=None)
@given(random_scenarios(), st.lists(st.integers(min_value=0, max_value=5), max_size=30))
def test_step_never_leaves_the_graph(scenario, picks):
    state = engine.start(scenario)
    for pick in picks:
        node = state.current
        if node.type == "ending":
            break
        choice = None if node.type == "situation" else node.choices[pick % len(node.choices)].key
        result = engine.step(state, choice)
        assert result.node.key in scenario.by_key
        assert result.state.node == result.node.key
        assert result.node.key in node.targets()
        state = result.state


# Path-aware endings: praises, misses, notes, conditions on several choices, shuffling.


def praising(**ending):
    data = definition()
    data["nodes"][1]["choices"][1]["next"] = "good"  # both choices now reach "good"
    data["nodes"][1]["choices"][1]["branches"] = [{"if": {"min_score": 99}, "next": "bad"}]
    data["nodes"][2].update(ending)
    return data


def test_ending_praising_a_choice_some_path_skips_is_an_error():
    report = engine.validate(engine.scenario_from_dict(praising(praises=["call.a"])))
    (issue,) = [i for i in report.errors if i.code == "praises_untaken"]
    assert issue.node == "good" and "call.b" in issue.message


def test_ending_saying_a_taken_choice_was_missed_is_an_error():
    report = engine.validate(engine.scenario_from_dict(praising(misses=["call.a"])))
    assert [i.code for i in report.errors] == ["misses_taken"]


def test_praise_routed_by_the_choice_itself_is_accepted():
    data = praising(praises=["call.a"])
    data["nodes"][1]["choices"][1].update(next="bad", branches=[])
    data["nodes"][3]["misses"] = ["call.a"]
    assert engine.validate(engine.scenario_from_dict(data)).ok


def test_praises_naming_an_unknown_choice_is_an_error():
    assert ("good", "condition_missing_choice") in codes(praising(praises=["call.z"]))


def test_condition_needs_every_chosen_and_none_of_the_not_chosen():
    cond = engine.Condition(chose="a.x, b.y", not_chose="c.z")
    assert cond.holds(score=0, chosen=frozenset({"a.x", "b.y"}))
    assert not cond.holds(score=0, chosen=frozenset({"a.x"}))
    assert not cond.holds(score=0, chosen=frozenset({"a.x", "b.y", "c.z"}))


def test_condition_lists_in_yaml_become_all_of_conditions():
    data = definition()
    data["nodes"][0]["branches"] = [{"if": {"chose": ["call.a", "call.b"]}, "next": "bad"}]
    node = engine.scenario_from_dict(data).node("arrival")
    assert node.branches[0].condition.chose == "call.a, call.b"


def test_notes_show_only_when_their_condition_holds_on_the_path():
    data = praising(
        notes=[
            {"if": {"chose": "call.a"}, "text": "You reported at once."},
            {"if": {"not_chose": "call.a"}, "text": "You waited."},
        ]
    )
    scenario = engine.scenario_from_dict(data)
    state = engine.step(engine.step(engine.start(scenario), None).state, "b").state
    assert engine.ending_notes(state) == ["You waited."]


def test_paths_lists_every_play_with_its_choices_and_ending():
    found = engine.paths(engine.scenario_from_dict(definition()))
    assert sorted((p.choices, p.ending) for p in found) == [
        (("call.a",), "good"),
        (("call.b",), "bad"),
    ]


def test_shuffled_choices_are_a_stable_permutation_that_differs_between_seeds():
    choices = [{"key": k, "label": k, "next": "good", "rating": "acceptable"} for k in "abcdef"]
    data = definition()
    data["nodes"][1].update(choices=choices, shuffle=True)
    node = engine.scenario_from_dict(data).node("call")
    orders = {tuple(c.key for c in engine.choice_order(node, seed=str(n))) for n in range(20)}
    assert all(sorted(order) == list("abcdef") for order in orders)
    assert len(orders) > 1
    assert engine.choice_order(node, seed="x") == engine.choice_order(node, seed="x")
    data["nodes"][1]["shuffle"] = False
    plain = engine.scenario_from_dict(data).node("call")
    assert [c.key for c in engine.choice_order(plain, seed="x")] == list("abcdef")
