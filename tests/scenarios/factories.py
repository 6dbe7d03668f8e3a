"""Scenario test data: a small valid definition and a published scenario built from it."""

import copy
from pathlib import Path

from scenarios.services import scenario_import

DEFINITION = {
    "title": "Jade keeps going missing",
    "slug": "jade",
    "introduction": "You are Jade's **social worker**.",
    "content_note": "Mentions exploitation.",
    "estimated_minutes": 5,
    "allow_back": False,
    "learning_points": ["LP1"],
    "recommendations": ["R4"],
    "start": "arrival",
    "nodes": [
        {
            "key": "arrival",
            "type": "situation",
            "speaker": "Key worker",
            "text": "Jade has not come back.",
            "next": "first-call",
        },
        {
            "key": "first-call",
            "type": "decision",
            "question": "What do you do first?",
            "choices": [
                {
                    "key": "a",
                    "label": "Report Jade missing now",
                    "feedback": "Right: report now.",
                    "score": 2,
                    "rating": "recommended",
                    "learning_points": ["LP1"],
                    "next": "good-ending",
                },
                {
                    "key": "b",
                    "label": "Wait until morning",
                    "feedback": "Waiting adds risk.",
                    "score": -1,
                    "rating": "risky",
                    "learning_points": ["LP2"],
                    "next": "bad-ending",
                    "branches": [{"if": {"min_score": 5}, "next": "good-ending"}],
                },
            ],
        },
        {
            "key": "good-ending",
            "type": "ending",
            "outcome": "Jade is found quickly.",
            "debrief": "Reporting at once matters.",
            "learning_points": ["LP1"],
            "services": [],
        },
        {
            "key": "bad-ending",
            "type": "ending",
            "outcome": "Jade is found two days later.",
            "debrief": "Delay increased the risk.",
            "learning_points": ["LP2"],
            "services": [],
        },
    ],
}


def definition(**overrides) -> dict:
    data = copy.deepcopy(DEFINITION)
    data.update(overrides)
    return data


def scenario_create(*, publish: bool = True, **overrides):
    """Import a scenario from the definition (published unless ``publish=False``)."""
    scenario, _ = scenario_import(
        data=definition(**overrides), media_root=Path("/nonexistent"), publish=publish
    )
    return scenario


def _list(data: dict, prefix: str, items: list, fill) -> None:
    data[f"{prefix}-count"] = str(len(items))
    for i, item in enumerate(items):
        data[f"{prefix}-{i}-deleted"] = ""
        data[f"{prefix}-{i}-order"] = str(i)
        data[f"{prefix}-{i}-id"] = ""
        fill(data, f"{prefix}-{i}-value", item)


def _branch(data, prefix, branch):
    data[f"{prefix}-min_score"] = str(branch["if"].get("min_score", ""))
    data[f"{prefix}-chose"] = branch["if"].get("chose", "")
    data[f"{prefix}-not_chose"] = branch["if"].get("not_chose", "")
    data[f"{prefix}-next"] = branch["next"]


def _note(data, prefix, note):
    _branch(data, prefix, {"if": note["if"], "next": ""})
    del data[f"{prefix}-next"]
    data[f"{prefix}-text"] = note["text"]


def _choice(data, prefix, choice):
    for name in ("key", "label", "feedback", "score", "rating", "next"):
        data[f"{prefix}-{name}"] = str(choice.get(name, ""))
    data[f"{prefix}-learning_points"] = choice.get("learning_points", [])
    _list(data, f"{prefix}-branches", choice.get("branches", []), _branch)


def _node(data, prefix, node):
    if node["type"] == "situation":
        for name in ("key", "speaker", "text", "next"):
            data[f"{prefix}-{name}"] = node.get(name, "")
        data[f"{prefix}-media-count"] = "0"
        _list(data, f"{prefix}-branches", node.get("branches", []), _branch)
    elif node["type"] == "decision":
        data[f"{prefix}-key"] = node["key"]
        data[f"{prefix}-question"] = node["question"]
        if node.get("shuffle"):
            data[f"{prefix}-shuffle"] = "on"
        _list(data, f"{prefix}-choices", node["choices"], _choice)
    else:
        for name in ("key", "outcome", "debrief"):
            data[f"{prefix}-{name}"] = node.get(name, "")
        data[f"{prefix}-learning_points"] = node.get("learning_points", [])
        _list(
            data,
            f"{prefix}-services",
            node.get("services", []),
            lambda d, p, v: d.__setitem__(p, v),
        )
        for name in ("praises", "misses"):
            _list(data, f"{prefix}-{name}", node.get(name, []), lambda d, p, v: d.__setitem__(p, v))
        _list(data, f"{prefix}-notes", node.get("notes", []), _note)


def admin_form_data(data: dict, *, action: str | None = None) -> dict:
    """POST data for the Wagtail snippet create/edit form (StreamField's form encoding)."""
    form = {
        name: str(data[name])
        for name in ("title", "slug", "introduction", "content_note", "estimated_minutes", "start")
    }
    if data.get("allow_back"):
        form["allow_back"] = "on"
    form["learning_points"] = data.get("learning_points", [])
    form["recommendations"] = data.get("recommendations", [])
    form["nodes-count"] = str(len(data["nodes"]))
    for i, node in enumerate(data["nodes"]):
        form[f"nodes-{i}-deleted"] = ""
        form[f"nodes-{i}-order"] = str(i)
        form[f"nodes-{i}-type"] = node["type"]
        form[f"nodes-{i}-id"] = ""
        _node(form, f"nodes-{i}-value", node)
    if action:
        form[f"action-{action}"] = "action"
    return form
