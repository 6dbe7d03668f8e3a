"""The ORUK 3.0 API at /api/oruk/: thin views over selectors; errors are 400 with a JSON reason."""

import datetime
import json
import math
import uuid
from functools import lru_cache
from pathlib import Path

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET
from wagtail.search.backends import get_search_backend

from directory.models import (
    Attribute,
    Organization,
    ReviewStatus,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.selectors import PostcodeError, postcode_point
from directory.selectors.oruk import (
    organization_oruk,
    service_at_location_oruk,
    service_oruk,
    service_oruk_summary,
    taxonomy_oruk,
    taxonomy_term_oruk,
)
from directory.selectors.search import bounding_box, haversine_miles, service_text_search

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/specifications/3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
METRES_PER_MILE = 1609.344
OPENAPI_FILE = Path(__file__).parent / "oruk" / "openapi.json"


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message becomes the 400 reason."""


def _bad(reason: str) -> JsonResponse:
    return JsonResponse({"error": "bad_request", "reason": reason}, status=400)


def _bool(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name, "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise BadParameter(f"{name} must be true or false")


def _int(request: HttpRequest, name: str, default: int, *, low: int, high: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a whole number") from error
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}")
    return value


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a UUID") from error


def _datetime(request: HttpRequest, name: str) -> datetime.datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise BadParameter(f"{name} must be an ISO 8601 date or datetime")
        value = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _format(request: HttpRequest) -> str:
    value = request.GET.get("format", "json").strip().lower() or "json"
    if value not in ("json", "ndjson"):
        raise BadParameter("format must be json or ndjson")
    return value


def _paginated(request: HttpRequest, items, serialize) -> JsonResponse | StreamingHttpResponse:
    """The ORUK page object, or every item as NDJSON when format=ndjson."""
    if _format(request) == "ndjson":
        rows = (json.dumps(serialize(item)) + "\n" for item in items)
        return StreamingHttpResponse(rows, content_type="application/x-ndjson")
    page = _int(request, "page", 1, low=1, high=10**6)
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE)
    total = items.count()
    total_pages = max(math.ceil(total / per_page), 1)
    start = (page - 1) * per_page
    contents = (
        [serialize(item) for item in items[start : start + per_page]] if start < total else []
    )
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _api(view):
    """Turn BadParameter into a 400 and Http404 into a 404, each with a JSON reason; GET only."""

    @require_GET
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return _bad(str(error))
        except Http404:
            return JsonResponse({"error": "not_found", "reason": "No such record"}, status=404)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _published_services() -> QuerySet[Service]:
    return Service.objects.filter(review_status=ReviewStatus.PUBLISHED).select_related(
        "organization"
    )


def _full_prefetch(services: QuerySet[Service]) -> QuerySet[Service]:
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


def _filter_services(request: HttpRequest, services: QuerySet[Service]):
    term_id = _uuid(request, "taxonomy_term_id")
    if term_id:
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term_id=term_id))
        )
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id:
        services = services.filter(
            Exists(
                Attribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term__taxonomy_id=taxonomy_id
                )
            )
        )
    organization_id = _uuid(request, "organization_id")
    if organization_id:
        services = services.filter(organization_id=organization_id)
    modified_after = _datetime(request, "modified_after")
    if modified_after:
        services = services.filter(last_modified__gte=modified_after)
    return services


def _search(request: HttpRequest, queryset: QuerySet, *, order_by: str = "name"):
    """Wagtail full-text search over the filtered rows, or all of them by name."""
    text = request.GET.get("search", "").strip()
    if not text:
        return queryset.order_by(order_by, "pk")
    if len(text) > 200:
        raise BadParameter("search must be at most 200 characters")
    # Filters go in as one pk__in subquery, which Wagtail's database backends pass through.
    searchable = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    searchable.query.select_related = queryset.query.select_related
    searchable._prefetch_related_lookups = queryset._prefetch_related_lookups
    if queryset.model is Service:
        return service_text_search(searchable, text=text, by_relevance=True)
    return get_search_backend().search(text, searchable, operator="and")


@_api
def api_root(request: HttpRequest) -> JsonResponse:
    """ORUK API details."""
    return JsonResponse(
        {
            "version": VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
        }
    )


@lru_cache(maxsize=1)
def _openapi_document() -> dict:
    document = json.loads(OPENAPI_FILE.read_text())
    # The published file mixes in OpenAPI 3.1 and non-standard keys; drop them (see SOURCE.md).
    document["info"].pop("summary", None)
    document["info"]["contact"] = {"name": "Service directory editors"}
    for path_item in document["paths"].values():
        for parameter in path_item.get("parameters", []):
            parameter.pop("summary", None)
        for operation in path_item.values():
            if isinstance(operation, dict):
                operation.pop("name", None)
    return document


@_api
def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI description of this API (ORUK 3.0 with our server URL)."""
    document = dict(_openapi_document())
    document["servers"] = [{"url": request.build_absolute_uri(reverse("oruk:root")).rstrip("/")}]
    return JsonResponse(document)


@_api
def service_list(request: HttpRequest):
    """ORUK /services: paginated; minimal, full, search and filters."""
    minimal, full = _bool(request, "minimal"), _bool(request, "full")
    services = _filter_services(request, _published_services())
    if full:
        services = _full_prefetch(services)
    services = _search(request, services)
    if minimal:
        return _paginated(
            request,
            services,
            lambda s: {
                "id": str(s.pk),
                "name": s.name,
                "status": s.status,
                "last_modified": service_oruk_summary(s)["last_modified"],
            },
        )
    return _paginated(request, services, service_oruk if full else service_oruk_summary)


def _get_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404("Not a valid id") from error


@_api
def service_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /services/{id}: a fully nested service."""
    service = get_object_or_404(_full_prefetch(_published_services()), pk=_get_uuid(pk))
    return JsonResponse(service_oruk(service))


@_api
def taxonomy_list(request: HttpRequest):
    """ORUK /taxonomies."""
    return _paginated(request, _search(request, Taxonomy.objects.all()), taxonomy_oruk)


@_api
def taxonomy_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /taxonomies/{id}, with its terms."""
    taxonomy = get_object_or_404(Taxonomy, pk=_get_uuid(pk))
    return JsonResponse(taxonomy_oruk(taxonomy, with_terms=True))


@_api
def taxonomy_term_list(request: HttpRequest):
    """ORUK /taxonomy_terms: taxonomy_id, parent_id and top_only filters."""
    terms = TaxonomyTerm.objects.select_related("taxonomy")
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    parent_id = _uuid(request, "parent_id")
    if parent_id:
        terms = terms.filter(parent_id=parent_id)
    if _bool(request, "top_only"):
        terms = terms.filter(parent__isnull=True)
    return _paginated(request, _search(request, terms), taxonomy_term_oruk)


@_api
def taxonomy_term_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /taxonomy_terms/{id}."""
    term = get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy"), pk=_get_uuid(pk))
    return JsonResponse(taxonomy_term_oruk(term))


def _organization_with_services(organization: Organization, *, full_service: bool) -> dict:
    services = organization.services.filter(review_status=ReviewStatus.PUBLISHED).order_by("name")
    if full_service:
        contents = [
            service_oruk(s) for s in _full_prefetch(services.select_related("organization"))
        ]
    else:
        contents = [{"id": str(s.pk), "name": s.name, "status": s.status} for s in services]
    return organization_oruk(organization) | {"services": contents}


@_api
def organization_list(request: HttpRequest):
    """ORUK /organizations: organizations with at least one published service."""
    full, full_service = _bool(request, "full"), _bool(request, "full_service")
    organizations = Organization.objects.filter(
        Exists(_published_services().filter(organization=OuterRef("pk")))
    )
    if full or full_service:
        return _paginated(
            request,
            _search(request, organizations),
            lambda o: _organization_with_services(o, full_service=full_service),
        )
    return _paginated(request, _search(request, organizations), organization_oruk)


@_api
def organization_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /organizations/{id}, with its services (ids and names, or full with full_service)."""
    organization = get_object_or_404(Organization, pk=_get_uuid(pk))
    return JsonResponse(
        _organization_with_services(organization, full_service=_bool(request, "full_service"))
    )


@_api
def service_at_location_list(request: HttpRequest):
    """ORUK /service_at_locations: filters, and ``postcode`` with ``proximity`` in metres."""
    full = _bool(request, "full")
    services = _filter_services(request, _published_services())
    text = request.GET.get("search", "").strip()
    if text:
        services = Service.objects.filter(pk__in=[s.pk for s in _search(request, services)])
    links = ServiceAtLocation.objects.filter(service__in=services.values("pk")).select_related(
        "location"
    )
    postcode = request.GET.get("postcode", "").strip()
    proximity = request.GET.get("proximity", "").strip()
    if proximity and not postcode:
        raise BadParameter("proximity needs a postcode")
    if postcode:
        try:
            origin = postcode_point(postcode=postcode)
        except PostcodeError as error:
            raise BadParameter(f"postcode: {error}") from error
        # Confidential locations never take part in proximity searches.
        links = links.filter(location__confidential=False, location__latitude__isnull=False)
        links = links.annotate(
            miles=haversine_miles(
                lat_field="location__latitude", lng_field="location__longitude", origin=origin
            )
        )
        if proximity:
            try:
                metres = float(proximity)
            except ValueError as error:
                raise BadParameter("proximity must be a number of metres") from error
            if not 0 < metres <= 1_000_000:
                raise BadParameter("proximity must be between 1 and 1000000 metres")
            miles = metres / METRES_PER_MILE
            min_lat, max_lat, min_lng, max_lng = bounding_box(origin=origin, miles=miles)
            links = links.filter(
                location__latitude__range=(min_lat, max_lat),
                location__longitude__range=(min_lng, max_lng),
                miles__lte=miles,
            )
        links = links.order_by("miles", "pk")
    else:
        links = links.order_by("service__name", "pk")
    return _paginated(request, links, lambda link: service_at_location_oruk(link, full=full))


@_api
def service_at_location_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /service_at_locations/{id}, with its location."""
    link = get_object_or_404(
        ServiceAtLocation.objects.select_related("location").filter(
            service__review_status=ReviewStatus.PUBLISHED
        ),
        pk=_get_uuid(pk),
    )
    return JsonResponse(service_at_location_oruk(link, full=True))
