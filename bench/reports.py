"""Benchmark the assurance reports (issue 8) on PostgreSQL at partnership scale.

What it does, in one run (about 5 to 10 minutes on 2 cores):

1. Creates a throw-away PostgreSQL database and migrates it; makes 5 courses of 6 modules
   (Wagtail pages, through the ORM) and two required-learning rules.
2. Generates in SQL (INSERT ... SELECT over generate_series, no ORM loops): 40 agencies in 7
   sectors with teams, 50,000 learners, about 125,000 enrolments, 600,000 module progress rows,
   75,000 completions (some expired, some revoked) and 5,000,000 LRS statements. The statement
   table's secondary indexes are dropped before the load (building 5M rows with 8 indexes on 2
   cores takes longer than the whole budget) and the report never reads statements.
3. Builds the rollups with ``rollup_rebuild`` and times incremental ``rollup_apply_event``.
4. Times the agency-by-module report (every agency x every course and module: required,
   enrolled, in progress, completed, overdue, refresher due, registered) through the selector
   ``course_figures`` and, in the same run, a hand-written SQL GROUP BY over the same rows
   computing the same figures; checks they agree; prints both, the query counts, and a raw
   GROUP BY over the 5M statements for context.
5. Drops the database.

Headline (`ratio:`, the last line): selector median time / hand-written SQL median time
(target: within 2x, so <= 2.0).

Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_LEARNERS (50000),
BENCH_STATEMENTS (5000000) to scale down for a quick look; BENCH_KEEP=1 keeps the database
(named in the first line of output) for EXPLAIN ANALYZE.
"""

# SQL here is built only from integers and constants this script makes (no outside input).
# ruff: noqa: S608

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "50000"))
STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "5000000"))
DB = f"reports_bench_{os.getpid()}"
AGENCIES, COURSES, MODULES = 40, 5, 6
SECTORS = [
    "police",
    "childrens_social_care",
    "health",
    "education",
    "residential_care",
    "voluntary",
    "other",
]


def django_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-secret",
        "DEBUG": "false",
        "SITE_URL": "https://reports-bench.example.org",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Nobody signs out during a run, so each worker may keep its own cache (production
        # asks for this to be said).
        "CACHE_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
    }


