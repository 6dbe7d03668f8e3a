"""The ORUK 3.0 API: every endpoint validates against the ORUK schemas; pagination; bad input."""

import datetime
import json

import pytest
from django.utils import timezone

from directory.models import ReviewStatus
from tests.directory.conftest import assert_oruk
from tests.directory.factories import (
    LocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/oruk"
MANCHESTER = {"latitude": 53.483487, "longitude": -2.231182}


@pytest.fixture
def directory():
    parent = TaxonomyTermFactory(term="missing-and-exploitation", name="Missing and exploitation")
    child = TaxonomyTermFactory(
        term="return-home-interviews", parent=parent, taxonomy=parent.taxonomy
    )
    rhi = ServiceFactory(
        name="Return home interviews",
        url="https://example.org/rhi",
        email="rhi@example.org",
        minimum_age=0,
        maximum_age=18,
        categories=[child, parent],
        languages=["rom", "eng"],
        location=LocationFactory(accessibility="Step-free entrance"),
        schedules=[
            {"byday": "MO,TU", "opens_at": datetime.time(9), "closes_at": datetime.time(17)}
        ],
        areas=["Oldham"],
        phones=["0161 496 0000"],
    )
    refuge = ServiceFactory(
        name="Safe house",
        location=LocationFactory(
            name="Secret refuge",
            address_1="7 Hidden Road",
            postal_code="OL1 1AD",
            confidential=True,
        ),
    )
    ServiceFactory(name="Draft service", review_status=ReviewStatus.DRAFT)
    return {"rhi": rhi, "refuge": refuge, "parent": parent, "child": child}


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_root_gives_api_details_with_version(client, directory):
    data = get_json(client, f"{API}/")
    assert data["version"] == "HSDS-UK-3.0"
    assert data["openapi_url"].endswith("/api/oruk/openapi.json")
    assert_oruk(data, "api_details")


def test_openapi_document_is_served_with_our_server(client):
    data = get_json(client, f"{API}/openapi.json")
    assert data["openapi"].startswith("3.0")
    assert "/services" in data["paths"]
    assert data["servers"][0]["url"].endswith("/api/oruk")
    assert "summary" not in data["info"]


def test_services_list_validates_and_lists_only_published(client, directory):
    data = get_json(client, f"{API}/services")
    assert_oruk(data, "service_list")
    assert {item["name"] for item in data["contents"]} == {"Return home interviews", "Safe house"}


def test_services_full_list_validates(client, directory):
    data = get_json(client, f"{API}/services?full=true")
    assert_oruk(data, "service_list")
    for item in data["contents"]:
        assert_oruk(item, "service")


def test_services_minimal_list_validates(client, directory):
    data = get_json(client, f"{API}/services?minimal=true")
    assert_oruk(data, "service_list")
    assert set(data["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_service_detail_is_fully_nested_and_valid(client, directory):
    data = get_json(client, f"{API}/services/{directory['rhi'].pk}")
    assert_oruk(data, "service")
    assert {lang["code"] for lang in data["languages"]} == {"rom", "eng"}
    assert data["schedules"][0]["byday"] == "MO,TU"
    location = data["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "OL1 1AA"
    assert {a["taxonomy_term_id"] for a in data["attributes"]} == {
        str(directory["child"].pk),
        str(directory["parent"].pk),
    }


def test_service_detail_404_for_draft_unknown_and_malformed(client, directory):
    draft = ServiceFactory(review_status=ReviewStatus.DRAFT)
    assert client.get(f"{API}/services/{draft.pk}").status_code == 404
    assert client.get(f"{API}/services/00000000-0000-0000-0000-000000000000").status_code == 404
    response = client.get(f"{API}/services/not-a-uuid")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_confidential_address_never_appears_in_any_api_response(client, directory):
    refuge = directory["refuge"]
    link = refuge.service_at_locations.get()
    urls = [
        f"{API}/services/{refuge.pk}",
        f"{API}/services?full=true",
        f"{API}/services?format=ndjson&full=true",
        f"{API}/service_at_locations?full=true",
        f"{API}/service_at_locations/{link.pk}",
        f"{API}/service_at_locations?postcode=OL1+1AA&proximity=50000&full=true",
        f"{API}/organizations/{refuge.organization_id}?full_service=true",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode()
        assert "Hidden Road" not in body, url
        assert "OL1 1AD" not in body, url
        assert "Secret refuge" not in body, url
    data = get_json(client, f"{API}/service_at_locations/{link.pk}")
    assert_oruk(data, "service_at_location")
    assert "latitude" not in data["location"]


def test_taxonomy_endpoints_validate(client, directory):
    taxonomy_id = directory["parent"].taxonomy_id
    assert_oruk(get_json(client, f"{API}/taxonomies"), "taxonomy_list")
    detail = get_json(client, f"{API}/taxonomies/{taxonomy_id}")
    assert_oruk(detail, "taxonomy")
    assert len(detail["taxonomy_terms"]) == 2
    terms = get_json(client, f"{API}/taxonomy_terms")
    assert_oruk(terms, "taxonomy_term_list")
    term = get_json(client, f"{API}/taxonomy_terms/{directory['child'].pk}")
    assert_oruk(term, "taxonomy_term")
    assert term["parent_id"] == str(directory["parent"].pk)
    top = get_json(client, f"{API}/taxonomy_terms?top_only=true")
    assert [t["term"] for t in top["contents"]] == ["missing-and-exploitation"]
    children = get_json(client, f"{API}/taxonomy_terms?parent_id={directory['parent'].pk}")
    assert [t["term"] for t in children["contents"]] == ["return-home-interviews"]


def test_organization_endpoints_validate(client, directory):
    data = get_json(client, f"{API}/organizations")
    assert_oruk(data, "organization_list")
    assert data["total_items"] == 2  # the draft service's organisation is not listed
    org_id = directory["rhi"].organization_id
    detail = get_json(client, f"{API}/organizations/{org_id}")
    assert_oruk(detail, "organization")
    assert detail["services"] == [
        {"id": str(directory["rhi"].pk), "name": "Return home interviews", "status": "active"}
    ]
    full = get_json(client, f"{API}/organizations/{org_id}?full_service=true")
    assert_oruk(full["services"][0], "service")


def test_service_at_locations_validate_and_filter_by_proximity(client, directory):
    ServiceFactory(name="Manchester", location=LocationFactory(**MANCHESTER))
    everything = get_json(client, f"{API}/service_at_locations")
    assert_oruk(everything, "service_at_location_list")
    assert everything["total_items"] == 3
    near = get_json(
        client, f"{API}/service_at_locations?postcode=OL1%201AA&proximity=2000&full=true"
    )
    assert_oruk(near, "service_at_location_list")
    assert [i["service_id"] for i in near["contents"]] == [str(directory["rhi"].pk)]
    wider = get_json(client, f"{API}/service_at_locations?postcode=OL11AA&proximity=15000")
    assert wider["total_items"] == 2  # Oldham then Manchester; the refuge never
    link = directory["rhi"].service_at_locations.get()
    assert_oruk(get_json(client, f"{API}/service_at_locations/{link.pk}"), "service_at_location")


def test_filters_by_taxonomy_term_taxonomy_organization_and_modified_after(client, directory):
    rhi = directory["rhi"]
    by_term = get_json(client, f"{API}/services?taxonomy_term_id={directory['child'].pk}")
    assert [s["id"] for s in by_term["contents"]] == [str(rhi.pk)]
    by_taxonomy = get_json(client, f"{API}/services?taxonomy_id={directory['child'].taxonomy_id}")
    assert [s["id"] for s in by_taxonomy["contents"]] == [str(rhi.pk)]
    by_org = get_json(client, f"{API}/services?organization_id={rhi.organization_id}")
    assert [s["id"] for s in by_org["contents"]] == [str(rhi.pk)]
    future = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    assert get_json(client, f"{API}/services?modified_after={future}")["total_items"] == 0
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert get_json(client, f"{API}/services?modified_after={past}")["total_items"] == 2


def test_search_parameter_uses_full_text_search(client, directory):
    data = get_json(client, f"{API}/services?search=interviews")
    assert [s["name"] for s in data["contents"]] == ["Return home interviews"]
    assert_oruk(data, "service_list")


@pytest.fixture
def seven_services():
    for number in range(7):
        ServiceFactory(name=f"Service {number:02d}")


@pytest.mark.parametrize(
    ("page", "size", "first", "last", "empty", "first_name"),
    [
        (1, 3, True, False, False, "Service 00"),
        (2, 3, False, False, False, "Service 03"),
        (3, 1, False, True, False, "Service 06"),
        (4, 0, False, True, True, None),
    ],
    ids=["first", "middle", "last", "beyond-last"],
)
def test_pagination_edges(client, seven_services, page, size, first, last, empty, first_name):
    data = get_json(client, f"{API}/services?per_page=3&page={page}")
    assert_oruk(data, "service_list")
    assert data["total_items"] == 7
    assert data["total_pages"] == 3
    assert data["page_number"] == page
    assert (data["size"], data["first_page"], data["last_page"], data["empty"]) == (
        size,
        first,
        last,
        empty,
    )
    assert (data["contents"][0]["name"] if data["contents"] else None) == first_name


def test_ndjson_streams_every_result_without_pagination(client, seven_services):
    response = client.get(f"{API}/services?format=ndjson&per_page=2")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 7
    for line in lines:
        assert_oruk(json.loads(line), "service")


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("page=0", "page must be between"),
        ("page=two", "page must be a whole number"),
        ("per_page=0", "per_page must be between"),
        ("per_page=10000", "per_page must be between"),
        ("full=maybe", "full must be true or false"),
        ("minimal=yes", "minimal must be true or false"),
        ("taxonomy_term_id=abc", "taxonomy_term_id must be a UUID"),
        ("taxonomy_id=abc", "taxonomy_id must be a UUID"),
        ("organization_id=abc", "organization_id must be a UUID"),
        ("modified_after=yesterday", "modified_after must be an ISO 8601"),
        ("format=xml", "format must be json or ndjson"),
    ],
)
def test_bad_parameters_get_400_with_a_json_reason(client, query, reason):
    data = get_json(client, f"{API}/services?{query}", status=400)
    assert data["error"] == "bad_request"
    assert reason in data["reason"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("proximity=1000", "proximity needs a postcode"),
        ("postcode=NOTAPOSTCODE", "postcode"),
        ("postcode=OL1%200AA", "could not find"),
        ("postcode=OL1%201AA&proximity=far", "proximity must be a number"),
        ("postcode=OL1%201AA&proximity=-5", "proximity must be between"),
    ],
)
def test_bad_location_parameters_get_400(client, query, reason):
    data = get_json(client, f"{API}/service_at_locations?{query}", status=400)
    assert reason in data["reason"]


def test_api_refuses_writes(client, directory):
    assert client.post(f"{API}/services").status_code == 405
