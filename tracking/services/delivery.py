"""Delivery of the outbox to destination LRSs: claim, send in batches, record the outcome.

The state machine (STYLE.md, Celery): rows are claimed with ``select_for_update(skip_locked=
True)`` in a short transaction and marked SENDING; the HTTP POST happens outside any
transaction; the outcome is recorded as SENT, RETRY (timeouts, 408, 429, 5xx: exponential
backoff with jitter, capped) or FAILED (other 4xx, with the LRS's reason; or attempts used up).
Statement ids make redelivery harmless: an LRS answers 200/204 for a statement it already has
(xAPI 1.0.3 Communication 2.1.2), so a worker that dies after sending only causes a resend.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from tracking.credentials import SecretUnreadable, secret_decrypt
from tracking.hosts import DestinationRefused, host_check
from tracking.lrs.models import Statement
from tracking.models import Delivery, DeliveryState, IdentifierType, LRSDestination
from tracking.vocabulary import VERB_COMPLETED, VERB_PASSED

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
ERROR_LIMIT = 2000
# Statuses worth retrying: the destination may recover (RFC 9110 15.5.9, 6585 4, 15.6).
TEMPORARY = {408, 425, 429, 500, 502, 503, 504}
AUTH = {401, 403}


def backoff(*, attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: doubling from 30 s, capped at 1 h, 50-100% jitter."""
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(attempts - 1, 0)))
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not security)


def stuck_after() -> timedelta:
    """How long a row may stay SENDING before the sweeper assumes its worker died."""
    return timedelta(seconds=max(600, 2 * settings.CELERY_TASK_TIME_LIMIT))


def deliveries_claim(*, destination: LRSDestination, limit: int) -> list[Delivery]:
    """Claim up to ``limit`` due rows (skipping rows another worker holds); mark them SENDING."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(
                destination=destination,
                state__in=[DeliveryState.PENDING, DeliveryState.RETRY],
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at", "id")[:limit]
        )
        if rows:
            Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
                state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for row in rows:
        row.state, row.claimed_at, row.attempts = DeliveryState.SENDING, now, row.attempts + 1
    return rows


def _payloads(rows: list[Delivery], destination: LRSDestination) -> list[dict]:
    """What the destination gets: the stored statement minus what its own LRS sets."""
    data = dict(
        Statement.objects.filter(pk__in=[r.statement_id for r in rows]).values_list("pk", "data")
    )
    emails = {}
    if destination.identifier == IdentifierType.MBOX:
        emails = dict(
            User.objects.filter(pk__in={r.user_id for r in rows}).values_list("pk", "email")
        )
    payloads = []
    for row in rows:
        statement = {
            k: v for k, v in data[row.statement_id].items() if k not in ("stored", "authority")
        }
        statement["version"] = destination.xapi_version
        if row.user_id in emails:
            statement["actor"] = {"objectType": "Agent", "mbox": f"mailto:{emails[row.user_id]}"}
        payloads.append(statement)
    return payloads


REASON_LIMIT = 200


def _reason(response: httpx.Response) -> str:
    """A short, one-line reason for the status page: the status and, when the LRS answered
    JSON with an `error` or `message` string (xAPI LRSs do), that text cut to 200 characters.

    Never the raw body (issue 15): it can be a whole HTML page, or hold whatever the remote
    end chose to put in front of an administrator. Templates escape the rest.
    """
    status = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    try:
        body = response.json()
    except ValueError:
        return status
    text = body.get("error") or body.get("message") if isinstance(body, dict) else None
    if not isinstance(text, str):
        return status
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(text) > REASON_LIMIT:
        text = text[: REASON_LIMIT - 1] + "…"
    return f"{status}: {text}" if text else status


@dataclass
class DeliveryReport:
    """What one call of destination_deliver did (for logs, the bench and tests)."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    requests: int = 0
    paused: bool = False
    errors: list[str] = field(default_factory=list)


def _record_sent(rows, status: int, report: DeliveryReport) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
        state=DeliveryState.SENT, sent_at=now, last_status=status, last_error=""
    )
    LRSDestination.objects.filter(pk=rows[0].destination_id).update(last_success_at=now)
    report.sent += len(rows)


def _record_failed(rows, status: int | None, error: str, report: DeliveryReport) -> None:
    Delivery.objects.filter(pk__in=[r.pk for r in rows], state=DeliveryState.SENDING).update(
        state=DeliveryState.FAILED, last_status=status, last_error=error[:ERROR_LIMIT]
    )
    report.failed += len(rows)
    report.errors.append(error)


def _record_retry(rows, destination, status: int | None, error: str, report) -> None:
    now = timezone.now()
    give_up = [r for r in rows if r.attempts >= destination.max_attempts]
    if give_up:
        _record_failed(
            give_up,
            status,
            f"gave up after {destination.max_attempts} attempts; last error: {error}",
            report,
        )
    # One UPDATE per attempt count (a batch is claimed together, so usually one in all): the
    # rows go back in the queue together, with one jittered delay.
    by_attempts: dict[int, list[int]] = {}
    for row in rows:
        if row.attempts < destination.max_attempts:
            by_attempts.setdefault(row.attempts, []).append(row.pk)
    for attempts, ids in by_attempts.items():
        Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENDING).update(
            state=DeliveryState.RETRY,
            next_attempt_at=now + backoff(attempts=attempts),
            last_status=status,
            last_error=error[:ERROR_LIMIT],
        )
        report.retry += len(ids)


def _after_send(rows) -> None:
    """A seam between the HTTP send and recording its outcome (tests crash a worker here)."""


