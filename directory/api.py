"""The ORUK 3.0 API at /api/oruk/: thin views; parameters are parsed by forms (directory/forms.py),
queries built by selectors (directory/selectors/oruk_api.py); errors are 400 with a JSON reason."""

import json
import math
import uuid
from functools import lru_cache
from pathlib import Path

from django.http import Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from directory.forms import (
    OrganizationListParams,
    OrukListParams,
    ServiceAtLocationListParams,
    ServiceListParams,
    TaxonomyTermListParams,
)
from directory.models import Organization, ReviewStatus, ServiceAtLocation, Taxonomy, TaxonomyTerm
from directory.selectors import PostcodeError, postcode_point
from directory.selectors.oruk import (
    organization_oruk,
    service_at_location_oruk,
    service_oruk,
    service_oruk_summary,
    taxonomy_oruk,
    taxonomy_term_oruk,
)
from directory.selectors.oruk_api import (
    oruk_full_prefetch,
    oruk_organizations,
    oruk_service_at_locations,
    oruk_services,
    oruk_services_published,
    oruk_taxonomies,
    oruk_taxonomy_terms,
)

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/specifications/3.0"
DEFAULT_PER_PAGE = 50
OPENAPI_FILE = Path(__file__).parent / "oruk" / "openapi.json"


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message becomes the 400 reason."""


def _bad(reason: str) -> JsonResponse:
    return JsonResponse({"error": "bad_request", "reason": reason}, status=400)


def _params(form_class: type[OrukListParams], request: HttpRequest) -> dict:
    """The cleaned parameters, or BadParameter naming the first problem."""
    form = form_class(request.GET)
    if not form.is_valid():
        raise BadParameter(form.reason())
    return form.cleaned_data


def _paginated(params: dict, items, serialize) -> JsonResponse | StreamingHttpResponse:
    """The ORUK page object, or every item as NDJSON when format=ndjson."""
    if params.get("format") == "ndjson":
        rows = (json.dumps(serialize(item)) + "\n" for item in items)
        return StreamingHttpResponse(rows, content_type="application/x-ndjson")
    page = params.get("page") or 1
    per_page = params.get("per_page") or DEFAULT_PER_PAGE
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
    params = _params(ServiceListParams, request)
    services = oruk_services(
        search=params["search"],
        taxonomy_id=params["taxonomy_id"],
        taxonomy_term_id=params["taxonomy_term_id"],
        organization_id=params["organization_id"],
        modified_after=params["modified_after"],
        full=params["full"],
    )
    if params["minimal"]:
        return _paginated(
            params,
            services,
            lambda s: {
                "id": str(s.pk),
                "name": s.name,
                "status": s.status,
                "last_modified": service_oruk_summary(s)["last_modified"],
            },
        )
    return _paginated(params, services, service_oruk if params["full"] else service_oruk_summary)


def _get_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404("Not a valid id") from error


@_api
def service_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /services/{id}: a fully nested service."""
    service = get_object_or_404(oruk_full_prefetch(oruk_services_published()), pk=_get_uuid(pk))
    return JsonResponse(service_oruk(service))


@_api
def taxonomy_list(request: HttpRequest):
    """ORUK /taxonomies."""
    params = _params(OrukListParams, request)
    return _paginated(params, oruk_taxonomies(search=params["search"]), taxonomy_oruk)


@_api
def taxonomy_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /taxonomies/{id}, with its terms."""
    taxonomy = get_object_or_404(Taxonomy, pk=_get_uuid(pk))
    return JsonResponse(taxonomy_oruk(taxonomy, with_terms=True))


@_api
def taxonomy_term_list(request: HttpRequest):
    """ORUK /taxonomy_terms: taxonomy_id, parent_id and top_only filters."""
    params = _params(TaxonomyTermListParams, request)
    terms = oruk_taxonomy_terms(
        search=params["search"],
        taxonomy_id=params["taxonomy_id"],
        parent_id=params["parent_id"],
        top_only=params["top_only"],
    )
    return _paginated(params, terms, taxonomy_term_oruk)


@_api
def taxonomy_term_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /taxonomy_terms/{id}."""
    term = get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy"), pk=_get_uuid(pk))
    return JsonResponse(taxonomy_term_oruk(term))


def _organization_with_services(organization: Organization, *, full_service: bool) -> dict:
    services = organization.services.filter(review_status=ReviewStatus.PUBLISHED).order_by("name")
    if full_service:
        contents = [
            service_oruk(s) for s in oruk_full_prefetch(services.select_related("organization"))
        ]
    else:
        contents = [{"id": str(s.pk), "name": s.name, "status": s.status} for s in services]
    return organization_oruk(organization) | {"services": contents}


@_api
def organization_list(request: HttpRequest):
    """ORUK /organizations: organizations with at least one published service."""
    params = _params(OrganizationListParams, request)
    organizations = oruk_organizations(search=params["search"])
    if params["full"] or params["full_service"]:
        return _paginated(
            params,
            organizations,
            lambda o: _organization_with_services(o, full_service=params["full_service"]),
        )
    return _paginated(params, organizations, organization_oruk)


@_api
def organization_detail(request: HttpRequest, pk: str) -> JsonResponse:
    """ORUK /organizations/{id}, with its services (ids and names, or full with full_service)."""
    organization = get_object_or_404(Organization, pk=_get_uuid(pk))
    params = _params(OrganizationListParams, request)
    return JsonResponse(
        _organization_with_services(organization, full_service=params["full_service"])
    )


@_api
def service_at_location_list(request: HttpRequest):
    """ORUK /service_at_locations: filters, and ``postcode`` with ``proximity`` in metres."""
    params = _params(ServiceAtLocationListParams, request)
    services = oruk_services(
        search=params["search"],
        taxonomy_id=params["taxonomy_id"],
        taxonomy_term_id=params["taxonomy_term_id"],
        organization_id=params["organization_id"],
        modified_after=params["modified_after"],
    )
    near = None
    if params["postcode"]:
        try:
            near = postcode_point(postcode=params["postcode"])
        except PostcodeError as error:
            raise BadParameter(f"postcode: {error}") from error
    links = oruk_service_at_locations(services=services, near=near, metres=params["proximity"])
    return _paginated(
        params, links, lambda link: service_at_location_oruk(link, full=params["full"])
    )


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
