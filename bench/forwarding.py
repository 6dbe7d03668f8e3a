"""Benchmark forwarding (issue 7): 10,000 statements to a partner LRS through Celery on Redis.

What it does, in one run (a few minutes on 2 cores):

1. Creates two throw-away PostgreSQL databases: the platform's (source) and the partner LRS's
   (destination); migrates both; creates an LRS client in the destination and serves its
   /xapi/ with gunicorn (production settings, 2 sync workers) on 127.0.0.1:8720.
2. Records BENCH_STATEMENTS (10,000) learning events through ``learning_event_record`` (so each
   has its statement and an outbox row for the destination), with the destination paused.
3. Reference: a plain loop POSTing the same statements (fresh ids, same bodies) in batches of
   100 with one httpx client, sequentially; statements per second.
4. Forwarding: starts a real Celery worker on Redis (database 13), resumes the destination and
   times until every outbox row is SENT; statements per second; checks the destination holds
   every id exactly once.
5. Stops the worker and gunicorn and drops both databases.

Prints both rates and ends with ``ratio: <forwarding / plain>`` (target: at least 0.5).
Environment: BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_PORT (8720),
BENCH_STATEMENTS (10000), BENCH_REDIS (redis://127.0.0.1:6379/13).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import orjson
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8720"))
COUNT = int(os.environ.get("BENCH_STATEMENTS", "10000"))
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
SOURCE, DEST = f"fwd_bench_src_{os.getpid()}", f"fwd_bench_dst_{os.getpid()}"
URL = f"http://127.0.0.1:{PORT}/xapi/"
BATCH = 100
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def env(database: str, **more) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-secret",
        "DEBUG": "false",
        "SITE_URL": "https://training-bench.example.org",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Nobody signs out during a run, so each worker may keep its own cache (production
        # asks for this to be said).
        "CACHE_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
        **more,
    }


def run(cmd: list[str], environ: dict) -> str:
    return subprocess.run(
        cmd, env=environ, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/xapi/about", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def record_events(count: int):
    """Learning events through the real entry point; returns the destination."""
    from django.db import transaction

    from accounts.models import Agency, User
    from courses.models import CourseIndexPage, CoursePage
    from learning.models import EventKind
    from learning.services import learning_event_record
    from tracking.models import LRSDestination
    from tracking.services.destinations import destination_create

    key, secret = (line.split(": ", 1)[1] for line in CLIENT.strip().splitlines())
    destination = destination_create(
        name="Partner LRS", endpoint=URL, username=key, secret=secret, batch_size=BATCH
    )
    LRSDestination.objects.filter(pk=destination.pk).update(paused_reason="bench: not yet")
    agency = Agency.objects.create(name="Bench Police", slug="bench-police", sector="police")
    users = [
        User.objects.create_user(email=f"learner{n}@bench.example.org", agency=agency)
        for n in range(20)
    ]
    course = CourseIndexPage.objects.get().add_child(
        instance=CoursePage(
            title="Children missing from home and care",
            slug="bench-course",
            summary="What every agency must do for every missing episode.",
            topic="missing-children",
            level="foundation",
            audience_sectors=[],
        )
    )
    for start in range(0, count, 500):
        with transaction.atomic():
            for n in range(start, min(start + 500, count)):
                learning_event_record(
                    user=users[n % len(users)],
                    kind=EventKind.COURSE_LAUNCHED,
                    activity=f"course:{course.pk}",
                    course=course,
                )
    return destination


def plain_loop(destination) -> float:
    """The reference: the same statement bodies with fresh ids, batched, one client, in order."""
    from tracking.credentials import secret_decrypt
    from tracking.models import Delivery
    from tracking.services.delivery import _payloads

    rows = list(Delivery.objects.filter(destination=destination).order_by("id"))
    bodies = []
    for start in range(0, len(rows), BATCH):
        payloads = _payloads(rows[start : start + BATCH], destination)
        bodies.append(orjson.dumps([{**p, "id": str(uuid.uuid4())} for p in payloads]))
    auth = (destination.username, secret_decrypt(token=destination.secret_encrypted))
    headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    with httpx.Client(base_url=URL, auth=auth, headers=headers, timeout=30) as client:
        started = time.perf_counter()
        for body in bodies:
            response = client.post("statements", content=body)
            assert response.status_code == 200, response.text[:300]
        elapsed = time.perf_counter() - started
    return len(rows) / elapsed


def forwarding(destination) -> float:
    """Resume the destination and time the worker delivering every outbox row."""
    from tracking.models import Delivery, DeliveryState
    from tracking.services.destinations import destination_resume

    rows = Delivery.objects.filter(destination=destination)
    started = time.perf_counter()
    destination_resume(destination=destination)
    deadline = started + 900
    while rows.filter(state=DeliveryState.SENT).count() < COUNT:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"only {rows.filter(state='sent').count()} delivered in time")
        failed = rows.filter(state=DeliveryState.FAILED).first()
        if failed:
            raise RuntimeError(f"delivery failed: {failed.last_error}")
        time.sleep(0.05)
    return COUNT / (time.perf_counter() - started)


def destination_count(ids: list[str]) -> tuple[int, int]:
    with psycopg.connect(f"{PG}/{DEST}") as connection:
        rows = connection.execute(
            "SELECT count(*), count(DISTINCT statement_id) FROM tracking_statement "
            "WHERE statement_id = ANY(%s::uuid[])",
            (ids,),
        ).fetchone()
    return rows[0], rows[1]


def main() -> None:
    global CLIENT
    processes = []
    admin_sql(f"CREATE DATABASE {SOURCE}")
    admin_sql(f"CREATE DATABASE {DEST}")
    try:
        print(f"Migrating {SOURCE} and {DEST} ...", flush=True)
        run([str(BIN / "python"), "manage.py", "migrate", "-v", "0"], env(SOURCE))
        run([str(BIN / "python"), "manage.py", "migrate", "-v", "0"], env(DEST))
        CLIENT = run(
            [str(BIN / "python"), "manage.py", "create_lrs_client", "Platform forwarding"],
            env(DEST),
        )
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{PORT}",
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                ],
                env=env(DEST),
                cwd=ROOT,
            )
        )
        wait_for_port(PORT)

        os.environ.update(env(SOURCE, CELERY_BROKER_URL=REDIS, CELERY_RESULT_BACKEND=REDIS))
        import django

        django.setup()
        from tracking.lrs.models import Statement

        started = time.perf_counter()
        destination = record_events(COUNT)
        recorded = COUNT / (time.perf_counter() - started)
        print(f"recorded {COUNT} learning events (statement + outbox row each): {recorded:.0f}/s")

        plain = plain_loop(destination)
        print(f"plain batched httpx POST loop: {plain:.0f} statements/s")

        run(["redis-cli", "-u", REDIS, "flushdb"], os.environ.copy())
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "--loglevel=warning",
                    "--concurrency=2",
                    "--pool=prefork",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env=env(SOURCE, CELERY_BROKER_URL=REDIS, CELERY_RESULT_BACKEND=REDIS),
                cwd=ROOT,
            )
        )
        from config.celery import ping

        ping.delay().get(timeout=60)
        forwarded = forwarding(destination)
        print(f"forwarding through Celery (real worker on Redis): {forwarded:.0f} statements/s")

        ids = [str(i) for i in Statement.objects.values_list("statement_id", flat=True)]
        total, distinct = destination_count(ids)
        print(f"destination holds {distinct} of {len(ids)} ids, {total - distinct} duplicates")
        assert distinct == len(ids) == COUNT and total == distinct
        print(f"ratio: {forwarded / plain:.2f}")
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {SOURCE} WITH (FORCE)")
        admin_sql(f"DROP DATABASE IF EXISTS {DEST} WITH (FORCE)")


CLIENT = ""

if __name__ == "__main__":
    main()
