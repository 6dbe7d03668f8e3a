"""Forwarding to a partner LRS over real HTTP, through outages, crashes, bad statements and
wrong credentials: every statement arrives exactly once or fails with the LRS's reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import EventKind
from learning.services import learning_event_record
from tracking.lrs.models import Statement
from tracking.models import Delivery, DeliveryState, LRSDestination
from tracking.services import delivery as delivery_service
from tracking.services.delivery import deliveries_sweep, destination_deliver
from tracking.services.destinations import deliveries_retry, destination_secret_set

pytestmark = pytest.mark.django_db


def _events(user, course, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        event = learning_event_record(
            user=user, kind=EventKind.COURSE_LAUNCHED, activity=f"course:{course.pk}",
            course=course,
        )  # fmt: skip
        ids.append(str(event.id))
    return ids


def _states(destination) -> dict[str, int]:
    rows = Delivery.objects.filter(destination=destination)
    return {state: rows.filter(state=state).count() for state in DeliveryState.values}


def _make_due(destination) -> None:
    """Time passes: every waiting row is due (instead of sleeping through the backoff)."""
    Delivery.objects.filter(destination=destination).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_statements_are_delivered_in_batches_exactly_once(partner, police_officer, tracked_course):
    lrs, destination = partner
    ids = _events(police_officer, tracked_course[0], 10)

    report = destination_deliver(destination_id=destination.pk)

    assert report.sent == 10 and report.requests == 3  # batches of 4
    assert _states(destination)["sent"] == 10
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)
    destination.refresh_from_db()
    assert destination.last_success_at is not None
    # Delivering again sends nothing; the rows are final.
    assert destination_deliver(destination_id=destination.pk).requests == 0


def test_a_destination_down_for_a_while_loses_nothing(partner, police_officer, tracked_course):
    lrs, destination = partner
    lrs.stop()
    ids = _events(police_officer, tracked_course[0], 6)
    try:
        report = destination_deliver(destination_id=destination.pk)
        assert report.retry == 6 and report.sent == 0
        row = Delivery.objects.filter(destination=destination).first()
        assert row.state == DeliveryState.RETRY and row.attempts == 1
        assert "ConnectError" in row.last_error and row.next_attempt_at > timezone.now()
        # Not yet due: the backoff holds the rows back.
        assert destination_deliver(destination_id=destination.pk).requests == 0
        _make_due(destination)
        assert destination_deliver(destination_id=destination.pk).retry == 6  # still down
    finally:
        lrs.start()
    _make_due(destination)
    assert deliveries_sweep() == [destination.pk]
    assert destination_deliver(destination_id=destination.pk).sent == 6
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)
    assert Delivery.objects.get(statement__statement_id=ids[0]).attempts == 3


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


def test_a_worker_killed_after_sending_causes_no_duplicates(
    partner, police_officer, tracked_course, monkeypatch
):
    lrs, destination = partner
    ids = _events(police_officer, tracked_course[0], 4)

    def killed(rows):
        raise WorkerKilled

    monkeypatch.setattr(delivery_service, "_after_send", killed)
    with pytest.raises(WorkerKilled):
        destination_deliver(destination_id=destination.pk)
    monkeypatch.undo()
    # The batch arrived but was never recorded as sent.
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)
    assert _states(destination)["sending"] == 4
    assert deliveries_sweep() == []  # not stuck yet: the worker might still be alive
    Delivery.objects.filter(destination=destination).update(
        claimed_at=timezone.now() - delivery_service.stuck_after() - timedelta(seconds=1)
    )

    assert deliveries_sweep() == [destination.pk]
    assert destination_deliver(destination_id=destination.pk).sent == 4
    # Resent, and the destination still has each id once (it answered 200 for known ids).
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)
    assert _states(destination)["sent"] == 4


def test_a_statement_the_destination_rejects_fails_with_its_reason_and_the_rest_arrive(
    partner, police_officer, tracked_course
):
    lrs, destination = partner
    ids = _events(police_officer, tracked_course[0], 4)
    # A destination stricter than us: it refuses this statement (a verb that is not an IRI).
    bad = Statement.objects.get(statement_id=ids[2])
    bad.data = {**bad.data, "verb": {"id": "launched"}}
    bad.save()

    report = destination_deliver(destination_id=destination.pk)

    assert report.sent == 3 and report.failed == 1
    failed = Delivery.objects.get(destination=destination, state=DeliveryState.FAILED)
    assert str(failed.statement.statement_id) == ids[2]
    assert failed.last_status == 400
    assert "verb.id" in failed.last_error  # the LRS's own reason, as it answered
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(set(ids) - {ids[2]})
    # Not retried by the sweeper; only an admin's retry queues it again.
    _make_due(destination)
    assert destination_deliver(destination_id=destination.pk).requests == 0
    assert deliveries_retry(destination=destination, delivery_id=failed.pk) == 1
    assert Delivery.objects.get(pk=failed.pk).state == DeliveryState.RETRY


def test_wrong_credentials_are_a_clear_failure_not_retried_forever(
    partner, police_officer, tracked_course
):
    lrs, destination = partner
    destination_secret_set(destination=destination, secret="wrong")
    ids = _events(police_officer, tracked_course[0], 6)

    report = destination_deliver(destination_id=destination.pk)

    assert report.requests == 1 and report.paused
    destination.refresh_from_db()
    assert "refused our credentials" in destination.paused_reason
    assert "401" in destination.paused_reason
    failed = Delivery.objects.filter(destination=destination, state=DeliveryState.FAILED)
    assert failed.count() == 4 and failed.first().last_status == 401
    # Paused: neither the sweeper nor a task tries again, and nothing is lost.
    _make_due(destination)
    assert deliveries_sweep() == []
    assert destination_deliver(destination_id=destination.pk).requests == 0
    assert _states(destination)["pending"] == 2

    destination_secret_set(destination=LRSDestination.objects.get(pk=destination.pk),
                           secret=lrs.secret)  # fmt: skip
    assert destination_deliver(destination_id=destination.pk).sent == 6
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)


def test_an_mbox_destination_gets_the_email_and_an_account_one_does_not(
    partner, police_officer, tracked_course, destination_factory
):
    lrs, destination = partner
    (event_id,) = _events(police_officer, tracked_course[0], 1)
    mbox = destination_factory(identifier="mbox")
    account_payload = delivery_service._payloads(
        list(Delivery.objects.filter(destination=destination)), destination
    )  # noqa: E501
    assert "mbox" not in account_payload[0]["actor"]
    rows = list(Delivery.objects.filter(destination=destination))
    mbox_payload = delivery_service._payloads(rows, mbox)
    assert mbox_payload[0]["actor"] == {
        "objectType": "Agent",
        "mbox": "mailto:officer@police.example.org",
    }  # noqa: E501
    assert "stored" not in mbox_payload[0] and "authority" not in mbox_payload[0]
    assert str(event_id) == mbox_payload[0]["id"]


def test_backoff_doubles_with_jitter_and_is_capped():
    from tracking.services.delivery import BACKOFF_CAP, backoff

    for attempts, base in ((1, 30), (2, 60), (3, 120)):
        delays = {backoff(attempts=attempts).total_seconds() for _ in range(50)}
        assert all(base * 0.5 <= d <= base for d in delays)
        assert len(delays) > 1  # jittered
    assert backoff(attempts=30) <= BACKOFF_CAP


def test_after_the_last_attempt_a_row_fails_with_the_last_error(
    destination_factory, police_officer, tracked_course
):
    destination = destination_factory(max_attempts=2)  # nothing listens on its port
    _events(police_officer, tracked_course[0], 1)
    assert destination_deliver(destination_id=destination.pk).retry == 1
    _make_due(destination)
    report = destination_deliver(destination_id=destination.pk)
    assert report.failed == 1 and report.retry == 0
    row = Delivery.objects.get(destination=destination)
    assert row.state == DeliveryState.FAILED and row.attempts == 2
    assert row.last_error.startswith("gave up after 2 attempts; last error: ConnectError")


def test_reconciliation_asks_the_destination_for_delivered_completions(
    partner, police_officer, tracked_course
):
    from tests.tracking.conftest import journey
    from tracking.services.delivery import destination_verify

    lrs, destination = partner
    journey(police_officer, *tracked_course)
    destination_deliver(destination_id=destination.pk)
    verified = destination_verify(destination=destination)
    # Module, reflection, scenario and course completions; the course's completed and passed
    # statements were voided by the revocation, so they are fetched by voidedStatementId.
    delivered = Delivery.objects.filter(
        destination=destination, state=DeliveryState.SENT, verb_id__regex=r"/(completed|passed)$"
    )
    assert verified == {"checked": delivered.count(), "missing": [], "error": ""}
    gone = Delivery.objects.filter(destination=destination, verb_id__endswith="/passed").first()
    Delivery.objects.filter(pk=gone.pk).update(sent_at=timezone.now())
    Statement.objects.filter(pk=gone.statement_id).update(voided=False)  # ask by statementId
    verified = destination_verify(destination=destination)
    assert verified["missing"] == [str(gone.statement.statement_id)]  # voided there: 404


def test_a_failed_batch_goes_back_in_the_queue_in_one_update(
    partner, police_officer, tracked_course
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lrs, destination = partner
    lrs.stop()
    _events(police_officer, tracked_course[0], 4)  # one batch of 4
    try:
        with CaptureQueriesContext(connection) as queries:
            report = destination_deliver(destination_id=destination.pk)
    finally:
        lrs.start()

    retry_updates = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('UPDATE "tracking_delivery" SET "state" = \'retry\'')
    ]
    assert report.retry == 4 and _states(destination)["retry"] == 4
    assert len(retry_updates) == 1
    due = set(Delivery.objects.filter(destination=destination).values_list("next_attempt_at"))
    assert len(due) == 1  # one delay for the batch


def test_reconciliation_counts_an_empty_statement_result_as_missing(
    monkeypatch, partner, police_officer, tracked_course
):
    # Some LRSs (Ralph among them) answer GET ?statementId=<unknown> with 200 and
    # {"statements": []} instead of 404: that statement is missing, not present.
    import httpx

    from tracking.services.delivery import destination_verify

    lrs, destination = partner
    ids = _events(police_officer, tracked_course[0], 1)
    Delivery.objects.filter(destination=destination).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), verb_id=delivery_service.VERB_COMPLETED
    )
    asked = []

    def ralph(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params["statementId"])
        return httpx.Response(200, json={"statements": [], "more": ""})

    def client(*, destination):
        return httpx.Client(base_url=destination.endpoint, transport=httpx.MockTransport(ralph))

    monkeypatch.setattr(delivery_service, "destination_client", client)
    verified = destination_verify(destination=destination)
    assert asked == ids
    assert verified == {"checked": 1, "missing": ids, "error": ""}
