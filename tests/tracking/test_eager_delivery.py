"""The embedded default (Celery eager, no broker): forwarding never fails a saved action, and
the periodic sweeper runs in beat's own process without a broker server."""

import logging

import pytest
from celery import beat

from config.celery import app
from courses.models import CheckAnswer
from tracking.models import Delivery, DeliveryState

pytestmark = pytest.mark.django_db


def _explode(**kwargs):
    raise RuntimeError("the destination's library blew up")


def test_a_delivery_that_raises_after_commit_does_not_turn_the_answer_into_an_error_page(
    client, police_officer, tracked_course, partner, monkeypatch, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from courses.selectors.structure import module_check_blocks
    from courses.services.learning import enrolment_create

    course, module, _ = tracked_course
    enrolment_create(user=police_officer, course=course)
    (block,) = module_check_blocks(module=module)
    monkeypatch.setattr("tracking.tasks.destination_deliver", _explode)
    client.force_login(police_officer)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/courses/modules/{module.pk}/checks/{block.id}/", {"option": "1"})

    assert response.status_code == 302
    assert CheckAnswer.objects.filter(enrolment__user=police_officer).count() == 1
    assert "the destination's library blew up" in caplog.text
    # Nothing was sent and nothing was lost: the rows wait for the sweeper.
    _, destination = partner
    rows = Delivery.objects.filter(destination=destination)
    assert rows.exists() and not rows.exclude(state=DeliveryState.PENDING).exists()


def test_beat_runs_the_sweeper_itself_when_tasks_are_eager(partner, police_officer, tracked_course):
    """`make run` starts `celery beat` beside the web server on the in-memory broker: beat
    applies each due entry in its own process, so due retries go out without a person."""
    from tests.tracking.test_forwarding import _events

    lrs, destination = partner
    ids = _events(police_officer, tracked_course[0], 3)  # queued; the kick never ran
    assert app.conf.task_always_eager and app.conf.broker_url == "memory://"
    scheduler = beat.Scheduler(app=app, lazy=True)
    entry = scheduler.Entry(
        name="tracking.deliveries_sweep",
        app=app,
        **app.conf.beat_schedule["tracking.deliveries_sweep"],
    )

    result = scheduler.apply_async(entry, advance=False)

    assert result.get() == [destination.pk]
    assert set(ids) <= set(lrs.statement_ids())
    assert not Delivery.objects.filter(destination=destination).exclude(state=DeliveryState.SENT)
