"""Benchmark the Learning Record Store (issue 6) on PostgreSQL through gunicorn.

What it does, in one run (about 5 to 10 minutes on 2 cores):

1. Creates a throw-away PostgreSQL database, migrates it, creates an LRS client and starts
   gunicorn (production settings, 3 sync workers) on 127.0.0.1:8250.
2. Ingest: POSTs batches of 100 and of 1,000 realistic statements (1 to 2 KB each, full
   validation) from 4 client threads, then single-statement PUTs; prints statements per second
   and p95 latency. Reference in the same run: a raw COPY of the same rows (as stored, with the
   same indexed columns) into the same table.
3. Queries: bulk-loads 1,000,000 statements with INSERT ... SELECT (not HTTP), ANALYZEs, then
   times filtered GETs over HTTP, the same queries through the LRS selector in-process, and the
   equivalent hand-written indexed SQL; prints p95s and the ratios.
4. Drops the database.

Headline (`ratio:`, the last line): batch ingest statements per second divided by the 3,000/s
target, so >= 1.0 meets it. Ingest is the figure a partner system feels and the one the
published LRS figures (1,150 to 3,800/s) report; the query ratios are printed above it (the
target there is selector p95 within 2x of hand-written SQL).

Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_PORT (8250),
BENCH_ROWS (1000000) to scale the query part down for a quick look, BENCH_INGEST_ONLY=1 to run
only the ingest part (step 2; `ratio:` is then still ingest / 3,000), BENCH_KEEP=1 to keep the
database afterwards.
"""

import base64
import hashlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8250"))
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
INGEST_ONLY = os.environ.get("BENCH_INGEST_ONLY") == "1"
DB = f"lrsbench_{os.getpid()}"
URL = f"http://127.0.0.1:{PORT}/xapi"
VERBS = [
    "completed",
    "attempted",
    "passed",
    "failed",
    "experienced",
    "answered",
    "launched",
    "progressed",
]
THREADS = 4


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def realistic_statement(n: int) -> dict:
    """A statement like the platform's: about 1.4 KB of JSON."""
    course = n % 40
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "name": f"Learner {n % 5000}",
            "account": {"homePage": "https://lscp.example.org", "name": f"{uuid.uuid4()}"},
        },
        "verb": {
            "id": f"http://adlnet.gov/expapi/verbs/{VERBS[n % 8]}",
            "display": {"en-GB": VERBS[n % 8], "en-US": VERBS[n % 8]},
        },
        "object": {
            "objectType": "Activity",
            "id": f"https://lscp.example.org/activities/{n % 2000}",
            "definition": {
                "name": {"en-GB": f"Module {n % 2000}: return home interviews"},
                "description": {
                    "en-GB": "Knowledge check on the duty to offer a return "
                    "home interview within 72 hours."
                },
                "type": "http://adlnet.gov/expapi/activities/assessment",
                "extensions": {"https://lscp.example.org/xapi/ext/learning-point": "LP1"},
            },
        },
        "result": {
            "score": {"scaled": 0.85, "raw": 17, "min": 0, "max": 20},
            "success": True,
            "completion": True,
            "duration": "PT14M32S",
            "extensions": {"https://lscp.example.org/xapi/ext/attempt": n % 3 + 1},
        },
        "context": {
            "registration": str(uuid.uuid4()),
            "instructor": {
                "objectType": "Agent",
                "name": "Trainer",
                "mbox": f"mailto:trainer{n % 50}@lscp.example.org",
            },
            "contextActivities": {
                "parent": [
                    {"objectType": "Activity", "id": f"https://lscp.example.org/courses/{course}"}
                ],
                "grouping": [
                    {
                        "objectType": "Activity",
                        "id": "https://lscp.example.org/programmes/safeguarding",
                    }
                ],
                "category": [
                    {"objectType": "Activity", "id": "https://lscp.example.org/xapi/profile"}
                ],
            },
            "platform": "Safeguarding training",
            "language": "en-GB",
            "extensions": {
                "https://lscp.example.org/xapi/ext/agency": f"agency-{n % 30}",
                "https://lscp.example.org/xapi/ext/job-role": "social-worker",
            },
        },
        "timestamp": datetime.now(UTC).isoformat(),
    }


def run(cmd: list[str], env: dict, **kwargs) -> str:
    return subprocess.run(
        cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs
    ).stdout


