"""LRS clients: creation and HTTP Basic authentication (Communication 4.0)."""

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from tracking.lrs.errors import XAPIError
from tracking.lrs.models import LRSClient


class XAPIUnauthorised(XAPIError):
    status = 401


class XAPIForbidden(XAPIError):
    status = 403


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lrs_client_create(
    *,
    name: str,
    can_write_statements: bool = True,
    can_read_own: bool = True,
    can_read_all: bool = False,
    can_use_documents: bool = True,
) -> tuple[LRSClient, str]:
    """Create a client with a random key and secret; return it and the secret (shown once)."""
    secret = secrets.token_urlsafe(32)
    client = LRSClient.objects.create(
        name=name,
        key=secrets.token_hex(16),
        secret_hash=_hash(secret),
        can_write_statements=can_write_statements,
        can_read_own=can_read_own,
        can_read_all=can_read_all,
        can_use_documents=can_use_documents,
    )
    return client, secret


def lrs_client_rotate_secret(*, client: LRSClient) -> str:
    """Give the client a new secret, invalidating the old one; return the new secret."""
    secret = secrets.token_urlsafe(32)
    client.secret_hash = _hash(secret)
    client.save(update_fields=["secret_hash"])
    return secret


def lrs_client_authenticate(*, authorization: str | None) -> LRSClient:
    """The active client named by a Basic Authorization header; XAPIUnauthorised otherwise."""
    if not authorization or not authorization.lower().startswith("basic "):
        raise XAPIUnauthorised("authentication required: HTTP Basic with an LRS client key")
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        key, secret = decoded.split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise XAPIUnauthorised("the Authorization header is not valid Basic credentials") from None
    client = LRSClient.objects.filter(key=key, is_active=True).first()
    if client is None or not hmac.compare_digest(client.secret_hash, _hash(secret)):
        raise XAPIUnauthorised("unknown key or wrong secret")
    now = datetime.now(UTC)
    # Record use at most once a minute so reads stay cheap.
    if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=1):
        LRSClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def client_require(*, client: LRSClient, scope: str) -> None:
    """Raise XAPIForbidden unless the client holds the scope: write, read or documents."""
    allowed = {
        "write": client.can_write_statements,
        "read": client.can_read_own or client.can_read_all,
        "documents": client.can_use_documents,
    }[scope]
    if not allowed:
        raise XAPIForbidden(f"this client does not have the {scope} scope")
