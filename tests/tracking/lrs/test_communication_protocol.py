"""Communication 1 and 3.3: version header, alternate syntax, HEAD, CORS, About."""

import json
from urllib.parse import urlencode

import pytest

from tests.tracking.lrs.factories import new_id, statement

pytestmark = pytest.mark.django_db


def test_missing_version_header_is_400(xapi):
    response = xapi.get("statements", headers={"X-Experience-API-Version": None})
    assert response.status_code == 400
    assert response.json()["property"] == "X-Experience-API-Version"


def test_unsupported_version_is_400(xapi):
    assert xapi.get("statements", headers={"X-Experience-API-Version": "0.95"}).status_code == 400
    assert xapi.get("statements", headers={"X-Experience-API-Version": "1.0"}).status_code == 200


def test_every_response_carries_the_version_header(xapi):
    assert xapi.get("statements")["X-Experience-API-Version"] == "1.0.3"
    assert xapi.get("statements", params={"colour": 1})["X-Experience-API-Version"] == "1.0.3"
    # Without a version header (About needs none) the LRS answers in its latest version.
    assert xapi.client.get("/xapi/about")["X-Experience-API-Version"] == "2.0.0"


def test_about_lists_versions_without_credentials(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.json()["version"]


def test_alternate_syntax_put_statement(xapi):
    sid = new_id()
    form = {
        "statementId": sid,
        "content": json.dumps(statement()),
        **xapi.headers,
        "Content-Type": "application/json",
    }
    response = xapi.client.post(
        "/xapi/statements?method=PUT",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204
    assert xapi.get("statements", params={"statementId": sid}).status_code == 200


def test_alternate_syntax_get_returns_statement_result(xapi):
    xapi.post("statements", body=statement())
    response = xapi.client.post(
        "/xapi/statements?method=GET",
        data=urlencode({"limit": 1}),
        content_type="application/x-www-form-urlencoded",
        headers=xapi.headers,
    )
    assert response.status_code == 200
    assert set(response.json()) == {"statements", "more"}


def test_alternate_syntax_rejects_extra_query_params_and_non_post(xapi):
    sid = new_id()
    form = urlencode({"statementId": sid, "content": json.dumps(statement())})
    extra = xapi.client.post(
        f"/xapi/statements?method=PUT&statementId={sid}",
        data=form,
        content_type="application/x-www-form-urlencoded",
        headers=xapi.headers,
    )
    assert extra.status_code == 400
    as_get = xapi.client.get("/xapi/statements?method=POST", headers=xapi.headers)
    assert as_get.status_code == 400
    not_form = xapi.client.post(
        "/xapi/statements?method=PUT",
        data=json.dumps({"a": 1}),
        content_type="application/json",
        headers=xapi.headers,
    )
    assert not_form.status_code == 400


def test_alternate_syntax_form_parameters_take_precedence_over_headers(xapi):
    # Communication 1.3: the listed form parameters are treated as header parameters, so a
    # form's version 0.8 is refused although the request's real header says 1.0.3.
    sid = new_id()
    form = urlencode(
        {"statementId": sid, "X-Experience-API-Version": "0.8", "content": json.dumps(statement())}
    )
    response = xapi.client.post(
        "/xapi/statements?method=PUT",
        data=form,
        content_type="application/x-www-form-urlencoded",
        headers=xapi.headers,
    )
    assert response.status_code == 400
    assert response.json()["property"] == "X-Experience-API-Version"
    assert xapi.get("statements", params={"statementId": sid}).status_code == 404


def test_alternate_syntax_content_type_form_field_describes_the_content(xapi):
    # The request's Content-Type is the form's; the form's own Content-Type field is the
    # content's, and a document stored that way keeps it.
    params = {"activityId": "http://x.org/a", "profileId": "p"}
    form = urlencode({**params, "Content-Type": "text/plain", "content": "hello"})
    response = xapi.client.post(
        "/xapi/activities/profile?method=PUT",
        data=form,
        content_type="application/x-www-form-urlencoded",
        headers=xapi.headers,
    )
    assert response.status_code == 204
    fetched = xapi.get("activities/profile", params=params)
    assert fetched.content == b"hello" and fetched["Content-Type"] == "text/plain"


def test_head_returns_headers_without_body(xapi):
    (sid,) = xapi.post("statements", body=statement()).json()
    response = xapi.client.head(f"/xapi/statements?statementId={sid}", headers=xapi.headers)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0


def test_cors_preflight_and_exposed_headers(client, xapi):
    preflight = client.options("/xapi/statements", headers={"Origin": "https://lms.example.org"})
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://lms.example.org"
    assert "X-Experience-API-Version" in preflight["Access-Control-Allow-Headers"]
    response = xapi.get("statements", headers={"Origin": "https://lms.example.org"})
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_wrong_content_type_for_statements_is_400(xapi):
    response = xapi.post("statements", body="x=1", content_type="text/plain")
    assert response.status_code == 400


def test_malformed_json_is_400(xapi):
    assert xapi.post("statements", body="{not json").status_code == 400
    assert xapi.post("statements", body=b"\xff\xfe").status_code == 400


def test_method_not_allowed_is_405(xapi):
    assert xapi.delete("statements").status_code == 405


def test_repeated_query_parameter_is_400(xapi):
    response = xapi.client.get("/xapi/statements?limit=1&limit=2", headers=xapi.headers)
    assert response.status_code == 400


def test_oversized_request_is_413_and_stores_nothing(xapi, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = xapi.post("statements", body=[statement() for _ in range(20)])
    assert response.status_code == 413
    assert response.json()["error"]


def test_version_is_checked_before_credentials(client):
    assert client.get("/xapi/statements").status_code == 400


def test_unsupported_method_is_405_even_without_credentials(client):
    response = client.delete("/xapi/activities", headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 405