def django_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-secret",
        "DEBUG": "false",
        "SITE_URL": "https://lrs-bench.example.org",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Nobody signs out during a run, so each worker may keep its own cache (production
        # asks for this to be said).
        "CACHE_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
    }


def workers_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn's workers: unlike wall time, barely moved by the
    other engineers' load on the machine."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def ingest(client: httpx.Client, batch_size: int, batches: int) -> tuple[float, float]:
    payloads = [
        json.dumps([realistic_statement(b * batch_size + i) for i in range(batch_size)])
        for b in range(batches)
    ]
    sizes = [len(json.dumps(realistic_statement(i))) for i in range(50)]
    print(f"  statement size {min(sizes)}-{max(sizes)} bytes")
    latencies = []

    def send(body: str) -> None:
        start = time.perf_counter()
        response = client.post(
            f"{URL}/statements", content=body, headers={"Content-Type": "application/json"}
        )
        latencies.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text[:300]

    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, payloads))
    elapsed = time.perf_counter() - start
    return batch_size * batches / elapsed, p95(latencies)


def single_puts(client: httpx.Client, count: int) -> tuple[float, float]:
    latencies = []

    def send(n: int) -> None:
        data = realistic_statement(n)
        sid = data.pop("id")
        start = time.perf_counter()
        response = client.put(
            f"{URL}/statements",
            params={"statementId": sid},
            content=json.dumps(data),
            headers={"Content-Type": "application/json"},
        )
        latencies.append(time.perf_counter() - start)
        assert response.status_code == 204, response.text[:300]

    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, range(count)))
    return count / (time.perf_counter() - start), p95(latencies)


def copy_reference(conn, count: int) -> float:
    """Rows per second for a raw COPY of the same statements, as stored, into the same table."""
    now = datetime.now(UTC)
    buffer = io.StringIO()
    for n in range(count):
        data = realistic_statement(n)
        data.update(
            stored=now.isoformat(),
            version="1.0.0",
            authority={"objectType": "Agent", "name": "bench"},
        )
        buffer.write(
            "\t".join(
                [
                    data["id"],
                    json.dumps(data).replace("\\", "\\\\"),
                    f"account:https://lscp.example.org {data['actor']['account']['name']}",
                    data["verb"]["id"],
                    data["object"]["id"],
                    data["context"]["registration"],
                    now.isoformat(),
                    "f",
                    "f",
                ]
            )
            + "\n"
        )
    text = buffer.getvalue()
    start = time.perf_counter()
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY tracking_statement (statement_id, data, actor_ifi, verb_id, activity_id, "
            "registration, stored, voided, is_voiding) FROM STDIN"
        ) as copy,
    ):
        copy.write(text)
    conn.commit()
    return count / (time.perf_counter() - start)


BULK_STATEMENTS = """
INSERT INTO tracking_statement (statement_id, data, actor_ifi, verb_id, activity_id,
    registration, stored, voided, is_voiding)
SELECT md5('s' || g)::uuid,
  jsonb_build_object(
    'id', md5('s' || g)::uuid::text,
    'actor', jsonb_build_object('objectType', 'Agent', 'name', 'Learner ' || (g % 5000),
        'mbox', 'mailto:learner' || (g % 5000) || '@example.org'),
    'verb', jsonb_build_object('id', 'http://adlnet.gov/expapi/verbs/' || v.verb,
        'display', jsonb_build_object('en-GB', v.verb)),
    'object', jsonb_build_object('objectType', 'Activity',
        'id', 'https://lscp.example.org/activities/' || (g % 2000),
        'definition', jsonb_build_object('name', jsonb_build_object('en-GB',
            'Module ' || (g % 2000) || ': return home interviews'))),
    'result', jsonb_build_object('score', jsonb_build_object('scaled', 0.85), 'success', true,
        'duration', 'PT14M32S'),
    'context', jsonb_build_object('registration', overlay(overlay(md5('r' || (g % 50000))
            placing '4' from 13) placing '8' from 17)::uuid::text,
        'instructor', jsonb_build_object('mbox', 'mailto:trainer' || (g % 50) || '@example.org'),
        'contextActivities', jsonb_build_object('parent', jsonb_build_array(jsonb_build_object(
            'id', 'https://lscp.example.org/courses/' || (g % 40)))),
        'platform', 'Safeguarding training'),
    'timestamp', to_char(t.ts, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'stored', to_char(t.ts, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'version', '1.0.0',
    'authority', jsonb_build_object('objectType', 'Agent', 'name', 'bench',
        'account', jsonb_build_object('homePage', 'https://lscp.example.org', 'name', 'bench'))),
  'mbox:mailto:learner' || (g % 5000) || '@example.org',
  'http://adlnet.gov/expapi/verbs/' || v.verb,
  'https://lscp.example.org/activities/' || (g % 2000),
  overlay(overlay(md5('r' || (g % 50000)) placing '4' from 13) placing '8' from 17)::uuid,
  t.ts, false, false
FROM generate_series({start}, {stop}) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['completed','attempted','passed','failed','experienced',
    'answered','launched','progressed'])[g % 8 + 1] AS verb) v
CROSS JOIN LATERAL (SELECT timestamptz '2024-01-01' + g * interval '20 seconds' AS ts) t
"""