def setup_django():
    os.environ.update(django_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_courses() -> tuple[list[int], list[list[int]]]:
    """Five live courses of six modules each, through Wagtail's page API."""
    from courses.models import CourseIndexPage, CoursePage, ModulePage, RequiredLearning

    index = CourseIndexPage.objects.get()
    course_ids, module_ids = [], []
    for c in range(COURSES):
        course = index.add_child(
            instance=CoursePage(
                title=f"Course {c + 1}",
                slug=f"course-{c + 1}",
                summary="Bench",
                topic="missing-children",
                refresher_months=24,
            )
        )
        course_ids.append(course.pk)
        ids = []
        for m in range(MODULES):
            body = [
                {
                    "type": "section",
                    "value": {
                        "heading": "Section",
                        "content": [{"type": "markdown", "value": "Text", "id": f"b{c}{m}"}],
                    },
                    "id": f"s{c}{m}",
                }
            ]
            module = course.add_child(
                instance=ModulePage(title=f"Module {c + 1}.{m + 1}", slug=f"m-{m + 1}", body=body)
            )
            ids.append(module.pk)
        module_ids.append(ids)
    RequiredLearning.objects.create(
        course_id=course_ids[0], sectors=["police", "childrens_social_care"], due_within_months=3
    )
    RequiredLearning.objects.create(course_id=course_ids[1], sectors=[], due_within_months=6)
    RequiredLearning.objects.filter().update(created_at="2024-01-01T00:00:00Z")
    return course_ids, module_ids


def generate(conn, course_ids: list[int], module_ids: list[list[int]]) -> None:
    """Agencies, teams, job roles, learners and their learning records, all in SQL."""
    courses = "ARRAY[" + ",".join(map(str, course_ids)) + "]"
    modules = "ARRAY[" + ",".join(",".join(map(str, ids)) for ids in module_ids) + "]"
    sectors = "ARRAY[" + ",".join(f"'{s}'" for s in SECTORS) + "]"
    steps = [
        (
            "agencies",
            f"""INSERT INTO accounts_agency (name, slug, sector, local_authority_area,
                requires_approval, headcount, is_active)
            SELECT 'Agency ' || a, 'agency-' || a, ({sectors})[a % 7 + 1], 'Oldham', false,
                   1000 + (a * 37) % 900, true
            FROM generate_series(1, {AGENCIES}) a""",
        ),
        (
            "teams",
            """INSERT INTO accounts_team (agency_id, name)
            SELECT id, 'Team ' || t FROM accounts_agency, generate_series(1, 5) t""",
        ),
        (
            "job roles",
            """INSERT INTO accounts_jobrole (name, slug, sectors)
            SELECT 'Role ' || r, 'role-' || r, '[]'::jsonb FROM generate_series(1, 10) r""",
        ),
        (
            "learners",
            f"""INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff,
                is_active, date_joined, email, pseudonym, membership_status, agency_id, team_id,
                job_role_id)
            SELECT '!', false, 'Learner', 'L' || g, false, true,
                   timestamptz '2024-01-01' + (g % 900) * interval '1 day',
                   'learner' || g || '@bench.example.org', md5('p' || g)::uuid, 'approved',
                   a.id, (SELECT min(t.id) FROM accounts_team t WHERE t.agency_id = a.id) + g % 5,
                   (SELECT min(id) FROM accounts_jobrole) + g % 10
            FROM generate_series(1, {LEARNERS}) g
            JOIN accounts_agency a ON a.slug = 'agency-' || (g % {AGENCIES} + 1)""",
        ),
        (
            "enrolments",
            f"""INSERT INTO courses_enrolment (registration, source, status, enrolled_at,
                completed_at, last_position, user_id, course_id)
            SELECT md5('e' || u.id || '-' || c)::uuid, 'self',
                   CASE WHEN (u.id * 7 + c * 3) % 10 < 6 THEN 'completed' ELSE 'in_progress' END,
                   timestamptz '2023-06-01' + ((u.id * 13 + c * 101) % 1000) * interval '1 day',
                   NULL, 1, u.id, ({courses})[c + 1]
            FROM accounts_user u CROSS JOIN generate_series(0, {COURSES - 1}) c
            WHERE (u.id * 11 + c * 17) % 10 < 5""",
        ),
        (
            "completions",
            """UPDATE courses_enrolment SET completed_at = enrolled_at + interval '20 days'
            WHERE status = 'completed';
            INSERT INTO courses_completion (completed_at, expires_at, score, revoked_at,
                revoked_reason, user_id, course_id, enrolment_id)
            SELECT completed_at, completed_at + interval '24 months', 90,
                   CASE WHEN id % 100 = 0 THEN completed_at + interval '5 days' END, '',
                   user_id, course_id, id
            FROM courses_enrolment WHERE status = 'completed'""",
        ),
        (
            "module progress",
            f"""INSERT INTO courses_moduleprogress (started_at, completed_at, enrolment_id,
                module_id)
            SELECT e.enrolled_at + m * interval '1 day',
                   CASE WHEN e.status = 'completed' OR m < e.id % {MODULES}
                        THEN e.enrolled_at + m * interval '1 day' + interval '2 hours' END,
                   e.id,
                   ({modules})[array_position({courses}, e.course_id) * {MODULES} - {MODULES}
                               + m + 1]
            FROM courses_enrolment e CROSS JOIN generate_series(0, {MODULES - 1}) m
            WHERE e.status = 'completed' OR m <= e.id % {MODULES}""",
        ),
    ]
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        for name, sql in steps:
            start = time.perf_counter()
            cur.execute(sql)
            conn.commit()
            print(f"  {name}: {time.perf_counter() - start:.1f} s", flush=True)


STATEMENT_SQL = """
INSERT INTO tracking_statement (statement_id, data, actor_ifi, verb_id, activity_id,
    registration, stored, voided, is_voiding)
SELECT md5('s' || g)::uuid,
  jsonb_build_object('id', md5('s' || g)::uuid::text,
    'actor', jsonb_build_object('mbox', 'mailto:learner' || (g % {learners} + 1)
        || '@bench.example.org'),
    'verb', jsonb_build_object('id', 'http://adlnet.gov/expapi/verbs/' || v.verb),
    'object', jsonb_build_object('id', 'https://reports-bench.example.org/modules/'
        || {modules}[g % {module_count} + 1]),
    'timestamp', to_char(t.ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
  'mbox:mailto:learner' || (g % {learners} + 1) || '@bench.example.org',
  'http://adlnet.gov/expapi/verbs/' || v.verb,
  'https://reports-bench.example.org/modules/' || {modules}[g % {module_count} + 1],
  NULL, t.ts, false, false
FROM generate_series({start}, {stop}) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['launched','experienced','answered','progressed',
    'completed'])[g % 5 + 1] AS verb) v
CROSS JOIN LATERAL (SELECT timestamptz '2024-01-01' + g * interval '6 seconds' AS ts) t
"""


def load_statements(conn, module_ids: list[list[int]]) -> None:
    flat = [m for ids in module_ids for m in ids]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'tracking_statement' "
            "AND indexname NOT LIKE '%pkey'"
        )
        for (name,) in cur.fetchall():
            cur.execute("SELECT conname FROM pg_constraint WHERE conname = %s", (name,))
            if cur.fetchone():
                cur.execute(f'ALTER TABLE tracking_statement DROP CONSTRAINT "{name}"')
            else:
                cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SET synchronous_commit = off")
        chunk = 500_000
        sql = (
            STATEMENT_SQL.replace("{learners}", str(LEARNERS))
            .replace("{modules}", "(ARRAY[" + ",".join(map(str, flat)) + "])")
            .replace("{module_count}", str(len(flat)))
        )
        for start in range(1, STATEMENTS + 1, chunk):
            stop = min(start + chunk - 1, STATEMENTS)
            cur.execute(sql.replace("{start}", str(start)).replace("{stop}", str(stop)))
            conn.commit()
            print(f"  loaded {stop:,} statements", flush=True)
        cur.execute("ANALYZE")
    conn.commit()


