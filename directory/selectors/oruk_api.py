"""The ORUK API's queries (directory/api.py parses parameters, these build the querysets)."""

import datetime
import uuid

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from directory.models import (
    Attribute,
    Organization,
    ReviewStatus,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.selectors.postcodes import Point
from directory.selectors.search import bounding_box, haversine_miles
from directory.selectors.search_text import service_text_filter, text_query_parse

METRES_PER_MILE = 1609.344


def oruk_services_published() -> QuerySet[Service]:
    """Published services with their organisation."""
    return Service.objects.filter(review_status=ReviewStatus.PUBLISHED).select_related(
        "organization"
    )


def oruk_full_prefetch(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a fully nested ORUK service reads, prefetched."""
    return services.prefetch_related(
        Prefetch("attributes", Attribute.objects.select_related("taxonomy_term__taxonomy")),
        "schedules",
        "service_areas",
        "languages",
        "cost_options",
        "contacts",
        "phones",
        "funding",
        "organization__identifiers",
        Prefetch("service_at_locations", ServiceAtLocation.objects.select_related("location")),
    )


def _text(queryset: QuerySet, *, search: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows whose ``fields`` hold every word and phrase of ``search`` and none of its -words."""
    query = text_query_parse(text=search, synonyms=[])
    for alternatives in query.required:
        either = Q()
        for term in alternatives:
            for name in fields:
                either |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(either)
    for term in query.excluded:
        for name in fields:
            queryset = queryset.exclude(**{f"{name}__icontains": term})
    return queryset


def oruk_services(
    *,
    search: str = "",
    taxonomy_id: uuid.UUID | None = None,
    taxonomy_term_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime.datetime | None = None,
    full: bool = False,
) -> QuerySet[Service]:
    """Published services for ORUK /services: filters, then the directory's text search
    (best match first), else by name."""
    services = oruk_services_published()
    if taxonomy_term_id:
        services = services.filter(
            Exists(
                Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term_id=taxonomy_term_id)
            )
        )
    if taxonomy_id:
        services = services.filter(
            Exists(
                Attribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term__taxonomy_id=taxonomy_id
                )
            )
        )
    if organization_id:
        services = services.filter(organization_id=organization_id)
    if modified_after:
        services = services.filter(last_modified__gte=modified_after)
    if full:
        services = oruk_full_prefetch(services)
    else:
        services = services.prefetch_related("organization__identifiers")
    query = text_query_parse(text=search)
    if query:
        return service_text_filter(services, query=query).order_by(
            "-name_rank", "-text_rank", "name", "pk"
        )
    return services.order_by("name", "pk")


def oruk_taxonomies(*, search: str = "") -> QuerySet[Taxonomy]:
    """Taxonomies for ORUK /taxonomies, by name."""
    taxonomies = _text(Taxonomy.objects.all(), search=search, fields=("name", "description"))
    return taxonomies.order_by("name", "pk")


def oruk_taxonomy_terms(
    *,
    search: str = "",
    taxonomy_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    top_only: bool = False,
) -> QuerySet[TaxonomyTerm]:
    """Terms for ORUK /taxonomy_terms, by name."""
    terms = TaxonomyTerm.objects.select_related("taxonomy")
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    if parent_id:
        terms = terms.filter(parent_id=parent_id)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    terms = _text(terms, search=search, fields=("name", "description", "term"))
    return terms.order_by("name", "pk")


def oruk_organizations(*, search: str = "") -> QuerySet[Organization]:
    """Organizations with at least one published service, for ORUK /organizations, by name."""
    organizations = Organization.objects.filter(
        Exists(oruk_services_published().filter(organization=OuterRef("pk")))
    ).prefetch_related("identifiers")
    organizations = _text(organizations, search=search, fields=("name", "description"))
    return organizations.order_by("name", "pk")


def oruk_service_at_locations(
    *,
    services: QuerySet[Service],
    near: Point | None = None,
    metres: float | None = None,
) -> QuerySet[ServiceAtLocation]:
    """Links of the given services to their locations; nearest first (with ``miles``) when
    ``near``, within ``metres`` when given. Confidential locations never take part in
    proximity searches."""
    links = ServiceAtLocation.objects.filter(
        service__in=services.order_by().values("pk")
    ).select_related("location")
    if near is None:
        return links.order_by("service__name", "pk")
    links = links.filter(location__confidential=False, location__latitude__isnull=False)
    links = links.annotate(
        miles=haversine_miles(
            lat_field="location__latitude", lng_field="location__longitude", origin=near
        )
    )
    if metres:
        miles = metres / METRES_PER_MILE
        min_lat, max_lat, min_lng, max_lng = bounding_box(origin=near, miles=miles)
        links = links.filter(
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lng, max_lng),
            miles__lte=miles,
        )
    return links.order_by("miles", "pk")
