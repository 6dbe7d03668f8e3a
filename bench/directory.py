"""Benchmark the directory search (issue 5) on PostgreSQL with 10,000 generated services.

Run with ``.venv/bin/python bench/directory.py`` (``make bench`` runs every script). In one run:

1. Creates a throw-away PostgreSQL database (``BENCH_PG``, default
   postgres://postgres@127.0.0.1:5432), migrates it and loads the directory taxonomy.
2. Generates ``BENCH_SERVICES`` (10,000) services across 800 organisations with realistic names
   and descriptions, categories, languages, ages, areas, schedules and locations around Greater
   Manchester, then builds their stored search document (a weighted tsvector with a GIN index,
   which the search page queries on PostgreSQL; see directory/services/search_document.py).
3. Checks that the reference below returns exactly the page's rows and total for every request.
4. Times, interleaved: the search page ``/directory/?q=...`` through Django's full request stack
   (middleware, form, selector, template) for realistic practitioner queries, some with filters
   (language, age, free and phone, postcode within N miles, category); the selector alone; and
   the reference.
5. Reference, same run, same rows: hand-written SQL for what the page shows, with the page's
   parsed words (each with the synonyms editors keep, as ``plainto_tsquery``/``phraseto_tsquery``
   joined by ``||`` and ``&&``) on the stored search document's GIN index, the same filters and
   order, the total as ``COUNT(*) OVER ()`` and the 20 cards (organisation, languages, phone,
   distance). The previous reference (a separate narrow table of name, organisation and
   description, text queries only, no cards) is printed too, for comparison with older runs.
6. Drops the database (``BENCH_KEEP=1`` keeps it).

Prints p50/p95 for each and ends with ``ratio: <page p95 / reference p95>``; the target in the
issue is within 2x. ``selector p95 / reference p95`` shows the cost without HTTP and templates.
"""