BULK_INDEX = """
INSERT INTO tracking_statementindex (statement_id, kind, value, stored)
SELECT s.id, k.kind, k.value, s.stored
FROM tracking_statement s
CROSS JOIN LATERAL (VALUES
    (1, s.actor_ifi),
    (2, 'mbox:' || (s.data #>> '{context,instructor,mbox}')),
    (3, s.activity_id), (3, s.data #>> '{context,contextActivities,parent,0,id}')) AS k(kind, value)
WHERE s.id BETWEEN {low} AND {high}
"""


TABLES = ("tracking_statement", "tracking_statementindex")


def drop_indexes(cur) -> list[str]:
    """Drop the two tables' secondary indexes and constraints; return the SQL to rebuild them.

    Building an index once over loaded rows is several times faster than maintaining it row
    by row, which is how any bulk import of this size would be done.
    """
    rebuild = []
    cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('u', 'f') "
        "ORDER BY contype DESC",
        (list(TABLES),),
    )
    for table, name, definition in cur.fetchall():
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT LIKE '%%_pkey'",
        (list(TABLES),),
    )
    for name, definition in cur.fetchall():
        cur.execute(f'DROP INDEX "{name}"')
        rebuild.insert(0, definition)
    return rebuild


def bulk_load(conn, rows: int) -> None:
    chunk = 100_000
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '256MB'")
        rebuild = drop_indexes(cur)
        conn.commit()
        for start in range(1, rows + 1, chunk):
            stop = min(start + chunk - 1, rows)
            cur.execute("SELECT coalesce(max(id), 0) FROM tracking_statement")
            (low,) = cur.fetchone()
            cur.execute(BULK_STATEMENTS.replace("{start}", str(start)).replace("{stop}", str(stop)))
            cur.execute("SELECT max(id) FROM tracking_statement")
            (high,) = cur.fetchone()
            low += 1
            cur.execute(BULK_INDEX.replace("{low}", str(low)).replace("{high}", str(high)))
            conn.commit()
            print(f"  loaded {stop:,} statements", flush=True)
        start = time.perf_counter()
        for statement in rebuild:
            cur.execute(statement)
        conn.commit()
        print(f"  indexes and constraints rebuilt in {time.perf_counter() - start:.0f} s")
        cur.execute("ANALYZE tracking_statement")
        cur.execute("ANALYZE tracking_statementindex")
    conn.commit()


def registration(r: int) -> str:
    """The bulk data's registration r, shaped as a version 4 UUID like the SQL makes it."""
    h = hashlib.md5(f"r{r % 50000}".encode(), usedforsecurity=False).hexdigest()
    return str(uuid.UUID(h[:12] + "4" + h[13:16] + "8" + h[17:]))


