"""Benchmark the directory import (issue 16): 5,000 full ORUK services, against a raw bulk insert.

Run with ``.venv/bin/python bench/directory_import.py``. In one run:

1. Creates a throw-away PostgreSQL database (``BENCH_PG``, default
   postgres://postgres@127.0.0.1:5432; ``BENCH_DB=sqlite`` uses a temporary SQLite file
   instead), migrates it and loads the directory taxonomy.
2. Writes ``BENCH_SERVICES`` (5,000) full ORUK 3.0 services to a JSON file: organisation,
   categories, languages, phones, schedules, areas, cost options, contacts, funding and a
   location with coordinates (so no postcode lookups), about 20 MB like the feed in the issue.
3. Times ``directory_import`` on that file (reading included), as ``import_directory`` runs
   it, with a progress bar; checks every service was created and none rejected. The import
   queues ``directory.import_indexes_refresh`` on commit (Wagtail's search and reference
   indexes); the bench records those tasks instead of running them, so "import" is what the
   editor waits for with a Celery worker, then runs the same service calls and prints their
   time as "index task" (a worker's time; with Celery eager, the embedded default, the import
   command pays both). With ``BENCH_REIMPORT=1`` it then times importing the same file again
   (every service unchanged).
4. Times a raw bulk insert of the same rows under fresh ids: model instances built straight
   from the records and saved with ``bulk_create`` (no validation, no change detection, no
   search index), the floor any importer could reach.
5. Drops the database (``BENCH_KEEP=1`` keeps it).

Prints the times, services per second, and ``ratio: <import / bulk insert>``; the target in the
issue is 5,000 services in under 60 s.
"""

import json
import os
import random
import re
import sys
import tempfile
import time
import uuid
from io import StringIO
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
ENGINE = os.environ.get("BENCH_DB", "postgresql")
SERVICES = int(os.environ.get("BENCH_SERVICES", "5000"))
REIMPORT = os.environ.get("BENCH_REIMPORT") == "1"
DB = f"dirimport_{os.getpid()}"
TARGET_SECONDS = 60
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

PLACES = ["Oldham", "Rochdale", "Bury", "Bolton", "Wigan", "Salford", "Stockport", "Tameside"]
WORDS = [
    "advocacy",
    "counselling",
    "interpreting",
    "youth",
    "family",
    "mentoring",
    "helpline",
    "support",
]


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django(sqlite_path: Path | None) -> None:
    if sqlite_path is None:
        os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


def record(n: int, rng: random.Random, terms: list[str], orgs: list[dict]) -> dict:
    """One full ORUK service with every kind of child record."""
    sid = str(uuid.uuid4())
    place = rng.choice(PLACES)
    word = rng.choice(WORDS)

    def child(**fields) -> dict:
        return {"id": str(uuid.uuid4()), **fields}

    return {
        "id": sid,
        "name": f"{place} {word} service {n}",
        "description": f"{word.title()} for children and families across {place}. " * 4,
        "url": f"https://example.org/services/{n}",
        "email": f"service{n}@example.org",
        "status": "active",
        "fees": "Free",
        "minimum_age": rng.choice([0, 5, 11]),
        "maximum_age": rng.choice([18, 25]),
        "assured_date": "2026-10-01",
        "assurer_email": "editor@example.org",
        "application_process": "Call the duty worker or complete the referral form.",
        "eligibility_description": f"Families living in {place}.",
        "organization": rng.choice(orgs),
        "attributes": [
            child(taxonomy_term_id=term) for term in rng.sample(terms, k=rng.choice([1, 2]))
        ],
        "languages": [child(code=code) for code in rng.sample(["eng", "pol", "urd", "rom"], 2)],
        "phones": [child(number="0161 496 0000", description="Duty line")],
        "schedules": [
            child(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="17:00")
        ],
        "service_areas": [child(name=place)],
        "cost_options": [child(option="Free", amount=0)],
        "contacts": [child(name="Duty worker", title="Coordinator")],
        "funding": [child(source="Local authority grant")],
        "service_at_locations": [
            child(
                location=child(
                    location_type="physical",
                    name=f"{place} family centre {n}",
                    latitude=53.4 + rng.random() / 5,
                    longitude=-2.4 + rng.random() / 3,
                    addresses=[
                        child(
                            address_1=f"{n} High Street",
                            city=place,
                            state_province="Greater Manchester",
                            postal_code="OL1 1AA",
                            country="GB",
                            address_type="physical",
                        )
                    ],
                )
            )
        ],
    }