def reference_sql(course_ids, module_ids, rules) -> list[str]:
    """Hand-written GROUP BY queries computing the selector's agency-by-module figures."""
    scope = "u.is_active AND u.membership_status = 'approved'"
    late = " OR ".join(
        f"(r.course_id = {course_id} AND {rules[course_id][1]})"
        for course_id in course_ids
        if course_id in rules
    )
    valid = "(r.completed_at <= %(at)s AND (r.expires_at IS NULL OR r.expires_at > %(at)s))"
    course_sql = f"""
        SELECT u.agency_id, r.course_id,
          count(*) FILTER (WHERE r.enrolled_at <= %(at)s),
          count(*) FILTER (WHERE r.in_progress AND r.enrolled_at <= %(at)s
                           AND NOT coalesce({valid}, false)),
          count(*) FILTER (WHERE {valid}),
          count(*) FILTER (WHERE r.completed_at <= %(at)s AND r.expires_at <= %(at)s),
          count(*) FILTER (WHERE ({late}) AND r.completed_at <= %(at)s)
        FROM reports_courserollup r JOIN accounts_user u ON u.id = r.user_id
        JOIN accounts_agency a ON a.id = u.agency_id
        WHERE {scope} GROUP BY 1, 2"""
    module_sql = f"""
        SELECT u.agency_id, r.module_id,
          count(*) FILTER (WHERE r.started_at <= %(at)s),
          count(*) FILTER (WHERE r.started_at <= %(at)s
              AND (r.completed_at IS NULL OR r.completed_at > %(at)s)),
          count(*) FILTER (WHERE r.completed_at <= %(at)s),
          count(*) FILTER (WHERE ({late}) AND r.completed_at <= %(at)s
              AND (r.course_completed_at IS NULL OR r.course_completed_at > %(at)s))
        FROM reports_modulerollup r JOIN accounts_user u ON u.id = r.user_id
        JOIN accounts_agency a ON a.id = u.agency_id
        WHERE {scope} GROUP BY 1, 2"""
    columns = ["count(*)"]
    for course_id in course_ids:
        required, overdue = rules.get(course_id, ("false", "false"))
        columns += [f"count(*) FILTER (WHERE {required})", f"count(*) FILTER (WHERE {overdue})"]
    people_sql = f"""
        SELECT u.agency_id, {", ".join(columns)}
        FROM accounts_user u JOIN accounts_agency a ON a.id = u.agency_id
        WHERE {scope} GROUP BY 1"""
    return [course_sql, module_sql, people_sql]


