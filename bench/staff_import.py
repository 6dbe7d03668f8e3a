"""Benchmark the bulk staff import (issue 20): 10,000 CSV rows into one agency.

Run with ``.venv/bin/python bench/staff_import.py``. It makes a throw-away SQLite test database
(migrated, as the tests do), an agency with 2,000 existing members, and a CSV of 10,000 rows
(those 2,000 renamed and moved team, 8,000 new people; 25 teams of which 5 are new; start dates
on half). It times, in one run:

1. the dry run (``staff_import_plan``), what a lead waits for before confirming;
2. the import (``staff_import_apply``: plan again, then one transaction); invitation emails are
   enqueued for a worker and not sent here (their count is printed);
3. the reference: a raw ``bulk_create`` of the same 10,000 rows as new users (no checks, no
   updates, no email addresses).

Prints each time and ends with ``ratio: <import / reference>``; the target is the import under
60 s. Set ``BENCH_ROWS`` for another size.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
EXISTING = ROWS // 5


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    import accounts.tasks
    from accounts.models import Agency, JobRole, Team, User
    from accounts.staff_import import staff_import_apply, staff_import_plan

    enqueued: list[int] = []
    accounts.tasks.staff_invitations_send_task.delay = lambda ids: enqueued.extend(ids)

    agency = Agency.objects.create(name="Bench Police", slug="bench-police", sector="police")
    roles = [
        JobRole.objects.get_or_create(name=f"Bench role {i}", slug=f"bench-role-{i}")[0]
        for i in range(6)
    ]
    teams = [Team.objects.create(agency=agency, name=f"Team {i}") for i in range(20)]
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"existing{i}@bench.example.org",
                first_name="Existing",
                last_name=f"Person {i}",
                agency=agency,
                team=teams[i % 20],
                job_role=roles[0],
                password=unusable,
            )
            for i in range(EXISTING)
        ],
        batch_size=900,
    )
    lines = ["name,email,team,job role,start date"]
    for i in range(ROWS):
        email = f"existing{i}@bench.example.org" if i < EXISTING else f"new{i}@bench.example.org"
        start = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 2 else ""
        lines.append(f"Person {i} Surname,{email},Team {i % 25},Bench role {i % 6},{start}")
    csv_text = "\n".join(lines) + "\n"

    started = time.perf_counter()
    plan = staff_import_plan(agency=agency, csv_text=csv_text)
    dry_run = time.perf_counter() - started
    assert not plan.has_errors, [r.errors for r in plan.rows if r.errors][:3]

    started = time.perf_counter()
    staff_import_apply(agency=agency, csv_text=csv_text)
    imported = time.perf_counter() - started
    assert User.objects.filter(agency=agency).count() == ROWS

    role_by_name = {r.name: r for r in roles}
    team_by_name = {t.name: t for t in Team.objects.filter(agency=agency)}
    started = time.perf_counter()
    reference_rows = []
    for line in lines[1:]:
        name, email, team, role, _start = line.split(",")
        first, _, last = name.partition(" ")
        reference_rows.append(
            User(
                email=f"ref-{email}",
                first_name=first,
                last_name=last,
                agency=agency,
                team=team_by_name[team],
                job_role=role_by_name[role],
                password=unusable,
            )
        )
    User.objects.bulk_create(reference_rows, batch_size=900)
    reference = time.perf_counter() - started

    print(f"rows: {ROWS} ({EXISTING} existing, {ROWS - EXISTING} new)")
    print(f"dry run: {dry_run:.2f} s")
    print(f"import: {imported:.2f} s (target < 60 s); invitations enqueued: {len(enqueued)}")
    print(f"reference bulk_create: {reference:.2f} s")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(f"ratio: {imported / reference:.2f}")


if __name__ == "__main__":
    main()
