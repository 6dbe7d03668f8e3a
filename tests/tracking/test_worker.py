"""Runs only in CI's worker step (PostgreSQL, Redis): a real Celery worker forwards statements
queued after commit, and the sweeper task resends rows a dead worker left SENDING."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from learning.models import EventKind
from learning.services import learning_event_record
from tracking.models import Delivery, DeliveryState
from tracking.services.delivery import stuck_after

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("CELERY_WORKER_SMOKE") != "1", reason="needs Redis and PostgreSQL (CI step)"
    ),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    """A worker on the test database itself (CI's own worker uses another database)."""
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "--concurrency=1",
            "--pool=solo",
            "--loglevel=warning",
            "-n",
            "tracking-test@%h",
        ],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=ROOT,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def _wait_until_sent(destination, count: int) -> None:
    rows = Delivery.objects.filter(destination=destination)
    for _ in range(300):
        if rows.filter(state=DeliveryState.SENT).count() == count:
            return
        time.sleep(0.1)
    raise AssertionError(list(rows.values_list("state", "last_error")))


def test_a_real_worker_delivers_after_commit_and_the_sweeper_resends_stuck_rows(
    worker, partner, police_officer, tracked_course
):
    lrs, destination = partner
    course = tracked_course[0]
    with transaction.atomic():
        ids = [
            str(
                learning_event_record(
                    user=police_officer,
                    kind=EventKind.COURSE_LAUNCHED,
                    activity=f"course:{course.pk}",
                    course=course,
                ).id
            )
            for _ in range(9)
        ]
    _wait_until_sent(destination, 9)
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)

    # A worker died mid-batch: rows left SENDING long ago; the beat's sweeper task resends.
    Delivery.objects.filter(destination=destination).update(
        state=DeliveryState.SENDING, claimed_at=timezone.now() - stuck_after() - timedelta(1)
    )
    from tracking.tasks import deliveries_sweep_task

    deliveries_sweep_task.delay()
    _wait_until_sent(destination, 9)
    assert sorted(i for i in lrs.statement_ids() if i in ids) == sorted(ids)