def reference_rows(results, course_ids, module_ids) -> dict:
    """{(agency, course, module or None): (required, enrolled, in progress, completed,
    overdue, refresher due, registered)} from the hand-written queries' results."""
    courses = {(row[0], row[1]): row[2:] for row in results[0]}
    modules = {(row[0], row[1]): row[2:] for row in results[1]}
    figures = {}
    for agency, registered, *per_course in results[2]:
        for n, (course_id, ids) in enumerate(zip(course_ids, module_ids, strict=True)):
            required, past_due = per_course[2 * n], per_course[2 * n + 1]
            enrolled, in_progress, completed, refresher, late_done = courses.get(
                (agency, course_id), (0, 0, 0, 0, 0)
            )
            overdue = past_due - late_done
            figures[(agency, course_id, None)] = (
                required,
                enrolled,
                in_progress,
                completed,
                overdue,
                refresher,
                registered,
            )
            for module_id in ids:
                m_enrolled, m_progress, m_completed, late_module = modules.get(
                    (agency, module_id), (0, 0, 0, 0)
                )
                figures[(agency, course_id, module_id)] = (
                    required,
                    m_enrolled,
                    m_progress,
                    m_completed,
                    overdue - late_module,
                    refresher,
                    registered,
                )
    return figures


def rule_sql(at) -> dict:
    """The two rules as SQL conditions (hand-translated, as a developer would write them)."""
    from courses.models import RequiredLearning

    conditions = {}
    for rule in RequiredLearning.objects.all():
        sectors = ", ".join(f"'{s}'" for s in rule.sectors)
        match = f"a.sector IN ({sectors})" if rule.sectors else "true"
        overdue = (
            f"({match} AND u.date_joined <= %(at)s - interval '{rule.due_within_months} months')"
        )
        conditions[rule.course_id] = (match, overdue)
    return conditions