def _send(http: httpx.Client, rows, payloads, destination, report: DeliveryReport) -> bool:
    """POST one batch; on a 400-like answer split it to find the bad statements.

    Returns False when the destination refused our credentials (delivery must stop).
    """
    report.requests += 1
    try:
        response = http.post("statements", content=orjson.dumps(payloads))
    except httpx.HTTPError as error:
        _after_send(rows)
        _record_retry(rows, destination, None, f"{type(error).__name__}: {error}", report)
        return True
    _after_send(rows)
    status = response.status_code
    if status in (200, 204):
        _record_sent(rows, status, report)
    elif status in AUTH:
        reason = (
            f"the destination refused our credentials ({_reason(response)}); "
            "check the key and secret, then resume delivery"
        )
        _record_failed(rows, status, reason, report)
        LRSDestination.objects.filter(pk=destination.pk).update(paused_reason=reason)
        report.paused = True
        return False
    elif status in TEMPORARY or status >= 500:
        _record_retry(rows, destination, status, _reason(response), report)
    elif len(rows) == 1:
        _record_failed(rows, status, _reason(response), report)
    else:
        # One bad statement fails the whole batch (Communication 2.1.2); bisect to isolate it.
        half = len(rows) // 2
        for part, body in ((rows[:half], payloads[:half]), (rows[half:], payloads[half:])):
            if not _send(http, part, body, destination, report):
                return False
    return True


def destination_client(*, destination: LRSDestination) -> httpx.Client:
    """An httpx client for the destination: Basic auth, version header, timeouts."""
    endpoint = (
        destination.endpoint if destination.endpoint.endswith("/") else (destination.endpoint + "/")
    )
    return httpx.Client(
        base_url=endpoint,
        auth=(destination.username, secret_decrypt(token=destination.secret_encrypted)),
        headers={
            "X-Experience-API-Version": destination.xapi_version,
            "Content-Type": "application/json",
        },
        timeout=httpx.Timeout(
            destination.timeout_seconds, connect=min(5, destination.timeout_seconds)
        ),
    )


def destination_deliver(*, destination_id: int, time_budget: float = 60.0) -> DeliveryReport:
    """Send every due outbox row of one destination, batch by batch, for up to ``time_budget`` s.

    Idempotent and safe to run concurrently (rows are claimed). Stops (and pauses the
    destination with a reason) on 401/403 or an unreadable secret. Returns what it did.
    """
    report = DeliveryReport()
    destination = LRSDestination.objects.filter(pk=destination_id, is_active=True).first()
    if destination is None or destination.paused_reason:
        return report
    try:
        # Before every run, not only when saved: a name may since resolve elsewhere.
        host_check(url=destination.endpoint, resolve=True)
        http = destination_client(destination=destination)
    except (SecretUnreadable, DestinationRefused) as error:
        LRSDestination.objects.filter(pk=destination.pk).update(paused_reason=str(error))
        report.errors.append(str(error))
        report.paused = True
        return report
    started = time.monotonic()
    with http:
        while time.monotonic() - started < time_budget:
            rows = deliveries_claim(destination=destination, limit=destination.batch_size)
            if not rows:
                break
            if not _send(http, rows, _payloads(rows, destination), destination, report):
                break
    return report


def deliveries_sweep() -> list[int]:
    """Requeue rows stuck in SENDING (their worker died); return destinations with due rows.

    Idempotent. A requeued row may already have arrived: resending it is harmless (same id).
    """
    now = timezone.now()
    Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - stuck_after()).update(
        state=DeliveryState.RETRY,
        next_attempt_at=now,
        last_error="the worker stopped while sending; resent (the destination ignores repeats)",
    )
    return sorted(
        set(
            Delivery.objects.filter(
                state__in=[DeliveryState.PENDING, DeliveryState.RETRY],
                next_attempt_at__lte=now,
                destination__is_active=True,
                destination__paused_reason="",
            ).values_list("destination_id", flat=True)
        )
    )


def delivery_pending(*, destination_id: int) -> bool:
    """Whether the destination has rows waiting for their first attempt."""
    return Delivery.objects.filter(
        destination_id=destination_id, state=DeliveryState.PENDING
    ).exists()


def _empty_result(response: httpx.Response) -> bool:
    """A 200 that is a StatementResult with no statements: some LRSs (Ralph among them)
    answer an unknown statementId that way instead of 404, so the statement is missing."""
    if response.status_code != 200:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("statements") == []


def destination_verify(*, destination: LRSDestination, limit: int = 20) -> dict:
    """Ask the destination for the latest ``limit`` delivered completions (GET by statementId,
    or voidedStatementId for voided ones, Communication 2.1.3); read-only.

    Returns {"checked": n, "missing": [ids], "error": text or ""}; never raises for HTTP trouble.
    """
    rows = list(
        Delivery.objects.filter(
            destination=destination,
            state=DeliveryState.SENT,
            verb_id__in=[VERB_COMPLETED, VERB_PASSED],
        )
        .select_related("statement")
        .order_by("-sent_at", "-id")[:limit]
    )
    missing = []
    try:
        host_check(url=destination.endpoint, resolve=True)
        with destination_client(destination=destination) as http:
            for row in rows:
                key = "voidedStatementId" if row.statement.voided else "statementId"
                response = http.get("statements", params={key: str(row.statement.statement_id)})
                if response.status_code == 404 or _empty_result(response):
                    missing.append(str(row.statement.statement_id))
                elif response.status_code != 200:
                    return {"checked": 0, "missing": [], "error": _reason(response)}
    except DestinationRefused as error:
        return {"checked": 0, "missing": [], "error": str(error)}
    except (httpx.HTTPError, SecretUnreadable) as error:
        return {"checked": 0, "missing": [], "error": f"{type(error).__name__}: {error}"}
    return {"checked": len(rows), "missing": missing, "error": ""}
