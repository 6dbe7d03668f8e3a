"""Data 2.4.11 and 2.6: multipart/mixed attachments and JWS-signed statements."""

import hashlib
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.tracking.lrs.factories import new_id, statement

pytestmark = pytest.mark.django_db

BOUNDARY = "abcABC0123456789"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def multipart(first: dict | list, parts: list[tuple[str, bytes]], *, hashes=None) -> bytes:
    lines = [
        f"--{BOUNDARY}".encode(),
        b"Content-Type:application/json",
        b"",
        json.dumps(first).encode(),
    ]
    for index, (content_type, content) in enumerate(parts):
        digest = (hashes or {}).get(index, hashlib.sha256(content).hexdigest())
        lines += [
            f"--{BOUNDARY}".encode(),
            f"Content-Type:{content_type}".encode(),
            b"Content-Transfer-Encoding:binary",
            f"X-Experience-API-Hash:{digest}".encode(),
            b"",
            content,
        ]
    return b"\r\n".join([b"", *lines, f"--{BOUNDARY}--".encode()])


def attachment_meta(
    content: bytes, usage="http://lscp.example.org/usage/certificate", content_type="text/plain"
) -> dict:
    return {
        "usageType": usage,
        "display": {"en-GB": "Certificate"},
        "contentType": content_type,
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }


def post_multipart(xapi, body: bytes):
    return xapi.post("statements", body=body, content_type=f"multipart/mixed; boundary={BOUNDARY}")


def test_attachment_is_stored_and_returned_with_attachments_true(xapi):
    content = b"certificate text\r\nwith a CRLF inside"
    data = statement(id=new_id(), attachments=[attachment_meta(content)])
    response = post_multipart(xapi, multipart(data, [("text/plain", content)]))
    assert response.status_code == 200
    fetched = xapi.get("statements", params={"statementId": data["id"], "attachments": "true"})
    assert fetched["Content-Type"].startswith("multipart/mixed")
    assert content in fetched.content
    assert hashlib.sha256(content).hexdigest().encode() in fetched.content


def test_multipart_response_boundary_is_an_unquoted_token(xapi):
    # Clients (the ADL conformance suite's parser among them) take everything after
    # `boundary=` literally; a quoted value would leave them looking for `--"..."`.
    content = b"signed off"
    data = statement(id=new_id(), attachments=[attachment_meta(content)])
    post_multipart(xapi, multipart(data, [("text/plain", content)]))
    fetched = xapi.get("statements", params={"statementId": data["id"], "attachments": "true"})
    boundary = fetched["Content-Type"].split("boundary=")[1]
    assert '"' not in boundary and ";" not in boundary
    parts = fetched.content.split(b"--" + boundary.encode())
    assert len(parts) == 4 and parts[-1] == b"--\r\n"
    assert json.loads(parts[1].split(b"\r\n\r\n", 1)[1])["id"] == data["id"]
    assert parts[2].endswith(b"\r\n\r\nsigned off\r\n")


def test_attachment_without_part_or_file_url_is_400(xapi):
    content = b"missing"
    response = xapi.post("statements", body=statement(attachments=[attachment_meta(content)]))
    assert response.status_code == 400
    assert response.json()["property"] == "statement.attachments[0].sha2"


def test_attachment_with_file_url_needs_no_part(xapi):
    meta = {**attachment_meta(b"remote"), "fileUrl": "https://files.example.org/cert.pdf"}
    assert xapi.post("statements", body=statement(attachments=[meta])).status_code == 200


def test_part_whose_hash_does_not_match_is_400(xapi):
    content = b"real"
    data = statement(attachments=[attachment_meta(content)])
    body = multipart(data, [("text/plain", content)], hashes={0: "0" * 64})
    assert post_multipart(xapi, body).status_code == 400


