"""Import ORUK 3.0 services (and the taxonomy file) into the directory: validated, per-row atomic,
idempotent.

Each record is checked against the ORUK 3.0 JSON schema, then every model is ``full_clean``-ed
(UK postcode, phone, URL, email, ISO 639-3). A record with any error is rolled back whole and
reported by row and field; the others are imported. A record whose data is unchanged is rolled
back too, so a re-import writes nothing and ``last_modified`` keeps its meaning for harvesters.
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from wagtail.search import index

from directory.models import (
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.validators import language_name
from directory.selectors import PostcodeError, postcode_point
from directory.selectors.oruk import CONFIDENTIAL_NAME, free_cost_option_id, service_oruk
from directory.services.search_document import search_document_refresh_deferred
from directory.services.sources import SourceBatch

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "oruk" / "schema"
SCHEMA_PREFIX = "https://openreferraluk.org/specifications/3.0/schema/"
DELIVERY_METHODS = ("in_person", "phone", "online")


class RowRejected(Exception):
    """Raised inside a row's savepoint to roll it back; carries (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class RowError:
    source: str
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}, {self.row}, {self.field or 'record'}: {self.message}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    terms: int = 0
    dry_run: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({(error.source, error.row) for error in self.rejected})


@lru_cache(maxsize=8)
def oruk_validator(name: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for an ORUK 3.0 schema, resolving $refs to the local copies."""

    def retrieve(uri: str) -> Resource:
        if not uri.startswith(SCHEMA_PREFIX):
            raise LookupError(uri)
        contents = json.loads((SCHEMA_DIR / uri.removeprefix(SCHEMA_PREFIX)).read_text())
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text())
    return Draft202012Validator(
        schema, registry=Registry(retrieve=retrieve), format_checker=FormatChecker()
    )


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_errors(record: dict) -> list[tuple[str, str]]:
    errors = sorted(oruk_validator("service").iter_errors(record), key=lambda e: list(e.path))
    return [(_path(error.absolute_path), error.message) for error in errors]


def _clean(obj, prefix: str, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise RowRejected(
            [
                (f"{prefix}.{name}" if name != "__all__" else prefix, message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        ) from error


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise ValueError(f"“{value}” is not a date (YYYY-MM-DD)") from error


def _time(value) -> datetime.time | None:
    if not value:
        return None
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"“{value}” is not a time (HH:MM or HH:MM:SS)") from error


# Fees text that says the service costs nothing: "Free", "Free for under 18s", "No charge".
FREE_TEXT_RE = re.compile(r"^\W*(free\b|no charge|no cost|nil\b|none\b)", re.IGNORECASE)


def service_is_free(*, record: dict) -> bool:
    """The free flag of an ORUK record that does not state one (ORUK 3.0 has no such field).

    Free when a cost option is free (amount 0, or its option says "Free"); not free when it
    has other cost options; with none, free unless the (deprecated) ``fees`` text describes a
    charge: blank fees, or fees starting "Free", "No charge", "No cost", "Nil" or "None".
    """
    options = record.get("cost_options") or []
    if any(c.get("amount") == 0 or FREE_TEXT_RE.match(str(c.get("option") or "")) for c in options):
        return True
    if options:
        return False
    fees = str(record.get("fees") or "").strip()
    return not fees or bool(FREE_TEXT_RE.match(fees))


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in ("true", "yes", "1", "y")


def _owned_elsewhere(model, pk: uuid.UUID, service: Service) -> bool:
    return model.objects.filter(pk=pk).exclude(service=service).exists()


class _ServiceWriter:
    """Writes one ORUK service record; raises RowRejected with every problem found."""

    def __init__(self, record: dict, terms: dict):
        self.record = record
        self.terms = terms
        self.errors: list[tuple[str, str]] = []

    def _parse(self, field_name: str, parser, value):
        try:
            return parser(value)
        except ValueError as error:
            self.errors.append((field_name, str(error)))
            return None

    def organization(self) -> Organization:
        data = self.record.get("organization") or {}
        org_id = data.get("id") or self.record.get("organization_id")
        if not org_id:
            raise RowRejected([("organization", "Give the organization (with its id)")])
        organization = Organization.objects.filter(pk=org_id).first()
        if organization is None:
            if not data.get("name"):
                raise RowRejected([("organization", f"Unknown organization {org_id}")])
            organization = Organization(id=org_id)
        for name in ("name", "description", "email", "website", "uri", "logo"):
            if name in data:
                setattr(organization, name, data.get(name) or "")
        _clean(organization, "organization")
        organization.save()
        return organization

    def service(self, organization: Organization) -> tuple[Service, bool]:
        r = self.record
        service = Service.objects.filter(pk=r["id"]).first()
        created = service is None
        if created:
            service = Service(id=r["id"], review_status=ReviewStatus.PUBLISHED)
        service.organization = organization
        service.name = r.get("name", "")
        service.description = r.get("description", "")
        service.url = r.get("url", "")
        service.email = r.get("email", "")
        service.status = r.get("status", "active")
        service.fees = r.get("fees", "")
        service.accreditations = r.get("accreditations", "")
        service.alert = r.get("alert", "")
        service.how_to_refer = r.get("application_process", "")
        service.eligibility = r.get("eligibility_description", "")
        service.minimum_age = r.get("minimum_age")
        service.maximum_age = r.get("maximum_age")
        service.assured_date = self._parse("assured_date", _date, r.get("assured_date"))
        service.assurer_email = r.get("assurer_email", "")
        service.free = _flag(r["free"]) if "free" in r else service_is_free(record=r)
        methods = r.get("delivery_methods")
        if methods is None:
            locations = [sal.get("location", {}) for sal in r.get("service_at_locations", [])]
            methods = [
                *(
                    ["in_person"]
                    if any(loc.get("location_type") == "physical" for loc in locations)
                    else []
                ),
                *(["phone"] if r.get("phones") else []),
                *(
                    ["online"]
                    if any(loc.get("location_type") == "virtual" for loc in locations)
                    else []
                ),
            ]
        unknown = [m for m in methods if m not in DELIVERY_METHODS]
        if unknown:
            self.errors.append(
                (
                    "delivery_methods",
                    f"Unknown delivery {', '.join(unknown)}: use in_person, phone or online",
                )
            )
        service.delivers_in_person = "in_person" in methods
        service.delivers_by_phone = "phone" in methods
        service.delivers_online = "online" in methods
        _clean(service, "service", exclude=["organization"])
        service.save()
        return service, created

    def _sync(self, service, relation: str, model, items: list[dict], fill) -> None:
        keep = []
        for position, item in enumerate(items):
            prefix = f"{relation}[{position}]"
            pk = uuid.UUID(str(item["id"]))
            if _owned_elsewhere(model, pk, service):
                self.errors.append((f"{prefix}.id", f"{pk} belongs to another service"))
                continue
            obj = model.objects.filter(pk=pk).first() or model(id=pk)
            obj.service = service
            obj.sort_order = position
            try:
                fill(obj, item, prefix)
                _clean(obj, prefix, exclude=["service"])
            except RowRejected as rejected:
                self.errors.extend(rejected.errors)
                continue
            obj.save()
            keep.append(pk)
        getattr(service, relation).exclude(pk__in=keep).delete()

    def children(self, service: Service) -> None:
        r = self.record

        def attribute(obj, item, prefix):
            term = self.terms.get(str(item.get("taxonomy_term_id") or "")) or self.terms.get(
                item.get("term_code") or (item.get("taxonomy_term") or {}).get("term") or ""
            )
            if term is None:
                wanted = item.get("taxonomy_term_id") or item.get("term_code") or "(none)"
                self.errors.append((f"{prefix}.taxonomy_term_id", f"Unknown category {wanted}"))
                term = next(iter(self.terms.values()))  # keeps full_clean quiet; row is rejected
            obj.taxonomy_term = term
            obj.link_type = item.get("link_type") or "service"

        def language(obj, item, prefix):
            obj.code = str(item.get("code") or "").lower()
            obj.name = item.get("name") or language_name(obj.code)
            obj.note = item.get("note", "")

        def area(obj, item, prefix):
            obj.name = item.get("name") or item.get("service_area") or ""
            obj.service_area = item.get("service_area", "")
            obj.extent = item.get("extent", "")
            obj.extent_type = item.get("extent_type", "")
            obj.uri = item.get("uri", "")

        def phone(obj, item, prefix):
            obj.number = item.get("number", "")
            obj.description = item.get("description", "")

        def contact(obj, item, prefix):
            obj.name = item.get("name", "")
            obj.title = item.get("title", "")
            obj.email = item.get("email", "")

        def schedule(obj, item, prefix):
            obj.freq = item.get("freq") or "WEEKLY"
            obj.interval = int(item.get("interval") or 1)
            obj.byday = (item.get("byday") or "").upper()
            obj.opens_at = self._parse(f"{prefix}.opens_at", _time, item.get("opens_at"))
            obj.closes_at = self._parse(f"{prefix}.closes_at", _time, item.get("closes_at"))
            obj.valid_from = self._parse(f"{prefix}.valid_from", _date, item.get("valid_from"))
            obj.valid_to = self._parse(f"{prefix}.valid_to", _date, item.get("valid_to"))
            obj.dtstart = self._parse(f"{prefix}.dtstart", _date, item.get("dtstart"))
            obj.description = item.get("description", "")
            obj.attending_type = item.get("attending_type", "")
            obj.notes = item.get("notes", "")

        def cost(obj, item, prefix):
            obj.option = item.get("option", "")
            obj.amount = item.get("amount")
            obj.amount_description = item.get("amount_description", "")
            obj.valid_from = self._parse(f"{prefix}.valid_from", _date, item.get("valid_from"))
            obj.valid_to = self._parse(f"{prefix}.valid_to", _date, item.get("valid_to"))

        def service_at_location(obj, item, prefix):
            obj.location = self.location(item.get("location") or {}, f"{prefix}.location")

        free_id = str(free_cost_option_id(service.pk))
        self._sync(service, "attributes", Attribute, r.get("attributes", []), attribute)
        self._sync(service, "languages", Language, r.get("languages", []), language)
        self._sync(service, "service_areas", ServiceArea, r.get("service_areas", []), area)
        self._sync(service, "phones", Phone, r.get("phones", []), phone)
        self._sync(service, "contacts", Contact, r.get("contacts", []), contact)
        self._sync(service, "schedules", Schedule, r.get("schedules", []), schedule)
        costs = [c for c in r.get("cost_options", []) if str(c.get("id")) != free_id]
        self._sync(service, "cost_options", CostOption, costs, cost)
        sals = [s for s in r.get("service_at_locations", []) if s.get("location")]
        self._sync(service, "service_at_locations", ServiceAtLocation, sals, service_at_location)

    def location(self, data: dict, prefix: str) -> Location:
        pk = data.get("id") or uuid.uuid4()
        location = Location.objects.filter(pk=pk).first()
        address = (data.get("addresses") or [{}])[0]
        redacted = data.get("name") == CONFIDENTIAL_NAME and not data.get("addresses")
        if location is not None and location.confidential and redacted:
            return location  # our own redacted export: keep the address we hold
        location = location or Location(id=pk)
        location.location_type = data.get("location_type") or "physical"
        location.name = data.get("name", "")
        location.description = data.get("description", "")
        location.confidential = _flag(data.get("confidential", False))
        location.address_1 = address.get("address_1", "")
        location.city = address.get("city", "")
        location.region = address.get("region", "")
        location.state_province = address.get("state_province", "")
        location.postal_code = address.get("postal_code", "")
        location.country = (address.get("country") or "GB")[:2].upper()
        if address.get("id"):
            location.address_id = address["id"]
        accessibility = (data.get("accessibility") or [{}])[0]
        location.accessibility = accessibility.get("description") or data.get(
            "accessibility_text", ""
        )
        if accessibility.get("id"):
            location.accessibility_id = accessibility["id"]
        location.latitude = data.get("latitude")
        location.longitude = data.get("longitude")
        location.external_identifier = data.get("external_identifier", "")
        location.external_identifier_type = data.get("external_identifier_type", "")
        _clean(location, prefix)
        if location.postal_code and (location.latitude is None or location.longitude is None):
            try:
                point = postcode_point(postcode=location.postal_code)
            except PostcodeError as error:
                raise RowRejected([(f"{prefix}.addresses[0].postal_code", str(error))]) from error
            location.latitude, location.longitude = point.latitude, point.longitude
        location.save()
        return location

    def write(self) -> tuple[Service, bool]:
        organization = self.organization()
        service, created = self.service(organization)
        self.children(service)
        if self.errors:
            raise RowRejected(self.errors)
        return service, created


def _fingerprint(service_id) -> str | None:
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        return None
    data = service_oruk(service)
    data.pop("last_modified", None)
    return json.dumps(data, sort_keys=True, default=str)


def _import_taxonomy(batch: SourceBatch, report: ImportReport) -> None:
    data = batch.records[0]
    info = data["taxonomy"]
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=info["id"],
        defaults={
            "name": info["name"],
            "description": info.get("description", ""),
            "uri": info.get("uri", ""),
            "version": info.get("version", ""),
        },
    )
    # Parents before children, so each parent exists when its children are saved.
    terms = sorted(data["terms"], key=lambda t: t.get("parent_id") is not None)
    for position, term in enumerate(terms, start=1):
        problems = list(oruk_validator("taxonomy_term").iter_errors(term))
        if problems:
            for problem in problems:
                report.rejected.append(
                    RowError(
                        batch.name,
                        f"term {position}",
                        _path(problem.absolute_path),
                        problem.message,
                    )
                )
            continue
        TaxonomyTerm.objects.update_or_create(
            id=term["id"],
            defaults={
                "taxonomy": taxonomy,
                "parent_id": term.get("parent_id"),
                "name": term["name"],
                "description": term.get("description", ""),
                "term": term["term"],
                "term_uri": term.get("term_uri", ""),
            },
        )
        report.terms += 1


def directory_import(*, batches: list[SourceBatch], dry_run: bool = False) -> ImportReport:
    """Import batches (from ``source_read``); rolls back everything when ``dry_run``.

    Idempotent: the same input twice creates nothing new and reports rows as unchanged.
    Never raises for bad rows; they are listed in ``report.rejected`` by row and field.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        for batch in (b for b in batches if b.kind == "taxonomy"):
            _import_taxonomy(batch, report)
        terms = {}
        for term in TaxonomyTerm.objects.all():
            terms[str(term.pk)] = term
            terms[term.term] = term
        for batch in (b for b in batches if b.kind == "services"):
            for record, label in zip(batch.records, batch.labels, strict=True):
                _import_row(record, label, batch.name, terms, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_row(record: dict, label: str, source: str, terms: dict, report: ImportReport) -> None:
    schema_errors = _schema_errors(record)
    if schema_errors:
        report.rejected.extend(RowError(source, label, f, m) for f, m in schema_errors)
        return
    if not terms:
        report.rejected.append(RowError(source, label, "attributes", "Import the taxonomy first"))
        return
    before = _fingerprint(record["id"])
    try:
        # One search-document refresh for the service and all its children, after the row.
        with search_document_refresh_deferred(), transaction.atomic():
            service, created = _ServiceWriter(record, terms).write()
            after = _fingerprint(service.pk)
            if before == after:
                raise _Unchanged
    except _Unchanged:
        report.unchanged.append(str(record["id"]))
        return
    except RowRejected as rejected:
        report.rejected.extend(RowError(source, label, f, m) for f, m in rejected.errors)
        return
    index.insert_or_update_object(service)
    (report.created if created else report.updated).append(str(service.pk))


class _Unchanged(Exception):
    """Rolls back a row whose data did not change."""
