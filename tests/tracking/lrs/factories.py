"""Statement builders for LRS tests."""

import uuid


def statement(**overrides) -> dict:
    """A small valid statement; keyword arguments replace top-level properties."""
    data = {
        "actor": {"objectType": "Agent", "name": "Sam Learner", "mbox": "mailto:sam@example.org"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-GB": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "https://lscp.example.org/courses/missing",
            "definition": {"name": {"en-GB": "Missing from home"}},
        },
    }
    data.update(overrides)
    return data


def new_id() -> str:
    return str(uuid.uuid4())
