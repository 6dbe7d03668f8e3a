"""The directory search on PostgreSQL: one hand-written, parameterised query per page of cards.

Hand-written rather than built with the ORM: building the query and the Service instances cost
about 9 ms per page against about 4 ms for the SQL itself (bench/directory.py). One statement
filters (each related-table filter an EXISTS), matches the stored search document's GIN index
with websearch_to_tsquery (see directory/services/search_document.py), ranks, orders and pages
narrow rows with the total as ``COUNT(*) OVER ()``, then widens only the page's rows into cards
(organisation, languages, first phone, demo-data flag). The SQLite search (search.py) returns
the same cards through the ORM; the PostgreSQL test run checks both give the same results.
"""

import math
import uuid
from collections.abc import Sequence

from django.db import connection
from django.urls import reverse
from django.utils.text import Truncator

from config.sql import SQL
from directory.models import (
    DEMO_DATA_TERM,
    SEARCH_CONFIG,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    ReviewStatus,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from directory.selectors.postcodes import Point
from directory.selectors.search_query import (
    DELIVERY_FIELDS,
    EARTH_RADIUS_MILES,
    SearchResults,
    ServiceCard,
    ServiceQuery,
    Sort,
    age_range,
    bounding_box,
)

SERVICES = Service._meta.db_table
ORGANIZATIONS = Organization._meta.db_table
ATTRIBUTES = Attribute._meta.db_table
TERMS = TaxonomyTerm._meta.db_table
LANGUAGES = Language._meta.db_table
AREAS = ServiceArea._meta.db_table
PHONES = Phone._meta.db_table
LINKS = ServiceAtLocation._meta.db_table
LOCATIONS = Location._meta.db_table
STATUS_LABELS = dict(ServiceStatus.choices)
# Confidential locations (refuges) never take part: a distance would reveal where they are.
_PLACES = (
    f"FROM {LINKS} sl JOIN {LOCATIONS} loc ON loc.id = sl.location_id "
    "WHERE sl.service_id = s.id AND NOT loc.confidential"
)
# Great-circle miles, the same expression as search.haversine_miles builds for the ORM.
_HAVERSINE = (
    f"2 * {EARTH_RADIUS_MILES} * asin(sqrt(power(sin((radians(loc.latitude) - %s) / 2), 2)"
    " + %s * cos(radians(loc.latitude)) * power(sin((radians(loc.longitude) - %s) / 2), 2)))"
)


def _haversine_params(origin: Point) -> list[float]:
    lat0 = math.radians(origin.latitude)
    return [lat0, math.cos(lat0), math.radians(origin.longitude)]


def _filters(query: ServiceQuery, *, open_now: tuple[str, Sequence] | None) -> SQL:
    """The WHERE clause for every filter in ``query``, as search.service_filtered has them."""
    sql = SQL()
    sql.add("s.review_status = %s", ReviewStatus.PUBLISHED.value)
    if query.categories:
        categories = list(query.categories)
        sql.add(
            f"EXISTS (SELECT 1 FROM {ATTRIBUTES} a JOIN {TERMS} t ON t.id = a.taxonomy_term_id "  # noqa: S608
            f"LEFT JOIN {TERMS} up ON up.id = t.parent_id "
            "WHERE a.service_id = s.id AND (t.term = ANY(%s) OR up.term = ANY(%s)))",
            categories,
            categories,
        )
    if query.language:
        sql.add(
            f"EXISTS (SELECT 1 FROM {LANGUAGES} l WHERE l.service_id = s.id AND l.code = %s)",  # noqa: S608
            query.language.lower(),
        )
    if query.age is not None:
        sql.add("(s.minimum_age IS NULL OR s.minimum_age <= %s)", query.age)
        sql.add("(s.maximum_age IS NULL OR s.maximum_age >= %s)", query.age)
    if query.area:
        sql.add(
            f"EXISTS (SELECT 1 FROM {AREAS} r WHERE r.service_id = s.id "  # noqa: S608
            "AND upper(r.name::text) = upper(%s))",
            query.area,
        )
    if query.delivery:
        # A KeyError for an unknown method, as the ORM filter raises: never interpolated.
        sql.add("(" + " OR ".join(f"s.{DELIVERY_FIELDS[m]}" for m in query.delivery) + ")")
    if query.free_only:
        sql.add("s.free")
    if open_now is not None:
        subquery, params = open_now
        sql.add(f"s.status <> %s AND s.id IN ({subquery})", ServiceStatus.TEMPORARILY_CLOSED.value)
        sql.params.extend(params)
    if query.near is not None and query.within_miles is not None:
        # The bounding box lets the (latitude, longitude) index find candidates; haversine
        # then keeps those truly within the distance.
        sql.add(
            f"EXISTS (SELECT 1 {_PLACES} AND loc.latitude BETWEEN %s AND %s "
            f"AND loc.longitude BETWEEN %s AND %s AND {_HAVERSINE} <= %s)",
            *bounding_box(origin=query.near, miles=query.within_miles),
            *_haversine_params(query.near),
            query.within_miles,
        )
    return sql


def _service_url(pattern: str, service_id: uuid.UUID) -> str:
    return pattern.replace(str(uuid.UUID(int=0)), str(service_id))


def _card(row: tuple, *, url_pattern: str, with_distance: bool) -> ServiceCard:
    (pk, _total, distance, name, description, status, low, high, org, languages, phone, demo) = row
    return ServiceCard(
        id=pk,
        name=name,
        url=_service_url(url_pattern, pk),
        organization_name=org,
        summary=Truncator(description).words(40, truncate=" …"),
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        ages=age_range(low, high),
        languages=tuple(languages),
        first_phone=phone,
        demo=demo,
        distance=distance if with_distance else None,
    )


class CardSearch:
    """The SQL of one search: ``load`` reads a slice of cards, ``count_all`` only counts."""

    def __init__(self, query: ServiceQuery, *, open_now: tuple[str, Sequence] | None):
        text = query.text.strip()
        sort = query.sort
        self.with_distance = query.near is not None
        if sort == Sort.DISTANCE and not self.with_distance:
            sort = Sort.RELEVANCE
        filters = _filters(query, open_now=open_now)
        self.tables, self.table_params = f"{SERVICES} s", []
        if text:
            self.tables += ", websearch_to_tsquery(%s::regconfig, %s) AS query"
            self.table_params = [SEARCH_CONFIG, text]
            filters.add("s.search_document @@ query")
        self.filters = filters
        columns, self.column_params = ["s.id", "s.name AS sort_name"], []
        if self.with_distance:
            columns.append(
                f"(SELECT min({_HAVERSINE}) {_PLACES} "
                "AND loc.latitude IS NOT NULL AND loc.longitude IS NOT NULL) AS distance"
            )
            self.column_params += _haversine_params(query.near)
        else:
            columns.append("NULL::float AS distance")
        if sort == Sort.DISTANCE:
            order = ["distance ASC NULLS LAST", "sort_name", "id"]
        elif sort == Sort.NAME or not text:
            order = ["sort_name", "id"]
        else:
            # Exact name matches first, then ts_rank (name weighs most: weight A).
            columns += [
                "upper(s.name::text) = upper(%s) AS exact",
                "ts_rank(s.search_document, query) AS rank",
            ]
            self.column_params.append(text)
            order = ["exact DESC", "rank DESC", "id"]
        self.columns = ", ".join(columns)
        self.order = order

    def load(self, start: int, stop: int | None) -> tuple[list[ServiceCard], int | None]:
        """Cards from ``start`` to ``stop`` (None: to the end) and the total, in one query."""
        page_order = ", ".join(self.order)
        outer_order = ", ".join(f"page.{term}" for term in self.order)
        sql = f"""
        WITH page AS (
            SELECT {self.columns}, count(*) OVER () AS total
            FROM {self.tables}
            WHERE {self.filters.where()}
            ORDER BY {page_order}
            LIMIT %s OFFSET %s
        )
        SELECT page.id, page.total, page.distance, s.name, s.description, s.status,
               s.minimum_age, s.maximum_age, o.name,
               ARRAY(SELECT l.name FROM {LANGUAGES} l WHERE l.service_id = s.id
                     ORDER BY l.sort_order, l.id),
               (SELECT p.number FROM {PHONES} p WHERE p.service_id = s.id
                ORDER BY p.sort_order, p.id LIMIT 1),
               EXISTS (SELECT 1 FROM {ATTRIBUTES} a JOIN {TERMS} t ON t.id = a.taxonomy_term_id
                       WHERE a.service_id = s.id AND t.term = %s)
        FROM page
        JOIN {SERVICES} s ON s.id = page.id
        LEFT JOIN {ORGANIZATIONS} o ON o.id = s.organization_id
        ORDER BY {outer_order}
        """  # noqa: S608  (table names and clauses are constants; every value is bound)
        params = [
            *self.column_params,
            *self.table_params,
            *self.filters.params,
            None if stop is None else stop - start,
            start,
            DEMO_DATA_TERM,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        url_pattern = reverse("directory:service_detail", kwargs={"service_id": uuid.UUID(int=0)})
        cards = [
            _card(row, url_pattern=url_pattern, with_distance=self.with_distance) for row in rows
        ]
        return cards, rows[0][1] if rows else None

    def count_all(self) -> int:
        """How many services match, without reading any."""
        sql = f"SELECT count(*) FROM {self.tables} WHERE {self.filters.where()}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.table_params, *self.filters.params])
            return cursor.fetchone()[0]


def service_search_sql(
    *, query: ServiceQuery, open_now: tuple[str, Sequence] | None = None
) -> SearchResults:
    """Published services for a search as cards, on PostgreSQL (see search.service_search).

    ``open_now`` is the SQL and parameters of a subquery of open services' ids (the ORM builds
    it; only asked for with the "open now" filter). Read-only; one query per page.
    """
    search = CardSearch(query, open_now=open_now)
    return SearchResults(load=search.load, count_all=search.count_all)