QUERIES = {
    "agent": (
        lambda r: {"agent": json.dumps({"mbox": f"mailto:learner{r % 5000}@example.org"})},
        "SELECT s.data FROM tracking_statementindex i JOIN tracking_statement s "
        "ON s.id = i.statement_id WHERE i.kind = 1 AND i.value = %s AND NOT s.voided "
        "ORDER BY i.stored DESC, i.statement_id DESC LIMIT 26",
        lambda r: (f"mbox:mailto:learner{r % 5000}@example.org",),
    ),
    "verb": (
        lambda r: {"verb": f"http://adlnet.gov/expapi/verbs/{VERBS[r % 8]}"},
        "SELECT data FROM tracking_statement WHERE verb_id = %s AND NOT voided "
        "ORDER BY stored DESC, id DESC LIMIT 26",
        lambda r: (f"http://adlnet.gov/expapi/verbs/{VERBS[r % 8]}",),
    ),
    "activity": (
        lambda r: {"activity": f"https://lscp.example.org/activities/{r % 2000}"},
        "SELECT data FROM tracking_statement WHERE activity_id = %s AND NOT voided "
        "ORDER BY stored DESC, id DESC LIMIT 26",
        lambda r: (f"https://lscp.example.org/activities/{r % 2000}",),
    ),
    "registration": (
        lambda r: {"registration": registration(r)},
        "SELECT data FROM tracking_statement WHERE registration = %s AND NOT voided "
        "ORDER BY stored DESC, id DESC LIMIT 26",
        lambda r: (registration(r),),
    ),
    "agent+verb": (
        lambda r: {
            "agent": json.dumps({"mbox": f"mailto:learner{r % 5000}@example.org"}),
            "verb": f"http://adlnet.gov/expapi/verbs/{VERBS[r % 8]}",
        },
        "SELECT s.data FROM tracking_statementindex i JOIN tracking_statement s "
        "ON s.id = i.statement_id WHERE i.kind = 1 AND i.value = %s AND s.verb_id = %s "
        "AND NOT s.voided ORDER BY i.stored DESC, i.statement_id DESC LIMIT 26",
        lambda r: (
            f"mbox:mailto:learner{r % 5000}@example.org",
            f"http://adlnet.gov/expapi/verbs/{VERBS[r % 8]}",
        ),
    ),
    "related_activities": (
        lambda r: {
            "activity": f"https://lscp.example.org/courses/{r % 40}",
            "related_activities": "true",
        },
        "SELECT s.data FROM tracking_statementindex i JOIN tracking_statement s "
        "ON s.id = i.statement_id WHERE i.kind = 3 AND i.value = %s AND NOT s.voided "
        "ORDER BY i.stored DESC, i.statement_id DESC LIMIT 26",
        lambda r: (f"https://lscp.example.org/courses/{r % 40}",),
    ),
    # A trainer is only ever an instructor (a RELATED_AGENT row); the reference reads both
    # kinds as the selector does, each with its own ordered, limited scan.
    "related_agents": (
        lambda r: {
            "agent": json.dumps({"mbox": f"mailto:trainer{r % 50}@example.org"}),
            "related_agents": "true",
        },
        "SELECT data FROM ((SELECT s.data, i.stored, i.statement_id "
        "FROM tracking_statementindex i JOIN tracking_statement s ON s.id = i.statement_id "
        "WHERE i.kind = 1 AND i.value = %s AND NOT s.voided "
        "ORDER BY i.stored DESC, i.statement_id DESC LIMIT 26) UNION ALL "
        "(SELECT s.data, i.stored, i.statement_id "
        "FROM tracking_statementindex i JOIN tracking_statement s ON s.id = i.statement_id "
        "WHERE i.kind = 2 AND i.value = %s AND NOT s.voided "
        "ORDER BY i.stored DESC, i.statement_id DESC LIMIT 26)) u "
        "ORDER BY stored DESC, statement_id DESC LIMIT 26",
        lambda r: (f"mbox:mailto:trainer{r % 50}@example.org",) * 2,
    ),
    "verb+since": (
        lambda r: {
            "verb": f"http://adlnet.gov/expapi/verbs/{VERBS[r % 8]}",
            "since": "2024-06-01T00:00:00Z",
        },
        "SELECT data FROM tracking_statement WHERE verb_id = %s AND stored > %s AND NOT voided "
        "ORDER BY stored DESC, id DESC LIMIT 26",
        lambda r: (f"http://adlnet.gov/expapi/verbs/{VERBS[r % 8]}", "2024-06-01T00:00:00Z"),
    ),
}