def test_first_part_must_be_json(xapi):
    body = (f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{BOUNDARY}--").encode()
    assert post_multipart(xapi, body).status_code == 400


@pytest.fixture(scope="module")
def private_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def signed_request(data: dict, key, *, algorithm="RS256", content_type=None, payload=None):
    token = jwt.encode(
        payload or data, key if algorithm.startswith("RS") else "s" * 64, algorithm=algorithm
    ).encode()
    signed = {
        **data,
        "attachments": [
            attachment_meta(
                token, usage=SIGNATURE, content_type=content_type or "application/octet-stream"
            )
        ],
    }
    return multipart(signed, [("application/octet-stream", token)])


def test_signed_statement_with_rs256_is_accepted(xapi, private_key):
    data = statement(id=new_id())
    assert post_multipart(xapi, signed_request(data, private_key)).status_code == 200


def test_signature_with_hmac_algorithm_is_400(xapi, private_key):
    body = signed_request(statement(id=new_id()), private_key, algorithm="HS256")
    assert post_multipart(xapi, body).status_code == 400


def test_signature_whose_payload_differs_is_400(xapi, private_key):
    data = statement(id=new_id())
    tampered = statement(id=data["id"], verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    response = post_multipart(xapi, signed_request(data, private_key, payload=tampered))
    assert response.status_code == 400
    assert "payload" in response.json()["error"]


def test_signature_with_wrong_content_type_is_400(xapi, private_key):
    body = signed_request(statement(id=new_id()), private_key, content_type="text/plain")
    assert post_multipart(xapi, body).status_code == 400


def test_signature_that_is_not_a_jws_is_400(xapi):
    token = b"not.a-jws"
    data = statement(
        attachments=[
            attachment_meta(token, usage=SIGNATURE, content_type="application/octet-stream")
        ]
    )
    body = multipart(data, [("application/octet-stream", token)])
    assert post_multipart(xapi, body).status_code == 400


def test_multipart_with_bare_line_feeds_is_accepted(xapi):
    content = b"here is a simple attachment"
    data = statement(attachments=[attachment_meta(content)])
    body = multipart(data, [("text/plain", content)]).replace(b"\r\n", b"\n")
    assert post_multipart(xapi, body).status_code == 200


def test_attachment_part_without_binary_transfer_encoding_is_400(xapi):
    content = b"text"
    data = statement(attachments=[attachment_meta(content)])
    body = multipart(data, [("text/plain", content)]).replace(
        b"Content-Transfer-Encoding:binary", b"Content-Transfer-Encoding:base64"
    )
    response = post_multipart(xapi, body)
    assert response.status_code == 400
    assert response.json()["property"] == "Content-Transfer-Encoding"


def test_part_matching_no_attachment_is_400(xapi):
    content, extra = b"used", b"not referenced"
    data = statement(attachments=[attachment_meta(content)])
    body = multipart(data, [("text/plain", content), ("text/plain", extra)])
    response = post_multipart(xapi, body)
    assert response.status_code == 400
    assert response.json()["property"] == "X-Experience-API-Hash"


def test_multipart_form_data_is_400(xapi):
    response = xapi.post(
        "statements",
        body=json.dumps(statement()),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400


def _b64url(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed_with_header(data: dict, header) -> bytes:
    """A multipart body whose signature's JWS header is `header`, verbatim."""
    token = ".".join(
        [_b64url(json.dumps(header).encode()), _b64url(json.dumps(data).encode()), "c2ln"]
    ).encode()
    signed = {
        **data,
        "attachments": [
            attachment_meta(token, usage=SIGNATURE, content_type="application/octet-stream")
        ],
    }
    return multipart(signed, [("application/octet-stream", token)])


@pytest.mark.parametrize(
    "header",
    [
        ["RS256"],
        "RS256",
        {"alg": "RS256", "x5c": {"0": "MIIB"}},
        {"alg": "RS256", "x5c": 12},
        {"alg": "RS256", "x5c": []},
        {"alg": "RS256", "x5c": [7]},
    ],
    ids=["array", "string", "x5c-object", "x5c-number", "x5c-empty", "x5c-not-strings"],
)
def test_signature_with_malformed_jws_header_is_400_not_500(xapi, header):
    # Data 2.6 / RFC 7515 4: the header is a JSON object and x5c an array of certificates.
    response = post_multipart(xapi, signed_with_header(statement(id=new_id()), header))
    assert response.status_code == 400
    assert response.json()["property"] == "statement.attachments[0]"
