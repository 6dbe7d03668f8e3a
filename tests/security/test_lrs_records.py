"""LRS boundaries (issue 15): attachments were shared across clients by hash, any client
could rename the platform's own activities, and another system's statements about a learner
appeared in that learner's "Download your data" as if they were the platform's."""

import hashlib
import json

import pytest
from django.conf import settings

from accounts.services import user_data_export
from learning.models import EventKind
from learning.services import learning_event_record
from tests.tracking.lrs.conftest import XAPIClient
from tests.tracking.lrs.factories import new_id, statement
from tests.tracking.lrs.test_attachments import BOUNDARY, attachment_meta, multipart
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import Activity, Attachment
from tracking.statements import actor_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems(client):
    def make(name):
        lrs_client, secret = lrs_client_create(name=name, can_read_all=True)
        return XAPIClient(client, lrs_client.key, secret)

    return make("Police LMS"), make("Health LMS")


def test_knowing_a_hash_does_not_give_another_clients_attachment(systems):
    police, health = systems
    secret_file = b"referral notes about a child"
    data = statement(attachments=[attachment_meta(secret_file)])
    body = multipart(data, [("text/plain", secret_file)])
    sent = police.post(
        "statements", body=body, content_type=f"multipart/mixed; boundary={BOUNDARY}"
    )
    assert sent.status_code == 200
    # Health names the same hash with a fileUrl (no part needed) and asks for attachments.
    meta = {**attachment_meta(secret_file), "fileUrl": "https://health.example.org/x"}
    (theirs,) = health.post("statements", body=statement(attachments=[meta])).json()
    fetched = health.get("statements", params={"statementId": theirs, "attachments": "true"})
    assert fetched.status_code == 200
    assert secret_file not in fetched.content
    # Police still gets its own part back.
    (mine,) = sent.json()
    own = police.get("statements", params={"statementId": mine, "attachments": "true"})
    assert secret_file in own.content
    assert Attachment.objects.get(sha2=hashlib.sha256(secret_file).hexdigest()).client.name == (
        "Police LMS"
    )


def test_two_clients_sending_the_same_part_each_keep_their_own(systems):
    police, health = systems
    content = b"the same certificate"
    for xapi in systems:
        data = statement(id=new_id(), attachments=[attachment_meta(content)])
        response = xapi.post(
            "statements",
            body=multipart(data, [("text/plain", content)]),
            content_type=f"multipart/mixed; boundary={BOUNDARY}",
        )
        assert response.status_code == 200
    assert Attachment.objects.filter(sha2=hashlib.sha256(content).hexdigest()).count() == 2


def test_a_client_cannot_rename_the_platforms_activities(systems):
    police, _health = systems
    course_iri = f"{settings.SITE_URL.rstrip('/')}/xapi/activities/course/1"
    from tracking.lrs.services import statement_store

    statement_store(
        statements=[
            statement(
                object={"id": course_iri, "definition": {"name": {"en-GB": "Missing children"}}}
            )
        ]
    )
    renamed = {"id": course_iri, "definition": {"name": {"en-GB": "Cancelled", "fr": "Annulé"}}}
    assert police.post("statements", body=statement(object=renamed)).status_code == 200
    assert Activity.objects.get(activity_id=course_iri).definition == {
        "name": {"en-GB": "Missing children"}
    }
    shown = police.get("activities", params={"activityId": course_iri}).json()
    assert shown["definition"]["name"] == {"en-GB": "Missing children"}
    # Its own activities a client still defines.
    own = {"id": "https://lms.police.example.org/a/1", "definition": {"name": {"en": "Own"}}}
    police.post("statements", body=statement(object=own))
    assert Activity.objects.get(activity_id=own["id"]).definition == {"name": {"en": "Own"}}


def test_the_data_export_marks_statements_from_other_systems(
    systems, police_officer, tracked_course
):
    police, _health = systems
    course = tracked_course[0]
    event = learning_event_record(
        user=police_officer,
        kind=EventKind.COURSE_LAUNCHED,
        activity=f"course:{course.pk}",
        course=course,
    )
    actor = actor_account(user=police_officer).as_version("1.0.3")
    (theirs,) = police.post("statements", body=statement(actor=actor)).json()
    export = json.loads(json.dumps(user_data_export(user=police_officer), default=str))
    assert [s["id"] for s in export["xapi_statements"]] == [str(event.id)]
    assert export["xapi_statements_from_other_systems"] == [
        {
            "written_by": "Police LMS",
            "statement": export["xapi_statements_from_other_systems"][0]["statement"],
        }
    ]
    assert export["xapi_statements_from_other_systems"][0]["statement"]["id"] == theirs
