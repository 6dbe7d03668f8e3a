"""Data 2.4 and 4: every statement MUST, each rejected with 400 naming the property."""

import pytest

from tests.tracking.lrs.factories import statement
from tracking.lrs.errors import XAPIValidationError
from tracking.lrs.validation import statement_validate

ACTIVITY = {"objectType": "Activity", "id": "https://lscp.example.org/a"}
AGENT = {"objectType": "Agent", "mbox": "mailto:a@example.org"}
REF = {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}

INVALID = [
    # Top level and nulls (Data 2.2)
    ({"actor": None}, "statement.actor"),
    ({"colour": "blue"}, "statement.colour"),
    ({"id": "not-a-uuid"}, "statement.id"),
    ({"version": "2.0.0"}, "statement.version"),
    # Actor: exactly one IFI, well formed (Data 2.4.2)
    ({"actor": {"name": "No id"}}, "statement.actor"),
    (
        {"actor": {"mbox": "mailto:a@b.org", "openid": "https://id.example.org/a"}},
        "statement.actor",
    ),
    ({"actor": {"mbox": "a@b.org"}}, "statement.actor.mbox"),
    ({"actor": {"mbox_sha1sum": "xyz"}}, "statement.actor.mbox_sha1sum"),
    ({"actor": {"openid": "not an iri"}}, "statement.actor.openid"),
    ({"actor": {"account": {"homePage": "https://x.org"}}}, "statement.actor.account.name"),
    ({"actor": {"account": {"homePage": "nope", "name": "a"}}}, "statement.actor.account.homePage"),
    ({"actor": {"objectType": "Group"}}, "statement.actor.member"),
    (
        {"actor": {"objectType": "Group", "member": [{"objectType": "Group", "member": [AGENT]}]}},
        "statement.actor.member[0].objectType",
    ),
    ({"actor": {"objectType": "Person", "mbox": "mailto:a@b.org"}}, "statement.actor.objectType"),
    # Verb (Data 2.4.3)
    ({"verb": {"display": {"en": "x"}}}, "statement.verb.id"),
    ({"verb": {"id": "bad id"}}, "statement.verb.id"),
    (
        {"verb": {"id": "http://x.org/v", "display": {"not a tag!": "x"}}},
        "statement.verb.display.not a tag!",
    ),
    ({"verb": {"id": "http://x.org/v", "display": {"en": 3}}}, "statement.verb.display.en"),
    # Object (Data 2.4.4)
    ({"object": {"objectType": "Activity"}}, "statement.object.id"),
    ({"object": {"objectType": "Thing", "id": "http://x.org"}}, "statement.object.objectType"),
    (
        {"object": {"id": "http://x.org", "definition": {"interactionType": "essay"}}},
        "statement.object.definition.interactionType",
    ),
    # Data 2.4.4.1: a non-string interactionType is a 400, never a 500 (found by fuzzing).
    (
        {"object": {"id": "http://x.org", "definition": {"interactionType": {}}}},
        "statement.object.definition.interactionType",
    ),
    (
        {"object": {"id": "http://x.org", "definition": {"interactionType": []}}},
        "statement.object.definition.interactionType",
    ),
    # Data 2.4.4.1: interaction properties only with an interactionType.
    (
        {"object": {"id": "http://x.org", "definition": {"correctResponsesPattern": ["a"]}}},
        "statement.object.definition.correctResponsesPattern",
    ),
    (
        {
            "object": {
                "id": "http://x.org",
                "definition": {"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]},
            }
        },
        "statement.object.definition.choices[1].id",
    ),
    (
        {"object": {"id": "http://x.org", "definition": {"choices": [{"id": "a"}]}}},
        "statement.object.definition.choices",
    ),
    (
        {"object": {"id": "http://x.org", "definition": {"moreInfo": "no"}}},
        "statement.object.definition.moreInfo",
    ),
    ({"object": {"objectType": "StatementRef", "id": "x"}}, "statement.object.id"),
    ({"object": {"mbox": "mailto:a@b.org"}}, "statement.object.mbox"),
    (
        {
            "object": {
                "objectType": "SubStatement",
                "actor": AGENT,
                "verb": {"id": "http://x.org/v"},
                "object": {
                    "objectType": "SubStatement",
                    "actor": AGENT,
                    "verb": {"id": "http://x.org/v"},
                    "object": ACTIVITY,
                },
            }
        },
        "statement.object.object.objectType",
    ),
    (
        {
            "object": {
                "objectType": "SubStatement",
                "actor": AGENT,
                "verb": {"id": "http://x.org/v"},
                "object": ACTIVITY,
                "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb",
            }
        },
        "statement.object.id",
    ),
    (
        {
            "object": {
                "objectType": "SubStatement",
                "actor": AGENT,
                "verb": {"id": "http://x.org/v"},
                "object": ACTIVITY,
                "stored": "2020-01-01T00:00:00Z",
            }
        },
        "statement.object.stored",
    ),
    # Result (Data 2.4.5)
    ({"result": {"score": {"scaled": 1.5}}}, "statement.result.score.scaled"),
    ({"result": {"score": {"raw": 11, "min": 0, "max": 10}}}, "statement.result.score.raw"),
    ({"result": {"score": {"min": 5, "max": 1}}}, "statement.result.score.min"),
    ({"result": {"success": "yes"}}, "statement.result.success"),
    ({"result": {"duration": "1 hour"}}, "statement.result.duration"),
    ({"result": {"duration": "P"}}, "statement.result.duration"),
    # ISO 8601 4.4.3.2: weeks stand alone, never mixed with other designators.
    ({"result": {"duration": "P4W1D"}}, "statement.result.duration"),
    ({"result": {"duration": "P1WT1H"}}, "statement.result.duration"),
    ({"result": {"duration": "PA1H0M0S"}}, "statement.result.duration"),
    ({"result": {"extensions": {"not-iri": 1}}}, "statement.result.extensions.not-iri"),
    # Context (Data 2.4.6)
    ({"context": {"registration": "abc"}}, "statement.context.registration"),
    ({"context": {"team": AGENT}}, "statement.context.team.objectType"),
    (
        {"context": {"contextActivities": {"cousin": [ACTIVITY]}}},
        "statement.context.contextActivities.cousin",
    ),
    ({"context": {"language": "not a language!"}}, "statement.context.language"),
    ({"object": AGENT, "context": {"revision": "2"}}, "statement.context.revision"),
    ({"object": AGENT, "context": {"platform": "LMS"}}, "statement.context.platform"),
    ({"object": REF, "context": {"revision": "2"}}, "statement.context.revision"),
    (
        {"context": {"statement": {"id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}}},
        "statement.context.statement.objectType",
    ),
    # Timestamps (Data 4.5)
    ({"timestamp": "should fail"}, "statement.timestamp"),
    ({"timestamp": "01/011/2015"}, "statement.timestamp"),
    ({"timestamp": "2008-09-15T15:53:00.601-00:00"}, "statement.timestamp"),
    ({"timestamp": "2008-09-15T15:53:00.601-0000"}, "statement.timestamp"),
    ({"timestamp": "2008-09-15T15:53:00.601-00"}, "statement.timestamp"),
    # Attachments (Data 2.4.11)
    (
        {
            "attachments": [
                {
                    "usageType": "http://x.org/u",
                    "display": {"en": "x"},
                    "contentType": "text/plain",
                    "length": "3",
                    "sha2": "abc",
                }
            ]
        },
        "statement.attachments[0].length",
    ),
    (
        {
            "attachments": [
                {"display": {"en": "x"}, "contentType": "text/plain", "length": 3, "sha2": "abc"}
            ]
        },
        "statement.attachments[0].usageType",
    ),
    # Voiding needs a StatementRef (Data 2.3.2)
    ({"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}}, "statement.object"),
    # Authority (Data 2.4.9)
    ({"authority": {"objectType": "Group", "member": [AGENT]}}, "statement.authority.member"),
    (
        {
            "authority": {
                "objectType": "Group",
                "mbox": "mailto:g@example.org",
                "member": [AGENT, {"mbox": "mailto:b@example.org"}],
            }
        },
        "statement.authority",
    ),
]


@pytest.mark.parametrize(("overrides", "prop"), INVALID, ids=[p for _o, p in INVALID])
def test_invalid_statement_names_the_property(overrides, prop):
    with pytest.raises(XAPIValidationError) as error:
        statement_validate(statement=statement(**overrides))
    assert error.value.prop == prop


VALID = [
    {"actor": {"objectType": "Group", "member": [AGENT]}},
    {"actor": {"objectType": "Group", "account": {"homePage": "https://x.org", "name": "team"}}},
    {"actor": {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}},
    {"object": AGENT, "context": {"language": "en-GB"}},
    {"object": REF},
    {
        "object": {
            "objectType": "SubStatement",
            "actor": AGENT,
            "verb": {"id": "http://x.org/v"},
            "object": ACTIVITY,
            "timestamp": "2020-01-01T00:00:00Z",
        }
    },
    {
        "result": {
            "score": {"scaled": -1, "raw": 0, "min": 0, "max": 10},
            "success": True,
            "completion": False,
            "duration": "PT1H30M4.5S",
            "response": "a",
            "extensions": {"http://x.org/e": None},
        }
    },
    {
        "context": {
            "registration": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb",
            "revision": "1",
            "platform": "LMS",
            "team": {"objectType": "Group", "member": [AGENT]},
            "contextActivities": {"parent": ACTIVITY, "grouping": [ACTIVITY]},
        }
    },
    {"result": {"duration": "P4W"}},
    {"result": {"duration": "P3Y1M29DT4H35M59.14S"}},
    {"result": {"duration": "PT16559.14S"}},
    {"timestamp": "2013-05-18T05:32:34.804+00:00"},
    {"timestamp": "2013-05-18T05:32:34Z"},
    {"timestamp": "20130518T053234Z"},
    {
        "object": {
            "id": "http://x.org",
            "definition": {
                "interactionType": "likert",
                "scale": [{"id": "1", "description": {"en": "low"}}],
                "correctResponsesPattern": ["1"],
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            },
        }
    },
    {"verb": {"id": "urn:x-lscp:verbs:reviewed"}},
]


@pytest.mark.parametrize("overrides", VALID)
def test_valid_statement_passes(overrides):
    statement_validate(statement=statement(**overrides))


def test_missing_actor_verb_object_are_each_named():
    for key in ("actor", "verb", "object"):
        data = statement()
        del data[key]
        with pytest.raises(XAPIValidationError) as error:
            statement_validate(statement=data)
        assert error.value.prop == f"statement.{key}"


@pytest.mark.django_db
def test_rejected_statement_returns_400_json_reason(xapi):
    response = xapi.post("statements", body=statement(actor={"mbox": "nobody"}))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "statement.actor.mbox: must be a mailto: IRI",
        "property": "statement.actor.mbox",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("interaction_type", [{}, []], ids=["object", "array"])
def test_unhashable_interaction_type_is_400_over_http(xapi, interaction_type):
    definition = {"interactionType": interaction_type}
    response = xapi.post(
        "statements", body=statement(object={"id": "http://x.org/q", "definition": definition})
    )
    assert response.status_code == 400
    assert response.json()["property"] == "statement.object.definition.interactionType"
