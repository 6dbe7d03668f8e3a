"""State, Activity Profile and Agent Profile documents (Communication 2.2 to 2.7, 3.1).

Concurrency follows Communication 3.1: ETags are SHA-1 of the content; `If-Match` and
`If-None-Match` are honoured on every write; a PUT to an existing profile document without
either header is refused with 409 (the State resource is exempt in 1.0.3).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from tracking.lrs.errors import (
    XAPIConflict,
    XAPINotFound,
    XAPIPreconditionFailed,
    XAPIValidationError,
)
from tracking.lrs.models import Document, DocumentKind


@dataclass(frozen=True)
class DocumentScope:
    """What a document belongs to: its client, kind, activity and/or agent, a registration.

    The client is part of every scope: each LRS client reads and writes only its own
    documents, whatever its statement scopes (see Document).
    """

    client_id: int
    kind: str
    activity_id: str = ""
    agent_ifi: str = ""
    registration: str = ""

    def rows(self) -> QuerySet[Document]:
        return Document.objects.filter(
            client_id=self.client_id,
            kind=self.kind,
            activity_id=self.activity_id,
            agent_ifi=self.agent_ifi,
            registration=self.registration,
        )


@dataclass(frozen=True)
class Preconditions:
    if_match: str | None = None
    if_none_match: str | None = None


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def _check_preconditions(existing: Document | None, pre: Preconditions, *, require: bool) -> None:
    """RFC 7232 If-Match / If-None-Match against the current ETag."""
    if pre.if_match is not None:
        tags = {tag.strip().removeprefix("W/").strip('"') for tag in pre.if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise XAPIPreconditionFailed("If-Match does not match the document's ETag")
    if pre.if_none_match is not None:
        tags = {tag.strip().removeprefix("W/").strip('"') for tag in pre.if_none_match.split(",")}
        if existing is not None and ("*" in tags or existing.etag in tags):
            raise XAPIPreconditionFailed("If-None-Match: the document already exists")
    if require and existing is not None and pre.if_match is None and pre.if_none_match is None:
        raise XAPIConflict(
            "the document exists: send If-Match with its ETag to overwrite it, "
            "or If-None-Match: * to create only"
        )


def _save(
    scope: DocumentScope,
    document_id: str,
    existing: Document | None,
    content: bytes,
    content_type: str,
) -> Document:
    row = existing or Document(
        client_id=scope.client_id,
        kind=scope.kind,
        activity_id=scope.activity_id,
        agent_ifi=scope.agent_ifi,
        registration=scope.registration,
        document_id=document_id,
    )
    row.content = content
    row.content_type = content_type or "application/octet-stream"
    row.etag = etag_of(content)
    row.updated = datetime.now(UTC)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise XAPIConflict("the document was created by another request; retry") from None
    return row


def document_put(
    *,
    scope: DocumentScope,
    document_id: str,
    content: bytes,
    content_type: str,
    pre: Preconditions,
    version: str = "1.0.3",
) -> Document:
    """Create or replace a document; 409/412 per Communication 3.1.

    Under xAPI 2.0 (IEEE 9274.1.1 4.1.4) the State resource is held to the same rule as the
    profiles: a PUT without If-Match or If-None-Match over an existing document is a 409.
    """
    with transaction.atomic():
        existing = scope.rows().select_for_update().filter(document_id=document_id).first()
        require = version == "2.0.0" or scope.kind != DocumentKind.STATE
        _check_preconditions(existing, pre, require=require)
        return _save(scope, document_id, existing, content, content_type)


def document_post(
    *,
    scope: DocumentScope,
    document_id: str,
    content: bytes,
    content_type: str,
    pre: Preconditions,
) -> Document:
    """Merge JSON objects' top-level properties into a document, or create it (Comm. 2.2)."""
    with transaction.atomic():
        existing = scope.rows().select_for_update().filter(document_id=document_id).first()
        _check_preconditions(existing, pre, require=False)
        if existing is None:
            # Communication 2.2: a POST declared application/json that is not JSON is a 400
            # (XAPI-00314), even for a new document; any valid JSON is otherwise stored as
            # it came, as for a PUT.
            if _is_json(content_type):
                _json_value(content, "content")
            return _save(scope, document_id, None, content, content_type)
        if not (_is_json(content_type) and _is_json(existing.content_type)):
            raise XAPIValidationError(
                "POST merges JSON documents only: the stored or the new "
                "document is not application/json",
                prop="Content-Type",
            )
        merged = {
            **_json_object(bytes(existing.content), "stored document"),
            **_json_object(content, "content"),
        }
        body = json.dumps(merged, separators=(",", ":")).encode()
        return _save(scope, document_id, existing, body, "application/json")


def _json_value(content: bytes, name: str):
    try:
        return json.loads(content)
    except ValueError:
        raise XAPIValidationError(f"{name}: is not valid JSON", prop=name) from None


def _json_object(content: bytes, name: str) -> dict:
    value = _json_value(content, name)
    if not isinstance(value, dict):
        raise XAPIValidationError(f"{name}: must be a JSON object to merge", prop=name)
    return value


def document_get(*, scope: DocumentScope, document_id: str) -> Document:
    """One document; XAPINotFound when absent."""
    row = scope.rows().filter(document_id=document_id).first()
    if row is None:
        raise XAPINotFound("no such document")
    return row


def document_ids(*, scope: DocumentScope, since: datetime | None) -> list[str]:
    """The ids of a scope's documents, optionally only those updated after `since`."""
    rows = scope.rows()
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("document_id").values_list("document_id", flat=True))


def document_delete(*, scope: DocumentScope, document_id: str | None, pre: Preconditions) -> None:
    """Delete one document, or every State in the scope when no id is given (Comm. 2.3)."""
    with transaction.atomic():
        if document_id is None:
            scope.rows().delete()
            return
        existing = scope.rows().select_for_update().filter(document_id=document_id).first()
        _check_preconditions(existing, pre, require=False)
        if existing is not None:
            existing.delete()