def timed(function, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    admin = psycopg.connect(f"{PG}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{DB}"')
    total = time.perf_counter()
    try:
        print(f"== database {DB}: migrating", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            env=django_env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        setup_django()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from accounts.models import User
        from courses.models import ModuleProgress
        from learning.models import EventKind, LearningEvent
        from reports.selectors.figures import course_figures
        from reports.selectors.scope import ReportFilters
        from reports.services.rollup import rollup_apply_event, rollup_rebuild

        course_ids, module_ids = make_courses()
        conn = psycopg.connect(f"{PG}/{DB}")
        print(f"== generating {LEARNERS:,} learners in {AGENCIES} agencies (SQL)", flush=True)
        generate(conn, course_ids, module_ids)
        print(f"== generating {STATEMENTS:,} LRS statements (SQL)", flush=True)
        start = time.perf_counter()
        load_statements(conn, module_ids)
        print(f"  statements loaded in {time.perf_counter() - start:.0f} s")
        counts = {}
        with conn.cursor() as cur:
            for table in (
                "accounts_user",
                "courses_enrolment",
                "courses_moduleprogress",
                "courses_completion",
                "tracking_statement",
            ):
                cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
                counts[table] = cur.fetchone()[0]
        print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

        print("== rollups", flush=True)
        start = time.perf_counter()
        course_rows, module_rows = rollup_rebuild()
        print(
            f"  rollup_rebuild: {course_rows:,} learner-course and {module_rows:,} "
            f"learner-module rows in {time.perf_counter() - start:.1f} s"
        )
        conn.execute("ANALYZE")
        conn.commit()
        progress = list(ModuleProgress.objects.select_related("enrolment").order_by("?")[:200])
        events = [
            LearningEvent.objects.create(
                user_id=p.enrolment.user_id,
                kind=EventKind.MODULE_COMPLETED,
                activity=f"module:{p.module_id}",
                course_id=p.enrolment.course_id,
                module_id=p.module_id,
            )
            for p in progress
        ]
        start = time.perf_counter()
        for event in events:
            rollup_apply_event(event=event)
        per_event = (time.perf_counter() - start) / len(events) * 1000
        print(f"  rollup_apply_event: {per_event:.2f} ms per event (incremental)")

        # Superusers hold every role, so this is a partnership admin seeing all 40 agencies.
        viewer = User.objects.create_user("admin@bench.example.org", is_superuser=True)
        filters = ReportFilters()
        at = timezone.now()

        def selector():
            return course_figures(
                viewer=viewer, filters=filters, group_by="agency", include_modules=True
            )

        selector()  # warm-up (role cache, plans)
        with CaptureQueriesContext(connection) as queries:
            rows = selector()
        selector_queries = len(queries)
        selector_time, rows = timed(selector)

        sqls = reference_sql(course_ids, module_ids, rule_sql(at))

        def reference():
            with connection.cursor() as cur:
                results = []
                for sql in sqls:
                    cur.execute(sql, {"at": at})
                    results.append(cur.fetchall())
                return results

        reference()
        reference_time, results = timed(reference)
        # The two must agree on every figure of every line.
        expected = reference_rows(results, course_ids, module_ids)
        mismatches = sum(
            1
            for r in rows
            if expected.get((r.group, r.course_id, r.module_id))
            != (
                r.required,
                r.enrolled,
                r.in_progress,
                r.completed,
                r.overdue,
                r.refresher_due,
                r.registered,
            )
        )
        print(
            f"== agency-by-module report: {len(rows):,} rows ({AGENCIES} agencies x "
            f"{COURSES} courses x {MODULES + 1} lines)"
        )
        print(
            f"  selector course_figures: {selector_time * 1000:8.1f} ms median, "
            f"{selector_queries} queries (independent of learners)"
        )
        print(
            f"  hand-written GROUP BY:   {reference_time * 1000:8.1f} ms median, "
            f"{len(sqls)} queries"
        )
        print(f"  lines whose figures differ between the two: {mismatches} of {len(rows):,}")
        with connection.cursor() as cur:
            start = time.perf_counter()
            cur.execute(
                "SELECT u.agency_id, s.activity_id, count(*) FROM tracking_statement s "
                "JOIN accounts_user u ON s.actor_ifi = 'mbox:mailto:' || u.email "
                "WHERE s.verb_id = 'http://adlnet.gov/expapi/verbs/completed' GROUP BY 1, 2"
            )
            raw = cur.fetchall()
            raw_time = time.perf_counter() - start
        print(
            f"  for context, GROUP BY over {counts['tracking_statement']:,} raw statements "
            f"(completed verbs by agency and module, {len(raw):,} groups): "
            f"{raw_time * 1000:.0f} ms"
        )
        conn.close()
        print(f"total run {time.perf_counter() - total:.0f} s")
        print(f"ratio: {selector_time / reference_time:.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not os.environ.get("BENCH_KEEP"):
            admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
