"""Runs only in CI's worker step, against a real Celery worker on Redis."""

import os

import pytest

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        os.environ.get("CELERY_WORKER_SMOKE") != "1", reason="needs a real worker (CI step)"
    ),
]


def test_a_real_worker_executes_a_task_sent_through_redis():
    from config.celery import app, ping

    assert not app.conf.task_always_eager
    assert ping.delay().get(timeout=30) == "pong"
