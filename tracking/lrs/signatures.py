"""Signed statements: check a JWS signature attachment against its statement (Data 2.6)."""

import base64
import json

import jwt
from cryptography import x509
from jwt.utils import base64url_decode

from tracking.lrs.errors import XAPIValidationError
from tracking.lrs.validation import statement_for_comparison

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_ALGORITHMS = ("RS256", "RS384", "RS512")
# What the LRS adds or the signer could not know: left out of the comparison (Data 2.6).
UNSIGNED = ("attachments", "authority", "stored", "version", "id")


def _comparable(statement: dict) -> dict:
    statement = statement_for_comparison(statement)
    return {key: value for key, value in statement.items() if key not in UNSIGNED}


def signature_verify(*, statement: dict, jws: bytes, path: str) -> None:
    """Raise XAPIValidationError unless `jws` is an RS* JWS whose payload is `statement`."""
    item = next(a for a in statement["attachments"] if a["usageType"] == SIGNATURE_USAGE)
    if item["contentType"].split(";")[0].strip() != "application/octet-stream":
        raise XAPIValidationError(
            f"{path}.contentType: a signature must be application/octet-stream",
            prop=f"{path}.contentType",
        )
    try:
        token = jws.decode("ascii").strip()
        header_b64, payload_b64, _signature = token.split(".")
        header = json.loads(base64url_decode(header_b64))
        payload = json.loads(base64url_decode(payload_b64))
    except (ValueError, UnicodeDecodeError):
        raise XAPIValidationError(
            f"{path}: the signature is not a JWS compact serialisation of a JSON statement",
            prop=path,
        ) from None
    # A header is a JSON object (RFC 7515 4); an array or a string must be a 400, not a 500.
    if not isinstance(header, dict):
        raise XAPIValidationError(f"{path}: the JWS header must be a JSON object", prop=path)
    if header.get("alg") not in SIGNATURE_ALGORITHMS:
        raise XAPIValidationError(
            f"{path}: the signature must use RS256, RS384 or RS512", prop=path
        )
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise XAPIValidationError(
            f"{path}: the signed payload does not match the statement", prop=path
        )
    if payload.get("id") and statement.get("id") and payload["id"] != statement["id"]:
        raise XAPIValidationError(f"{path}: the signed payload has a different id", prop=path)
    chain = header.get("x5c")
    if chain is not None:
        # RFC 7515 4.1.6: an array of base64 DER certificates, the signer's first.
        if not (isinstance(chain, list) and chain and all(isinstance(c, str) for c in chain)):
            raise XAPIValidationError(
                f"{path}: the JWS x5c header must be a non-empty array of certificates", prop=path
            )
        _verify_with_certificate(token, chain[0], header["alg"], path)


def _verify_with_certificate(token: str, certificate_b64: str, alg: str, path: str) -> None:
    """When the JWS carries an X.509 certificate, its key must verify the signature."""
    try:
        der = base64.b64decode(certificate_b64)
        key = x509.load_der_x509_certificate(der).public_key()
        jwt.PyJWS().decode(token, key=key, algorithms=[alg])
    except (ValueError, jwt.InvalidTokenError):
        raise XAPIValidationError(
            f"{path}: the signature does not verify with the x5c certificate", prop=path
        ) from None
