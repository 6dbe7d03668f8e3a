"""Services, organizations and taxonomy as ORUK 3.0 (HSDS-UK-3.0) JSON objects.

Hand-written dict builders: the ORUK shapes differ per endpoint (list vs full) and a serializer
framework would add a dependency for a few small functions. HSDS 3.0 fields the ORUK profile does
not list (language name and code, service phones, application_process, eligibility_description)
are included; ORUK's schemas allow extra properties. Confidential locations are redacted here, so
every caller (API, export, service page JSON) gets the same protection.
"""

import datetime
import uuid
from decimal import Decimal

from directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

CONFIDENTIAL_NAME = "Confidential location"
FREE_OPTION_NAMESPACE = uuid.UUID("2f1d0e57-3c8a-4b39-9a57-7a0e0f5b8c11")


def free_cost_option_id(service_id: uuid.UUID) -> uuid.UUID:
    """The fixed id of the synthetic "Free" cost option exported for free services."""
    return uuid.uuid5(FREE_OPTION_NAMESPACE, str(service_id))


def _clean(data: dict) -> dict:
    """Drop empty values: ORUK types most fields as non-null strings or numbers."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _timestamp(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(datetime.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def taxonomy_oruk(taxonomy: Taxonomy, *, with_terms: bool = False) -> dict:
    """An ORUK taxonomy."""
    data = {
        "id": str(taxonomy.pk),
        "name": taxonomy.name,
        "description": taxonomy.description,
        "uri": taxonomy.uri,
        "version": taxonomy.version,
    }
    if with_terms:
        data["taxonomy_terms"] = [taxonomy_term_oruk(term) for term in taxonomy.terms.all()]
    return _clean(data) | {"description": taxonomy.description}


def taxonomy_term_oruk(term: TaxonomyTerm) -> dict:
    """An ORUK taxonomy_term."""
    return _clean(
        {
            "id": str(term.pk),
            "name": term.name,
            "description": term.description,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy_id),
            "term": term.term,
            "term_uri": term.term_uri,
        }
    ) | {"description": term.description}


def organization_oruk(organization: Organization) -> dict:
    """An ORUK organization without its services."""
    return _clean(
        {
            "id": str(organization.pk),
            "name": organization.name,
            "description": organization.description,
            "email": organization.email,
            "website": organization.website,
            "uri": organization.uri,
            "logo": organization.logo,
            "parent_organization_id": str(organization.parent_organization_id)
            if organization.parent_organization_id
            else None,
            "organization_identifiers": [
                _clean(
                    {
                        "id": str(identifier.pk),
                        "organization_id": str(organization.pk),
                        "identifier_scheme": identifier.identifier_scheme,
                        "identifier_type": identifier.identifier_type,
                        "identifier": identifier.identifier,
                    }
                )
                for identifier in organization.identifiers.all()
            ],
        }
    ) | {"description": organization.description}


def location_oruk(location: Location) -> dict:
    """An ORUK location; a confidential one has no name, address or coordinates."""
    if location.confidential:
        return {
            "id": str(location.pk),
            "location_type": location.location_type,
            "name": CONFIDENTIAL_NAME,
            "description": "The address is confidential and is given only on referral.",
        }
    data = {
        "id": str(location.pk),
        "location_type": location.location_type,
        "name": location.name,
        "description": location.description,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "external_identifier": location.external_identifier,
        "external_identifier_type": location.external_identifier_type,
    }
    if location.address_1 or location.postal_code:
        data["addresses"] = [
            _clean(
                {
                    "id": str(location.address_id),
                    "location_id": str(location.pk),
                    "attention": location.address_attention,
                    "address_1": location.address_1,
                    "city": location.city,
                    "region": location.region,
                    "state_province": location.state_province,
                    "postal_code": location.postal_code,
                    "country": location.country,
                    "address_type": location.address_type
                    or ("physical" if location.location_type == "physical" else "postal"),
                }
            )
            # ORUK requires these keys even when unknown.
            | {
                "address_1": location.address_1,
                "city": location.city,
                "state_province": location.state_province,
                "postal_code": location.postal_code,
                "country": location.country,
            }
        ]
    if location.accessibility:
        data["accessibility"] = [
            _clean(
                {
                    "id": str(location.accessibility_id),
                    "location_id": str(location.pk),
                    "description": location.accessibility,
                    "details": location.accessibility_details,
                    "url": location.accessibility_url,
                    # The deprecated duplicate of description that ORUK 3.0 still lists.
                    "accessibility": location.accessibility,
                }
            )
        ]
    return _clean(data)


def service_at_location_oruk(link: ServiceAtLocation, *, full: bool = True) -> dict:
    """An ORUK service_at_location, with its location when ``full``."""
    data = {
        "id": str(link.pk),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
    }
    if full:
        data["location"] = location_oruk(link.location)
    return data


def service_oruk_summary(service: Service) -> dict:
    """The one-to-one fields of an ORUK service (list endpoints), with its organization."""
    return _clean(
        {
            "id": str(service.pk),
            "organization_id": str(service.organization_id) if service.organization_id else None,
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _date(service.assured_date),
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": _timestamp(service.last_modified),
            "application_process": service.how_to_refer,
            "eligibility_description": service.eligibility,
            "organization": organization_oruk(service.organization)
            if service.organization_id
            else None,
        }
    )


def service_oruk(service: Service) -> dict:
    """A fully nested ORUK service (ORUK /services/{id}, export and import round-trip)."""
    data = service_oruk_summary(service)
    service_id = str(service.pk)
    data["schedules"] = [
        _clean(
            {
                "id": str(s.pk),
                "service_id": service_id,
                "valid_from": _date(s.valid_from),
                "valid_to": _date(s.valid_to),
                "dtstart": _date(s.dtstart),
                "freq": s.freq,
                "interval": s.interval,
                "byday": s.byday,
                "bymonthday": s.bymonthday,
                "description": s.description,
                "opens_at": _time(s.opens_at),
                "closes_at": _time(s.closes_at),
                "schedule_link": s.schedule_link,
                "attending_type": s.attending_type,
                "notes": s.notes,
            }
        )
        for s in service.schedules.all()
    ]
    data["service_areas"] = [
        _clean(
            {
                "id": str(a.pk),
                "service_id": service_id,
                "name": a.name,
                "service_area": a.service_area,
                "extent": a.extent,
                "extent_type": a.extent_type,
                "uri": a.uri,
            }
        )
        for a in service.service_areas.all()
    ]
    data["service_at_locations"] = [
        service_at_location_oruk(link) for link in service.service_at_locations.all()
    ]
    data["languages"] = [
        _clean(
            {
                "id": str(lang.pk),
                "service_id": service_id,
                "name": lang.name,
                "code": lang.code,
                "note": lang.note,
            }
        )
        for lang in service.languages.all()
    ]
    data["funding"] = [
        _clean({"id": str(f.pk), "service_id": service_id, "source": f.source})
        for f in service.funding.all()
    ]
    cost_options = [
        _clean(
            {
                "id": str(c.pk),
                "service_id": service_id,
                "option": c.option,
                "amount": _number(c.amount),
                "amount_description": c.amount_description,
                "valid_from": _date(c.valid_from),
                "valid_to": _date(c.valid_to),
            }
        )
        for c in service.cost_options.all()
    ]
    if service.free and not cost_options:
        cost_options = [
            {
                "id": str(free_cost_option_id(service.pk)),
                "service_id": service_id,
                "option": "Free",
                "amount": 0,
            }
        ]
    data["cost_options"] = cost_options
    data["contacts"] = [
        _clean(
            {
                "id": str(c.pk),
                "service_id": service_id,
                "name": c.name,
                "title": c.title,
                "email": c.email,
            }
        )
        for c in service.contacts.all()
    ]
    data["phones"] = [
        _clean(
            {
                "id": str(p.pk),
                "number": p.number,
                "description": p.description,
                "languages": p.languages,
            }
        )
        for p in service.phones.all()
    ]
    data["attributes"] = [
        {
            "id": str(a.pk),
            "link_id": service_id,
            "link_type": a.link_type or "service",
            "taxonomy_term_id": str(a.taxonomy_term_id),
            "taxonomy_term": taxonomy_term_oruk(a.taxonomy_term),
        }
        for a in service.attributes.all()
    ]
    data["delivery_methods"] = [
        method
        for method, flag in (
            ("in_person", service.delivers_in_person),
            ("phone", service.delivers_by_phone),
            ("online", service.delivers_online),
        )
        if flag
    ]
    return data
