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