def bulk_insert(records: list[dict]) -> None:
    """The same rows with bulk_create: no validation, no change detection, no index."""
    from directory.models import (
        Attribute,
        Contact,
        CostOption,
        Funding,
        Language,
        Location,
        Organization,
        Phone,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
    )

    orgs = {r["organization"]["id"]: r["organization"] for r in records}
    Organization.objects.bulk_create(
        Organization(id=o["id"], name=o["name"], description=o["description"])
        for o in orgs.values()
    )
    services, children, locations, links = [], {}, [], []
    for r in records:
        services.append(
            Service(
                id=r["id"],
                organization_id=r["organization"]["id"],
                name=r["name"],
                description=r["description"],
                url=r["url"],
                email=r["email"],
                status=r["status"],
                fees=r["fees"],
                minimum_age=r["minimum_age"],
                maximum_age=r["maximum_age"],
                assured_date=r["assured_date"],
                assurer_email=r["assurer_email"],
                how_to_refer=r["application_process"],
                eligibility=r["eligibility_description"],
                review_status="published",
            )
        )
        sid = r["id"]
        for model, key, build in (
            (Attribute, "attributes", lambda c: {"taxonomy_term_id": c["taxonomy_term_id"]}),
            (Language, "languages", lambda c: {"code": c["code"]}),
            (Phone, "phones", lambda c: {"number": c["number"]}),
            (Schedule, "schedules", lambda c: {"byday": c["byday"], "opens_at": c["opens_at"]}),
            (ServiceArea, "service_areas", lambda c: {"name": c["name"]}),
            (CostOption, "cost_options", lambda c: {"option": c["option"], "amount": 0}),
            (Contact, "contacts", lambda c: {"name": c["name"], "title": c["title"]}),
            (Funding, "funding", lambda c: {"source": c["source"]}),
        ):
            for position, item in enumerate(r[key]):
                children.setdefault(model, []).append(
                    model(id=item["id"], service_id=sid, sort_order=position, **build(item))
                )
        for position, link in enumerate(r["service_at_locations"]):
            data = link["location"]
            address = data["addresses"][0]
            locations.append(
                Location(
                    id=data["id"],
                    name=data["name"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    address_1=address["address_1"],
                    city=address["city"],
                    postal_code=address["postal_code"],
                )
            )
            links.append(
                ServiceAtLocation(
                    id=link["id"], service_id=sid, location_id=data["id"], sort_order=position
                )
            )
    Service.objects.bulk_create(services, batch_size=1000)
    Location.objects.bulk_create(locations, batch_size=1000)
    ServiceAtLocation.objects.bulk_create(links, batch_size=1000)
    for model, rows in children.items():
        model.objects.bulk_create(rows, batch_size=1000)


def with_fresh_ids(records: list[dict]) -> list[dict]:
    """The same rows under new ids, so the bulk insert needs no deletes (whose signals would
    cost more than the insert)."""
    text = json.dumps(records)
    mapping: dict[str, str] = {}
    fresh = UUID_RE.sub(lambda m: mapping.setdefault(m[0], str(uuid.uuid4())), text)
    return json.loads(fresh)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="dirimport_"))
    sqlite_path = workdir / "bench.sqlite3" if ENGINE == "sqlite" else None
    if sqlite_path is None:
        admin(f'CREATE DATABASE "{DB}"')
    try:
        setup_django(sqlite_path)
        from django.core.management import call_command
        from django.db import connection
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        from directory.models import Service, TaxonomyTerm
        from directory.services import directory_import, source_read
        from directory.services.search_document import import_indexes_refresh
        from directory.tasks import import_indexes_refresh_task

        call_command("migrate", verbosity=0)
        taxonomy = ROOT / "content" / "directory" / "taxonomy.json"
        call_command("import_directory", str(taxonomy), "--no-progress", stdout=StringIO())
        rng = random.Random(16)
        terms = [str(pk) for pk in TaxonomyTerm.objects.values_list("pk", flat=True)]
        orgs = [
            {"id": str(uuid.uuid4()), "name": f"{place} trust {n}", "description": "A provider."}
            for n, place in enumerate(PLACES * 50)
        ]
        records = [record(n, rng, terms, orgs) for n in range(SERVICES)]
        feed = workdir / "feed.json"
        feed.write_text(json.dumps(records))
        size_mb = feed.stat().st_size / 1e6
        print(f"{connection.vendor}: {SERVICES} full services, {size_mb:.1f} MB")

        # The import queues its index task on commit; record it instead of running it (as a
        # worker would run it later), then run it afterwards and time that on its own.
        queued: list[tuple[str, list[str]]] = []
        with (
            mock.patch.object(
                import_indexes_refresh_task, "delay", lambda kind, ids: queued.append((kind, ids))
            ),
            Progress("Importing", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()) as bar,
        ):
            task = bar.add_task("import", total=SERVICES)
            start = time.perf_counter()
            report = directory_import(
                batches=source_read(location=str(feed)),
                progress=lambda n: bar.advance(task, n),
            )
            imported = time.perf_counter() - start
        assert len(report.created) == SERVICES and not report.rejected, report.rejected[:5]
        assert Service.objects.count() == SERVICES
        assert sum(len(ids) for kind, ids in queued if kind == "service") == SERVICES
        rate = SERVICES / imported
        print(f"import:      {imported:6.1f} s  ({rate:5.0f} services/s)", flush=True)
        start = time.perf_counter()
        for kind, ids in queued:
            import_indexes_refresh(kind=kind, ids=ids)
        indexed = time.perf_counter() - start
        print(f"index task:  {indexed:6.1f} s  ({len(queued)} tasks, run afterwards)", flush=True)

        reimported = None
        if REIMPORT:
            start = time.perf_counter()
            with mock.patch.object(import_indexes_refresh_task, "delay", lambda kind, ids: None):
                again = directory_import(batches=source_read(location=str(feed)))
            reimported = time.perf_counter() - start
            assert len(again.unchanged) == SERVICES, (len(again.updated), again.rejected[:3])

        # Terms keep their ids: the fresh copy must point at the same categories.
        copies = with_fresh_ids([{**r, "attributes": []} for r in records])
        for copy, original in zip(copies, records, strict=True):
            copy["attributes"] = [{**a, "id": str(uuid.uuid4())} for a in original["attributes"]]
        start = time.perf_counter()
        bulk_insert(copies)
        bulk = time.perf_counter() - start
        assert Service.objects.count() == 2 * SERVICES

        if reimported is not None:
            print(f"re-import:   {reimported:6.1f} s  (all unchanged)")
        print(f"bulk insert: {bulk:6.1f} s  ({SERVICES / bulk:5.0f} services/s)")
        verdict = "meets" if imported < TARGET_SECONDS * SERVICES / 5000 else "misses"
        print(
            f"target: {SERVICES} services in under {TARGET_SECONDS * SERVICES / 5000:.0f} s: "
            f"{verdict}"
        )
        print(f"import + index task: {imported + indexed:6.1f} s")
        print(f"ratio: {imported / bulk:.1f}  (the import command's time / bulk insert)")
    finally:
        if sqlite_path is None and not os.environ.get("BENCH_KEEP"):
            from django.db import connections

            connections.close_all()
            admin(f'DROP DATABASE IF EXISTS "{DB}"')


if __name__ == "__main__":
    main()