import math
import os
import random
import statistics
import sys
import time
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SERVICES = int(os.environ.get("BENCH_SERVICES", "10000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
DB = f"dirbench_{os.getpid()}"

QUERIES = [
    "romani interpreter",
    "return home interview",
    "advocacy",
    "child exploitation",
    "mental health",
    "family time contact",
    "Gypsy Traveller",
    "counselling trauma",
    "missing from care",
    "youth club",
    "education support",
    "helpline",
    "sibling assessment",
    "parenting support Polish",
    "refugee",
]
FILTERED = [
    {"q": "advocacy", "age": "14"},
    {"q": "interpreter", "language": "rom"},
    {"q": "mental health", "postcode": "OL1 1AA", "miles": "10"},
    {"q": "exploitation", "free": "on", "delivery": "phone"},
    {"postcode": "M1 1AE", "miles": "5", "category": "missing-and-exploitation"},
]
TOPICS = [
    (
        "Romani interpreting",
        "interpreting-and-translation",
        "Interpreters and translators for Romani dialects, Slovak and Czech, "
        "with continuity of the same interpreter across agencies.",
    ),
    (
        "Return home interviews",
        "return-home-interviews",
        "Independent return home interviews within 72 hours for children who "
        "have been missing from home or care.",
    ),
    (
        "Children's advocacy",
        "advocacy-for-children-in-care",
        "Independent advocates who help children in care have their wishes "
        "heard and make complaints.",
    ),
    (
        "Exploitation outreach",
        "exploitation-and-complex-safeguarding",
        "Detached youth work and one-to-one support for young people at risk "
        "of criminal and sexual exploitation.",
    ),
    (
        "Young people's mental health",
        "mental-health",
        "Counselling and emotional wellbeing support for children and young "
        "people, with self-referral.",
    ),
    (
        "Family time centre",
        "family-time-and-contact",
        "Supervised and supported family time for children in care with "
        "parents, siblings and wider family.",
    ),
    (
        "Gypsy and Traveller liaison",
        "roma-gypsy-and-traveller-community-support",
        "Advice and advocacy for Gypsy, Roma and Traveller families on sites and in housing.",
    ),
    (
        "Trauma therapy",
        "trauma-informed-and-therapeutic-support",
        "Trauma-informed therapeutic support and counselling for children who "
        "have experienced abuse.",
    ),
    (
        "Missing children team",
        "missing-children",
        "Multi-agency team for children who go missing from home or care, with safety planning.",
    ),
    (
        "Youth club",
        "youth-services",
        "Open-access youth club with sport, music and mentoring for young people aged 11 to 19.",
    ),
    (
        "Education inclusion",
        "education-support",
        "Education support for pupils at risk of exclusion, including Gypsy, "
        "Roma and Traveller pupils.",
    ),
    (
        "Parents helpline",
        "helplines-for-adults-and-professionals",
        "Telephone advice for parents and carers worried about a child, in English and Polish.",
    ),
    (
        "Sibling assessment service",
        "sibling-and-family-assessment",
        "Assessments of sibling relationships and family networks to inform care planning.",
    ),
    (
        "New arrivals advice",
        "refugee-and-migrant-support",
        "Advice for refugee and migrant families new to the UK on schools, health and housing.",
    ),
]
PLACES = ["Oldham", "Rochdale", "Bury", "Tameside", "Manchester", "Stockport", "Salford", "Bolton"]
LANGUAGES = ["eng", "rom", "pol", "slk", "ces", "ron", "urd", "ben", "ara", "fas"]


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def p(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def generate() -> None:
    from django.core.management import call_command

    from directory.models import (
        Attribute,
        Language,
        Location,
        Organization,
        ReviewStatus,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
        TaxonomyTerm,
    )

    call_command(
        "import_directory", str(ROOT / "content" / "directory" / "taxonomy.json"), stdout=StringIO()
    )
    terms = {t.term: t for t in TaxonomyTerm.objects.all()}
    rng = random.Random(5)
    orgs = [
        Organization(
            id=uuid.uuid4(), name=f"{rng.choice(PLACES)} {word} {n}", description="A provider."
        )
        for n, word in enumerate(["Trust", "Project", "Partnership", "Charity"] * 200)
    ]
    Organization.objects.bulk_create(orgs)
    services, attributes, languages, areas, schedules, locations, links = [], [], [], [], [], [], []
    for n in range(SERVICES):
        title, term, text = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        low = rng.choice([None, 0, 5, 10, 11, 13, 16])
        service = Service(
            id=uuid.uuid4(),
            organization=rng.choice(orgs),
            name=f"{place} {title} {n}",
            description=f"{text} Serving families across {place}.",
            how_to_refer="Complete the referral form or call the duty worker.",
            review_status=ReviewStatus.PUBLISHED,
            minimum_age=low,
            maximum_age=None if low is None else rng.choice([18, 19, 25]),
            free=rng.random() < 0.8,
            delivers_in_person=rng.random() < 0.7,
            delivers_by_phone=rng.random() < 0.6,
            delivers_online=rng.random() < 0.4,
        )
        services.append(service)
        attributes.append(Attribute(id=uuid.uuid4(), service=service, taxonomy_term=terms[term]))
        for code in rng.sample(LANGUAGES, rng.randint(1, 3)):
            languages.append(Language(id=uuid.uuid4(), service=service, code=code, name=code))
        areas.append(ServiceArea(id=uuid.uuid4(), service=service, name=place))
        schedules.append(
            Schedule(
                id=uuid.uuid4(),
                service=service,
                byday="MO,TU,WE,TH,FR",
                opens_at="09:00",
                closes_at="17:00",
            )
        )
        location = Location(
            id=uuid.uuid4(),
            name=f"{place} centre {n}",
            address_1=f"{n} High Street",
            city=place,
            postal_code="OL1 1AA",
            latitude=53.48 + rng.uniform(-0.25, 0.25),
            longitude=-2.24 + rng.uniform(-0.35, 0.35),
            confidential=rng.random() < 0.02,
        )
        locations.append(location)
        links.append(ServiceAtLocation(id=uuid.uuid4(), service=service, location=location))
    Service.objects.bulk_create(services, batch_size=1000)
    for model, rows in (
        (Attribute, attributes),
        (Language, languages),
        (ServiceArea, areas),
        (Schedule, schedules),
        (Location, locations),
        (ServiceAtLocation, links),
    ):
        model.objects.bulk_create(rows, batch_size=2000)

    # bulk_create skips signals; build the stored search document as an import would.
    from directory.services.search_document import search_document_refresh

    search_document_refresh()


def build_side_table(cursor) -> None:
    """The previous reference: a separate narrow table (name, organisation, description only)."""
    cursor.execute(
        """
        CREATE TABLE bench_service_fts AS
        SELECT s.id, s.name,
               setweight(to_tsvector('english', s.name), 'A')
               || setweight(to_tsvector('english', o.name), 'B')
               || setweight(to_tsvector('english', s.description || ' ' || s.how_to_refer), 'C')
               AS document
        FROM directory_service s JOIN directory_organization o ON o.id = s.organization_id
        WHERE s.review_status = 'published';
        CREATE INDEX bench_service_fts_gin ON bench_service_fts USING GIN (document);
        """
    )


SIDE_TABLE_SQL = """
SELECT id, name, ts_rank(document, query) AS rank, count(*) OVER () AS total
FROM bench_service_fts, websearch_to_tsquery('english', %s) AS query
WHERE document @@ query
ORDER BY rank DESC, id
LIMIT 20
"""

HAVERSINE = (
    "2 * 3958.8 * asin(sqrt(power(sin((radians(loc.latitude) - %(lat0)s) / 2), 2)"
    " + cos(%(lat0)s) * cos(radians(loc.latitude))"
    " * power(sin((radians(loc.longitude) - %(lng0)s) / 2), 2)))"
)
LOCATIONS = (
    "FROM directory_serviceatlocation sl JOIN directory_location loc ON loc.id = sl.location_id"
    " WHERE sl.service_id = s.id AND NOT loc.confidential"
)


# An exact name first, then a name holding the first word, then the rest (the page's order).
NAME_RANK = (
    "CASE WHEN upper(s.name) = upper(%(exact)s) THEN 2"
    " WHEN upper(s.name) LIKE upper(%(first)s) THEN 1 ELSE 0 END"
)


def reference_query(params: dict) -> tuple[str, dict]:
    """Hand-written SQL for what the page shows: the first 20 cards (in the page's order, with
    organisation, languages, first phone, demo flag, distance) and the total. One statement:
    websearch_to_tsquery on the stored document's GIN index, filters as EXISTS, the count as a
    window function, narrow rows ranked first and only the page's 20 rows widened."""
    from directory.selectors.postcodes import postcode_point
    from directory.selectors.search import bounding_box

    args: dict = {}
    conds, tables = [], ["directory_service s"]
    text = params.get("q", "")
    distance = "NULL::float"
    if text:
        # The words the page searches for: each word or "phrase" with its editors' synonyms
        # (any one of them), all required, -words excluded (directory.selectors.search_text).
        from directory.selectors.search_text import text_query_parse

        parsed = text_query_parse(text=text)
        terms = []

        def tsquery(term: str) -> str:
            args[f"t{len(terms)}"] = term
            terms.append(term)
            kind = "phraseto_tsquery" if " " in term else "plainto_tsquery"
            return f"{kind}('english', %(t{len(terms) - 1})s)"

        groups = ["(" + " || ".join(map(tsquery, alts)) + ")" for alts in parsed.required]
        groups += [f"!!{tsquery(term)}" for term in parsed.excluded]
        tables.append(f"(SELECT {' && '.join(groups)} AS query) AS parsed")
        conds.append("s.search_document @@ query")
        first = parsed.required[0][0] if parsed.required else "\x00"
        args["exact"] = parsed.text.strip('"')
        args["first"] = (
            "%" + first.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
    if "age" in params:
        args["age"] = int(params["age"])
        conds.append("(s.minimum_age IS NULL OR s.minimum_age <= %(age)s)")
        conds.append("(s.maximum_age IS NULL OR s.maximum_age >= %(age)s)")
    if "language" in params:
        args["language"] = params["language"]
        conds.append(
            "EXISTS (SELECT 1 FROM directory_language l"
            " WHERE l.service_id = s.id AND l.code = %(language)s)"
        )
    if "category" in params:
        args["category"] = params["category"]
        conds.append(
            "EXISTS (SELECT 1 FROM directory_attribute a"
            " JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id"
            " LEFT JOIN directory_taxonomyterm up ON up.id = t.parent_id"
            " WHERE a.service_id = s.id AND (t.term = %(category)s OR up.term = %(category)s))"
        )
    if params.get("free"):
        conds.append("s.free")
    if params.get("delivery") == "phone":
        conds.append("s.delivers_by_phone")
    if "postcode" in params:
        point = postcode_point(postcode=params["postcode"])
        args["lat0"], args["lng0"] = math.radians(point.latitude), math.radians(point.longitude)
        distance = f"(SELECT min({HAVERSINE}) {LOCATIONS} AND loc.latitude IS NOT NULL)"
        if "miles" in params:
            args["miles"] = float(params["miles"])
            box = bounding_box(origin=point, miles=args["miles"])
            args.update(zip(("min_lat", "max_lat", "min_lng", "max_lng"), box, strict=True))
            conds.append(
                f"EXISTS (SELECT 1 {LOCATIONS}"
                " AND loc.latitude BETWEEN %(min_lat)s AND %(max_lat)s"
                " AND loc.longitude BETWEEN %(min_lng)s AND %(max_lng)s"
                f" AND {HAVERSINE} <= %(miles)s)"
            )
    if text:
        order = "name_rank DESC, rank DESC, sort_name, id"
    elif "postcode" in params:
        order = "distance ASC NULLS LAST, sort_name, id"
    else:
        order = "sort_name, id"
    where = " AND ".join(["s.review_status = 'published'", *conds])
    sql = f"""
    WITH page AS (
        SELECT s.id, s.name AS sort_name, {distance} AS distance,
               {"ts_rank(s.search_document, query)" if text else "0"} AS rank,
               {NAME_RANK if text else "0"} AS name_rank,
               count(*) OVER () AS total
        FROM {", ".join(tables)}
        WHERE {where}
        ORDER BY {order}
        LIMIT 20
    )
    SELECT page.id, page.total, page.distance, s.name, s.description, s.status,
           s.minimum_age, s.maximum_age, o.name,
           (SELECT string_agg(l.name, ', ' ORDER BY l.sort_order)
              FROM directory_language l WHERE l.service_id = s.id),
           (SELECT p.number FROM directory_phone p WHERE p.service_id = s.id
              ORDER BY p.sort_order LIMIT 1),
           EXISTS (SELECT 1 FROM directory_attribute a
              JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id
              WHERE a.service_id = s.id AND t.term = 'demo-data')
    FROM page JOIN directory_service s ON s.id = page.id
    JOIN directory_organization o ON o.id = s.organization_id
    ORDER BY {order.replace("id", "page.id")}
    """  # noqa: S608  (bench only; every value is a bound parameter)
    return sql, args


def main() -> None:
    admin(f'CREATE DATABASE "{DB}"')
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection
        from django.http import QueryDict
        from django.test import Client

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        generate()
        print(
            f"Generated {SERVICES} services and the search index "
            f"in {time.perf_counter() - started:.0f}s"
        )
        with connection.cursor() as cursor:
            build_side_table(cursor)
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have done on a live site

        from directory.forms import DirectorySearchForm
        from directory.selectors import service_search_page

        client = Client()
        requests = [{"q": q} for q in QUERIES] + FILTERED
        references = [reference_query(params) for params in requests]

        def select(params: dict):
            form = DirectorySearchForm(QueryDict(urlencode(params)))
            assert form.is_valid(), form.errors
            return service_search_page(query=form.to_query(), number=1, per_page=20)

        # Like with like: the reference must return exactly what the page shows.
        for params, (sql, args) in zip(requests, references, strict=True):
            assert client.get("/directory/", params).status_code == 200  # warm caches
            page = select(params)
            with connection.cursor() as cursor:
                cursor.execute(sql, args)
                rows = cursor.fetchall()
            same_ids = [row[0] for row in rows] == [service.pk for service in page.object_list]
            same_total = (rows[0][1] if rows else 0) == page.paginator.count
            if not (same_ids and same_total):
                raise SystemExit(f"Reference and page differ for {params}")
        print(f"Reference returns the page's rows and total for all {len(requests)} requests")

        page_times, selector_times, sql_times, side_times = [], [], [], []
        for _ in range(REPEATS):
            for params, (sql, args) in zip(requests, references, strict=True):
                t0 = time.perf_counter()
                response = client.get("/directory/", params)
                page_times.append(time.perf_counter() - t0)
                assert response.status_code == 200 and b"found" in response.content
                t0 = time.perf_counter()
                list(select(params).object_list)
                selector_times.append(time.perf_counter() - t0)
                with connection.cursor() as cursor:
                    t0 = time.perf_counter()
                    cursor.execute(sql, args)
                    cursor.fetchall()
                    sql_times.append(time.perf_counter() - t0)
                    if "q" in params and len(params) == 1:
                        t0 = time.perf_counter()
                        cursor.execute(SIDE_TABLE_SQL, [params["q"]])
                        cursor.fetchall()
                        side_times.append(time.perf_counter() - t0)

        def show(label: str, values: list[float]) -> float:
            p50, p95 = statistics.median(values) * 1000, p(values, 95) * 1000
            print(f"{label:<62} n={len(values):>4}  p50={p50:7.2f} ms  p95={p95:7.2f} ms")
            return p95

        print(f"{len(requests)} requests ({len(QUERIES)} text, {len(FILTERED)} with filters):")
        page = show("Search page /directory/ (full request and HTML)", page_times)
        selector = show("service_search_page selector (page of 20 + total)", selector_times)
        sql = show("Hand-written SQL: same rows, filters, order and cards", sql_times)
        show("Previous reference: side table, text only, no cards", side_times)
        print(f"selector p95 / SQL p95 = {selector / sql:.2f}")
        print(f"page p95 / SQL p95 = {page / sql:.2f} (target: within 2x)")
        print(f"ratio: {page / sql:.2f}")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110  (Django may not be set up yet)
            pass
        if os.environ.get("BENCH_KEEP"):
            print(f"Kept database {DB}")
        else:
            admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
