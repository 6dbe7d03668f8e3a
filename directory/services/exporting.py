"""Export the published directory as ORUK 3.0 JSON (a list of full services) or CSV."""

import csv
import io
import json

from django.db.models import Prefetch

from config.spreadsheets import spreadsheet_safe
from directory.models import Attribute, ReviewStatus, Service, ServiceAtLocation
from directory.selectors.oruk import CONFIDENTIAL_NAME, service_oruk

CSV_COLUMNS = [
    "id",
    "name",
    "organization_id",
    "organization_name",
    "organization_description",
    "organization_website",
    "description",
    "how_to_refer",
    "eligibility",
    "url",
    "email",
    "status",
    "minimum_age",
    "maximum_age",
    "free",
    "fees",
    "delivery",
    "categories",
    "languages",
    "phones",
    "areas",
    "opening_hours",
    "location_name",
    "address_1",
    "city",
    "county",
    "postcode",
    "latitude",
    "longitude",
    "confidential",
    "accessibility",
    "assured_date",
    "assurer_email",
    "alert",
]


def _services():
    return (
        Service.objects.filter(review_status=ReviewStatus.PUBLISHED)
        .select_related("organization")
        .prefetch_related(
            "organization__identifiers",
            Prefetch("attributes", Attribute.objects.select_related("taxonomy_term__taxonomy")),
            "schedules",
            "service_areas",
            "languages",
            "cost_options",
            "contacts",
            "phones",
            "funding",
            Prefetch("service_at_locations", ServiceAtLocation.objects.select_related("location")),
        )
        .order_by("name", "pk")
    )


def directory_export_json() -> str:
    """Every published service as an ORUK JSON list; confidential addresses are redacted."""
    return json.dumps([service_oruk(service) for service in _services()], indent=2) + "\n"


def _csv_row(service: Service) -> dict:
    links = list(service.service_at_locations.all())
    location = links[0].location if links else None
    row = {
        "id": service.pk,
        "name": service.name,
        "organization_id": service.organization_id or "",
        "organization_name": service.organization.name if service.organization else "",
        "organization_description": service.organization.description
        if service.organization
        else "",
        "organization_website": service.organization.website if service.organization else "",
        "description": service.description,
        "how_to_refer": service.how_to_refer,
        "eligibility": service.eligibility,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "minimum_age": service.minimum_age if service.minimum_age is not None else "",
        "maximum_age": service.maximum_age if service.maximum_age is not None else "",
        "free": "yes" if service.free else "no",
        "fees": service.fees,
        "delivery": ";".join(
            method
            for method, flag in (
                ("in_person", service.delivers_in_person),
                ("phone", service.delivers_by_phone),
                ("online", service.delivers_online),
            )
            if flag
        ),
        "categories": ";".join(a.taxonomy_term.term for a in service.attributes.all()),
        "languages": ";".join(lang.code for lang in service.languages.all()),
        "phones": ";".join(phone.number for phone in service.phones.all()),
        "areas": ";".join(area.name for area in service.service_areas.all()),
        "opening_hours": ";".join(
            f"{s.byday} {s.opens_at:%H:%M}-{s.closes_at:%H:%M}"
            for s in service.schedules.all()
            if s.opens_at and s.closes_at
        ),
        "assured_date": service.assured_date.isoformat() if service.assured_date else "",
        "assurer_email": service.assurer_email,
        "alert": service.alert,
    }
    if location is not None and location.confidential:
        row |= {"location_name": CONFIDENTIAL_NAME, "confidential": "yes"}
    elif location is not None:
        row |= {
            "location_name": location.name,
            "address_1": location.address_1,
            "city": location.city,
            "county": location.state_province,
            "postcode": location.postal_code,
            "latitude": location.latitude if location.latitude is not None else "",
            "longitude": location.longitude if location.longitude is not None else "",
            "confidential": "no",
            "accessibility": location.accessibility,
        }
    return row


def directory_export_csv() -> str:
    """Every published service as CSV, one row per service (first location only); text that a
    spreadsheet would run as a formula is quoted with a leading apostrophe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    for service in _services():
        writer.writerow({key: spreadsheet_safe(value) for key, value in _csv_row(service).items()})
    return buffer.getvalue()