def time_queries(client: httpx.Client, conn, iterations: int = 100) -> list[float]:
    """Print p95 per query over HTTP, via the selector in-process and as hand SQL."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(django_env())
    import django

    django.setup()
    from tracking.lrs.params import statement_query_from
    from tracking.lrs.selectors import statement_query

    ratios = []
    print(
        f"  {'query':<20}{'HTTP p95':>10}{'selector':>10}{'SQL p95':>10}{'sel/SQL':>9}"
        f"{'HTTP/SQL':>10}"
    )
    for name, (params_for, sql, args_for) in QUERIES.items():
        keys = [random.randrange(1_000_000) for _ in range(iterations)]
        http_times, selector_times, sql_times = [], [], []
        for key in keys:
            params = {**params_for(key), "limit": "25"}
            start = time.perf_counter()
            response = client.get(f"{URL}/statements", params=params)
            http_times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text[:300]
            start = time.perf_counter()
            query, _ = statement_query_from(params, now=datetime.now(UTC))
            statement_query(query=query)
            selector_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            with conn.cursor() as cur:
                cur.execute(sql, args_for(key))
                cur.fetchall()
            sql_times.append(time.perf_counter() - start)
        h, s, q = p95(http_times), p95(selector_times), p95(sql_times)
        ratios.append(s / q)
        print(
            f"  {name:<20}{h * 1000:>8.1f}ms{s * 1000:>8.1f}ms{q * 1000:>8.1f}ms"
            f"{s / q:>9.2f}{h / q:>10.2f}"
        )
    return ratios


def main() -> None:
    admin = psycopg.connect(f"{PG}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{DB}"')
    env = django_env()
    server = None
    try:
        print(f"== database {DB}: migrating", flush=True)
        run([sys.executable, "manage.py", "migrate", "--no-input"], env)
        out = run([sys.executable, "manage.py", "create_lrs_client", "bench", "--read-all"], env)
        creds = dict(line.split(": ", 1) for line in out.strip().splitlines())
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                "3",
                "-b",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        token = base64.b64encode(f"{creds['key']}:{creds['secret']}".encode()).decode()
        client = httpx.Client(
            timeout=120,
            limits=httpx.Limits(max_connections=THREADS),
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
        )
        for _ in range(100):
            try:
                if client.get(f"{URL}/about").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        print("== ingest over HTTP (gunicorn, 3 workers, 4 client threads)", flush=True)
        ingest(client, 100, 5)  # warm-up
        cpu = workers_cpu(server)
        rate_100, p95_100 = ingest(client, 100, 40)
        cpu_100, cpu = (workers_cpu(server) - cpu) / 4, workers_cpu(server)
        print(f"  batches of 100:   {rate_100:8.0f} statements/s, p95 {p95_100 * 1000:.0f} ms")
        rate_1000, p95_1000 = ingest(client, 1000, 8)
        cpu_1000 = (workers_cpu(server) - cpu) / 8
        print(f"  batches of 1,000: {rate_1000:8.0f} statements/s, p95 {p95_1000 * 1000:.0f} ms")
        print(
            f"  gunicorn CPU per 1,000 statements: {cpu_100 * 1000:.0f} ms (batches of 100), "
            f"{cpu_1000 * 1000:.0f} ms (batches of 1,000)"
        )
        put_rate, put_p95 = single_puts(client, 400)
        print(f"  single PUTs:      {put_rate:8.0f} statements/s, p95 {put_p95 * 1000:.1f} ms")
        conn = psycopg.connect(f"{PG}/{DB}")
        copy_rate = copy_reference(conn, 8000)
        best = max(rate_100, rate_1000)
        print(
            f"  raw COPY of the same rows: {copy_rate:.0f} rows/s; "
            f"HTTP ingest is {best / copy_rate:.2f} of COPY"
        )
        if not INGEST_ONLY:
            print(f"== bulk-loading {ROWS:,} statements with INSERT ... SELECT", flush=True)
            conn.execute("TRUNCATE tracking_statement, tracking_statementindex CASCADE")
            conn.commit()
            start = time.perf_counter()
            bulk_load(conn, ROWS)
            print(f"  loaded in {time.perf_counter() - start:.0f} s")
            print(f"== filtered GETs at {ROWS:,} statements (limit 25)", flush=True)
            ratios = time_queries(client, conn)
            print(f"  worst selector/SQL p95 ratio: {max(ratios):.2f} (target <= 2)")
        conn.close()
        print(f"ingest target 3,000/s; best batch ingest {best:.0f}/s")
        print(f"ratio: {best / 3000:.2f}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        from django.conf import settings as django_settings

        if django_settings.configured:  # only the query part sets Django up in-process
            from django.db import connections

            connections.close_all()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept database {DB}")
        else:
            admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
