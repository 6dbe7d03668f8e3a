"""Import ORUK 3.0 feeds into the directory: each record validated and saved on its own.

The rules (docs/directory.md, "Importing"):
- Absent is not empty: a field missing from a record leaves the stored value alone; only an
  explicit empty list removes a service's phones, schedules, categories and so on.
- One record, one transaction: a bad record is reported by file, row or index and field and
  rolled back whole; the others are imported; nothing raises out of ``directory_import``.
- Accept what ORUK accepts: services, organizations, service_at_locations, taxonomies and
  terms; repair safe cases with a warning (a URL without a scheme, a 2-letter language code).
- A record whose data is unchanged writes nothing, so ``last_modified`` keeps its meaning.
"""

import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.models import (
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.validators import language_code_iso639_3, language_name
from directory.selectors import PostcodeError, postcode_point
from directory.selectors.oruk import CONFIDENTIAL_NAME, free_cost_option_id
from directory.services.search_document import (
    import_indexes_refresh_on_commit,
    search_index_deferred,
)
from directory.services.sources import KINDS, BadNumber, SourceBatch

logger = logging.getLogger(__name__)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "oruk" / "schema"
SCHEMA_PREFIX = "https://openreferraluk.org/specifications/3.0/schema/"
DELIVERY_METHODS = ("in_person", "phone", "online")
# No ORUK object nests deeper than about 8 levels; deeper data is refused before validation.
MAX_DEPTH = 32
URL_KEYS = frozenset({"url", "website", "uri", "logo", "term_uri", "schedule_link"})
TAXONOMY_NAMESPACE = uuid.UUID("0c7d6d2e-5b8e-4f4b-a1c2-8f0e3d1b9a77")


class RowRejected(Exception):
    """Raised inside a record's transaction to roll it back; carries (field, message) pairs."""

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
    # Repairs made and data left out, on records that were imported.
    warnings: list[RowError] = field(default_factory=list)
    terms: int = 0
    organizations: int = 0
    dry_run: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({(error.source, error.row) for error in self.rejected})


@lru_cache(maxsize=1)
def _schema_registry() -> Registry:
    # Every local schema loaded once: a Registry is immutable, so one that retrieves $refs
    # on demand would read and parse the referenced files again for every record.
    resources = [
        (
            f"{SCHEMA_PREFIX}{path.name}",
            Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012),
        )
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources).crawl()


@lru_cache(maxsize=8)
def oruk_validator(name: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for an ORUK 3.0 schema, resolving $refs to the local copies."""
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text())
    return Draft202012Validator(schema, registry=_schema_registry(), format_checker=FormatChecker())


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_errors(record: dict, schema: str) -> list[tuple[str, str]]:
    errors = sorted(oruk_validator(schema).iter_errors(record), key=lambda e: list(e.path))
    return [(_path(error.absolute_path), error.message) for error in errors]


def _shape_errors(value, path: tuple = ()) -> list[tuple[str, str]]:
    """Numbers JSON cannot carry and nesting no ORUK object has, by field (iterative)."""
    errors = []
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if len(where) > MAX_DEPTH:
            errors.append((_path(where[:MAX_DEPTH]), f"nested more than {MAX_DEPTH} levels deep"))
        elif isinstance(item, BadNumber):
            errors.append((_path(where), f"{str(item)[:20]} is not a finite number"))
        elif isinstance(item, dict):
            stack.extend((v, (*where, k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, (*where, i)) for i, v in enumerate(item))
    return sorted(set(errors))


DOMAIN_RE = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)


def _repairs(value, path: tuple = ()) -> list[tuple[str, str]]:
    """Fix safe cases in place (URL without scheme, 2- or 3-letter ISO 639 codes); say what."""
    notes = []
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, list):
            stack.extend((v, (*where, i)) for i, v in enumerate(item))
            continue
        if not isinstance(item, dict):
            continue
        for key, child in item.items():
            here = (*where, key)
            if key in URL_KEYS and isinstance(child, str) and DOMAIN_RE.match(child.strip()):
                item[key] = f"https://{child.strip()}"
                notes.append((_path(here), f"“{child}” has no scheme: read as {item[key]}"))
            elif key == "code" and where and where[-2:-1] == ("languages",):
                code = language_code_iso639_3(str(child or ""))
                if code and code != child:
                    item[key] = code
                    notes.append((_path(here), f"“{child}” read as ISO 639-3 “{code}”"))
            elif isinstance(child, dict | list):
                stack.append((child, here))
    return sorted(notes)


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


def _age(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not float(value).is_integer():
        raise ValueError(f"{value} is not a whole number of years")
    return int(value)


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


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


# ORUK service key -> (model field, parser); only keys present in a record are written.
SERVICE_FIELDS = {
    "name": ("name", str),
    "description": ("description", str),
    "url": ("url", str),
    "email": ("email", str),
    "status": ("status", str),
    "fees": ("fees", str),
    "accreditations": ("accreditations", str),
    "alert": ("alert", str),
    "application_process": ("how_to_refer", str),
    "eligibility_description": ("eligibility", str),
    "assurer_email": ("assurer_email", str),
    "minimum_age": ("minimum_age", _age),
    "maximum_age": ("maximum_age", _age),
    "assured_date": ("assured_date", _date),
}


def _key(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


class _Known:
    """Services, organisations and locations read for a page of records in one query per
    model, instead of one query per record (the lookups were most of an import's queries).

    Holds instances as they are in the database: a record's writes update them in place, so
    the importer forgets them all when a record is rolled back (``clear``). An id not loaded
    is looked up on its own.
    """

    def __init__(self):
        self.rows: dict[type, dict[str, object]] = {}

    def load(self, model, ids) -> None:
        found = self.rows.setdefault(model, {})
        wanted = sorted({k for k in map(_key, ids) if k} - set(found))
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            for obj in model.objects.filter(pk__in=chunk):
                found[str(obj.pk)] = obj
            for key in chunk:
                found.setdefault(key, None)

    def get(self, model, pk):
        key = _key(pk)
        found = self.rows.get(model, {})
        if key in found:
            return found[key]
        return model.objects.filter(pk=pk).first()

    def put(self, obj) -> None:
        self.rows.setdefault(type(obj), {})[str(obj.pk)] = obj

    def clear(self) -> None:
        self.rows.clear()

    def preload(self, records: list) -> None:
        """Load the services, organisations and locations these records name."""
        ids: dict[type, list] = {Service: [], Organization: [], Location: []}
        for record in records:
            if not isinstance(record, dict):
                continue
            for service in (record, record.get("service"), *(record.get("services") or [])):
                if not isinstance(service, dict):
                    continue
                ids[Service].append(service.get("id"))
                organization = service.get("organization")
                if isinstance(organization, dict):
                    ids[Organization].append(organization.get("id"))
                ids[Organization].append(service.get("organization_id"))
                for link in (*(service.get("service_at_locations") or []), service):
                    if isinstance(link, dict):
                        location = link.get("location")
                        if isinstance(location, dict):
                            ids[Location].append(location.get("id"))
                        ids[Location].append(link.get("location_id"))
        for model, pks in ids.items():
            self.load(model, pks)


def _set_by_writer(model) -> list[str]:
    """A child's foreign keys that the writer sets to rows it has just read or saved (the
    service, a known term, the location): validating them would re-read each row."""
    return [
        "service",
        *{Attribute: ["taxonomy_term"], ServiceAtLocation: ["location"]}.get(model, []),
    ]


class _Writer:
    """Writes ORUK records; collects errors (raised as RowRejected) and warnings."""

    def __init__(
        self,
        terms: dict[str, TaxonomyTerm],
        known: _Known | None = None,
        pending: dict | None = None,
    ):
        self.terms = terms
        self.known = known or _Known()
        # New services' children, by model, when the importer inserts them for a page at once.
        self.pending = pending
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []
        self.changed = False
        self.new_service = False

    def _parse(self, field_name: str, parser, value):
        try:
            return parser(value)
        except (ValueError, TypeError) as error:
            self.errors.append((field_name, str(error)))
            return None

    def _put(self, obj, before: dict | None, prefix: str, exclude=None) -> None:
        """full_clean, then save only when new or changed."""
        _clean(obj, prefix, exclude=exclude)
        if before is None or before != _values(obj):
            obj.save()
            self.changed = True

    def _delete(self, queryset) -> None:
        deleted, _ = queryset.delete()
        if deleted:
            self.changed = True

    # Organizations -------------------------------------------------------------------------

    def organization(self, data: dict, prefix: str) -> Organization:
        organization = self.known.get(Organization, data["id"])
        before = _values(organization) if organization else None
        if organization is None:
            if not data.get("name"):
                raise RowRejected([(prefix, f"Unknown organization {data['id']}")])
            organization = Organization(id=data["id"])
        for name in ("name", "description", "email", "website", "uri", "logo"):
            if name in data:
                setattr(organization, name, data[name] or "")
        if "parent_organization_id" in data:
            organization.parent_organization_id = data["parent_organization_id"] or None
        self._put(organization, before, prefix)
        self.known.put(organization)
        if "organization_identifiers" in data:
            self._identifiers(organization, data["organization_identifiers"], prefix)
        return organization

    def _identifiers(self, organization: Organization, items: list, prefix: str) -> None:
        keep = [uuid.UUID(str(item["id"])) for item in items]
        self._delete(organization.identifiers.exclude(pk__in=keep))
        for position, item in enumerate(items):
            here = f"{prefix}.organization_identifiers[{position}]"
            obj = OrganizationIdentifier.objects.filter(pk=keep[position]).first()
            if obj is not None and obj.organization_id != organization.pk:
                self.errors.append((f"{here}.id", f"{obj.pk} belongs to another organization"))
                continue
            before = _values(obj) if obj else None
            obj = obj or OrganizationIdentifier(id=keep[position])
            obj.organization = organization
            obj.sort_order = position
            obj.identifier_scheme = item.get("identifier_scheme") or ""
            obj.identifier_type = item.get("identifier_type") or ""
            obj.identifier = item.get("identifier") or ""
            self._put(obj, before, here)

    # Services ------------------------------------------------------------------------------

    def service(self, record: dict) -> tuple[Service, bool]:
        """Write one service record (a full or partial ORUK service)."""
        r = record
        service = self.known.get(Service, r["id"])
        created = service is None
        before = None if created else _values(service)
        if created:
            service = Service(id=r["id"], review_status=ReviewStatus.PUBLISHED)
        if r.get("organization"):
            service.organization = self.organization(r["organization"], "organization")
        elif r.get("organization_id"):
            service.organization = self.known.get(Organization, r["organization_id"])
            if service.organization is None:
                self.errors.append(
                    ("organization_id", f"Unknown organization {r['organization_id']}")
                )
        for key, (attr, parser) in SERVICE_FIELDS.items():
            if key in r:
                value = self._parse(key, parser, r[key]) if parser is not str else r[key]
                setattr(service, attr, value if value is not None or parser is not str else "")
        if "free" in r:
            service.free = _flag(r["free"])
        elif created or "cost_options" in r:
            service.free = service_is_free(record=r)
        self._delivery(service, r, created)
        if self.errors:
            raise RowRejected(self.errors)
        self._put(service, before, "service", exclude=["organization"])
        self.known.put(service)
        self.new_service = created
        self.children(service, r)
        if self.errors:
            raise RowRejected(self.errors)
        return service, created

    def _delivery(self, service: Service, r: dict, created: bool) -> None:
        methods = r.get("delivery_methods")
        if methods is None:
            # Derived only from a whole record: a partial one leaves the stored flags alone.
            if not (created or ("phones" in r and "service_at_locations" in r)):
                return
            kinds = {
                (sal.get("location") or {}).get("location_type")
                for sal in r.get("service_at_locations") or []
            }
            methods = [
                *(["in_person"] if "physical" in kinds else []),
                *(["phone"] if r.get("phones") else []),
                *(["online"] if "virtual" in kinds else []),
            ]
        unknown = [str(m) for m in methods if m not in DELIVERY_METHODS]
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

    def _sync(self, service, relation: str, model, items, fill, key=None) -> None:
        """Make the service's ``relation`` exactly ``items``; absent (None) leaves it alone.

        Duplicates (the same id, or the same ``key`` such as a category) are dropped with a
        warning. Children no longer listed are deleted first, so a re-keyed child (the CSV's
        derived ids) never collides with the one it replaces.
        """
        if items is None:
            return
        seen_ids, seen_keys, wanted = set(), {}, []
        for position, item in enumerate(items):
            prefix = f"{relation}[{position}]"
            pk = uuid.UUID(str(item["id"]))
            natural = key(item) if key else None
            if pk in seen_ids:
                self.warnings.append((f"{prefix}.id", f"duplicate id {pk}: left out"))
                continue
            if natural is not None and natural in seen_keys:
                self.warnings.append(
                    (prefix, f"the same as {relation}[{seen_keys[natural]}]: left out")
                )
                continue
            seen_ids.add(pk)
            if natural is not None:
                seen_keys[natural] = position
            wanted.append((prefix, pk, item))
        if not wanted and self.new_service:
            return
        if self.new_service:
            self._create(service, model, wanted, fill)
            return
        self._delete(getattr(service, relation).exclude(pk__in=[pk for _, pk, _ in wanted]))
        existing = {obj.pk: obj for obj in model.objects.filter(pk__in=seen_ids)}
        for position, (prefix, pk, item) in enumerate(wanted):
            obj = existing.get(pk)
            if obj is not None and obj.service_id != service.pk:
                self.errors.append((f"{prefix}.id", f"{pk} belongs to another service"))
                continue
            before = _values(obj) if obj else None
            obj = obj or model(id=pk)
            obj.service = service
            obj.sort_order = position
            try:
                fill(obj, item, prefix)
                self._put(obj, before, prefix, exclude=_set_by_writer(model))
            except RowRejected as rejected:
                self.errors.extend(rejected.errors)

    def _create(self, service, model, wanted, fill) -> None:
        """A new service's children: validated one by one, inserted in one statement (or left
        in ``pending`` for the importer to insert with the rest of the page).

        An id already used elsewhere fails the insert, which rejects the record.
        """
        rows = []
        for position, (prefix, pk, item) in enumerate(wanted):
            obj = model(id=pk, service=service, sort_order=position)
            try:
                fill(obj, item, prefix)
                _clean(obj, prefix, exclude=_set_by_writer(model))
            except RowRejected as rejected:
                self.errors.extend(rejected.errors)
                continue
            rows.append(obj)
        if self.errors:
            return
        if self.pending is None:
            model.objects.bulk_create(rows)
        else:
            self.pending.setdefault(model, []).extend(rows)
        self.changed = True

    def children(self, service: Service, r: dict) -> None:
        free_id = str(free_cost_option_id(service.pk))
        costs = r.get("cost_options")
        if costs is not None:
            costs = [c for c in costs if str(c.get("id")) != free_id]
        sals = r.get("service_at_locations")
        if sals is not None:
            sals = [s for s in sals if s.get("location") or s.get("location_id")]
        self._sync(
            service, "attributes", Attribute, r.get("attributes"), self._attribute, self._term_key
        )
        self._sync(service, "languages", Language, r.get("languages"), self._language)
        self._sync(service, "service_areas", ServiceArea, r.get("service_areas"), self._area)
        self._sync(service, "phones", Phone, r.get("phones"), self._phone)
        self._sync(service, "contacts", Contact, r.get("contacts"), self._contact)
        self._sync(service, "schedules", Schedule, r.get("schedules"), self._schedule)
        self._sync(service, "cost_options", CostOption, costs, self._cost)
        self._sync(service, "funding", Funding, r.get("funding"), self._funding)
        self._sync(
            service,
            "service_at_locations",
            ServiceAtLocation,
            sals,
            self._service_at_location,
            lambda item: str((item.get("location") or {}).get("id") or item.get("location_id")),
        )

    # Children ------------------------------------------------------------------------------

    def _term_key(self, item: dict) -> str | None:
        term = self._term(item, "", create=False)
        return str(term.pk) if term else None

    def _term(self, item: dict, prefix: str, *, create: bool = True) -> TaxonomyTerm | None:
        embedded = item.get("taxonomy_term") or {}
        for wanted in (item.get("taxonomy_term_id"), embedded.get("id"), item.get("term_code")):
            if wanted and str(wanted) in self.terms:
                return self.terms[str(wanted)]
        if create and embedded.get("id") and embedded.get("name"):
            return self.term(embedded, f"{prefix}.taxonomy_term")
        return None

    def _attribute(self, obj, item, prefix):
        term = self._term(item, prefix)
        if term is None:
            wanted = item.get("taxonomy_term_id") or item.get("term_code") or "(none)"
            raise RowRejected([(f"{prefix}.taxonomy_term_id", f"Unknown category {wanted}")])
        obj.taxonomy_term = term
        obj.link_type = item.get("link_type") or "service"

    def _language(self, obj, item, prefix):
        obj.code = str(item.get("code") or "").lower()
        obj.name = item.get("name") or language_name(obj.code)
        obj.note = item.get("note") or ""

    def _area(self, obj, item, prefix):
        obj.name = item.get("name") or item.get("service_area") or ""
        obj.service_area = item.get("service_area") or ""
        obj.extent = item.get("extent") or ""
        obj.extent_type = item.get("extent_type") or ""
        obj.uri = item.get("uri") or ""

    def _phone(self, obj, item, prefix):
        obj.number = item.get("number") or ""
        obj.description = item.get("description") or ""
        obj.languages = item.get("languages") or []

    def _contact(self, obj, item, prefix):
        obj.name = item.get("name") or ""
        obj.title = item.get("title") or ""
        obj.email = item.get("email") or ""

    def _funding(self, obj, item, prefix):
        obj.source = item.get("source") or ""

    def _schedule(self, obj, item, prefix):
        obj.freq = item.get("freq") or "WEEKLY"
        obj.interval = self._parse(f"{prefix}.interval", _age, item.get("interval") or 1)
        obj.byday = (item.get("byday") or "").upper()
        obj.bymonthday = item.get("bymonthday") or ""
        obj.schedule_link = item.get("schedule_link") or ""
        for name, parser in (
            ("opens_at", _time),
            ("closes_at", _time),
            ("valid_from", _date),
            ("valid_to", _date),
            ("dtstart", _date),
        ):
            setattr(obj, name, self._parse(f"{prefix}.{name}", parser, item.get(name)))
        obj.description = item.get("description") or ""
        obj.attending_type = item.get("attending_type") or ""
        obj.notes = item.get("notes") or ""

    def _cost(self, obj, item, prefix):
        obj.option = item.get("option") or ""
        obj.amount = item.get("amount")
        obj.amount_description = item.get("amount_description") or ""
        obj.valid_from = self._parse(f"{prefix}.valid_from", _date, item.get("valid_from"))
        obj.valid_to = self._parse(f"{prefix}.valid_to", _date, item.get("valid_to"))

    def _service_at_location(self, obj, item, prefix):
        data = item.get("location")
        if data:
            obj.location = self.location(data, f"{prefix}.location")
            return
        location = self.known.get(Location, item["location_id"])
        if location is None:
            raise RowRejected([(f"{prefix}.location_id", "Unknown location")])
        obj.location = location

    def location(self, data: dict, prefix: str) -> Location:
        location = self.known.get(Location, data["id"])
        addresses = data.get("addresses")
        address = (addresses or [{}])[0]
        redacted = data.get("name") == CONFIDENTIAL_NAME and not (
            address.get("address_1") or address.get("postal_code")
        )
        if location is not None and location.confidential and redacted:
            return location  # our own redacted export: keep the address we hold
        before = _values(location) if location else None
        location = location or Location(id=data["id"])
        for name in (
            "location_type",
            "name",
            "description",
            "external_identifier",
            "external_identifier_type",
        ):
            if name in data:
                setattr(location, name, data[name] or "")
        location.location_type = location.location_type or "physical"
        if "confidential" in data:
            location.confidential = _flag(data["confidential"])
        for name in ("latitude", "longitude"):
            if name in data:
                setattr(location, name, data[name])
        if addresses is not None:
            if address.get("id"):
                location.address_id = address["id"]
            location.address_attention = address.get("attention") or ""
            location.address_1 = address.get("address_1") or ""
            location.city = address.get("city") or ""
            location.region = address.get("region") or ""
            location.state_province = address.get("state_province") or ""
            location.postal_code = address.get("postal_code") or ""
            location.country = (address.get("country") or "GB")[:2].upper()
            location.address_type = address.get("address_type") or ""
        if "accessibility" in data:
            accessibility = (data.get("accessibility") or [{}])[0]
            if accessibility.get("id"):
                location.accessibility_id = accessibility["id"]
            location.accessibility = (
                accessibility.get("description") or accessibility.get("accessibility") or ""
            )
            location.accessibility_details = accessibility.get("details") or ""
            location.accessibility_url = accessibility.get("url") or ""
        elif "accessibility_text" in data:  # the CSV column
            location.accessibility = data["accessibility_text"] or ""
        _clean(location, prefix)
        if (
            location.postal_code
            and location.country == "GB"
            and (location.latitude is None or location.longitude is None)
        ):
            try:
                point = postcode_point(postcode=location.postal_code)
            except PostcodeError as error:
                raise RowRejected([(f"{prefix}.addresses[0].postal_code", str(error))]) from error
            location.latitude, location.longitude = point.latitude, point.longitude
        if before is None or before != _values(location):
            location.save()
            self.changed = True
        self.known.put(location)
        return location

    # Taxonomies and terms ------------------------------------------------------------------

    def taxonomy(self, data: dict, prefix: str) -> Taxonomy:
        taxonomy = Taxonomy.objects.filter(pk=data["id"]).first()
        before = _values(taxonomy) if taxonomy else None
        taxonomy = taxonomy or Taxonomy(id=data["id"])
        for name in ("name", "description", "uri", "version"):
            if name in data:
                setattr(taxonomy, name, data[name] or "")
        self._put(taxonomy, before, prefix)
        return taxonomy

    def _taxonomy_for(self, data: dict) -> Taxonomy:
        taxonomy = None
        if data.get("taxonomy_id"):
            taxonomy = Taxonomy.objects.filter(pk=data["taxonomy_id"]).first()
        name = str(data.get("taxonomy") or "Imported categories")
        taxonomy = taxonomy or Taxonomy.objects.filter(name=name).first()
        if taxonomy is None:
            taxonomy = Taxonomy.objects.create(
                id=data.get("taxonomy_id") or uuid.uuid5(TAXONOMY_NAMESPACE, name),
                name=name,
                description="Categories that arrived with imported records.",
            )
            self.changed = True
        return taxonomy

    def term(self, data: dict, prefix: str, taxonomy: Taxonomy | None = None) -> TaxonomyTerm:
        term = TaxonomyTerm.objects.filter(pk=data["id"]).first()
        before = _values(term) if term else None
        term = term or TaxonomyTerm(id=data["id"])
        if taxonomy is not None or term.taxonomy_id is None:
            term.taxonomy = taxonomy or self._taxonomy_for(data)
        for name in ("name", "description", "term_uri"):
            if name in data:
                setattr(term, name, data[name] or "")
        if "term" in data or not term.term:
            slug = slugify(data.get("term") or term.name)[:90] or str(term.pk)[:8]
            if TaxonomyTerm.objects.filter(term=slug).exclude(pk=term.pk).exists():
                changed = f"{slug}-{str(term.pk)[:8]}"
                self.warnings.append((f"{prefix}.term", f"“{slug}” is taken: stored as {changed}"))
                slug = changed
            term.term = slug
        if "parent_id" in data:
            parent = data["parent_id"] and TaxonomyTerm.objects.filter(pk=data["parent_id"]).first()
            if data["parent_id"] and not parent:
                self.warnings.append(
                    (f"{prefix}.parent_id", f"unknown parent {data['parent_id']}: made top-level")
                )
            term.parent = parent or None
        self._put(term, before, prefix)
        self.terms[str(term.pk)] = self.terms[term.term] = term
        return term


# The records counted as created, updated or unchanged (taxonomies, terms and organizations
# have their own counts).
COUNTED = ("service", "service_at_location")
# Records whose services, organisations and locations are looked up together.
PAGE = 500


class _Unchanged(Exception):
    """Nothing was written for this record."""


def directory_import(
    *,
    batches: list[SourceBatch],
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import batches (from ``source_read``); each record in its own transaction.

    Idempotent: the same input twice writes nothing and reports records as unchanged. Never
    raises for bad records: they are listed in ``report.rejected`` by record and field.
    With ``dry_run`` everything is rolled back at the end. ``progress(n)`` is called as
    records are done.
    """
    report = ImportReport(dry_run=dry_run)
    importer = _Importer(report, progress or (lambda n: None))
    with search_index_deferred() as stale, transaction.atomic():
        for kind in KINDS:
            for batch in (b for b in batches if b.kind == kind):
                for start in range(0, len(batch.records), PAGE):
                    importer.page(
                        kind,
                        batch.records[start : start + PAGE],
                        batch.labels[start : start + PAGE],
                        batch.name,
                    )
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Wagtail's search index (the admin's search) and reference index (usage) are
            # rebuilt by a task after commit; the public search reads neither.
            import_indexes_refresh_on_commit(pending=stale)
    return report


class _Importer:
    def __init__(self, report: ImportReport, progress: Callable[[int], None]):
        self.report = report
        self.progress = progress
        self.terms = {}
        for term in TaxonomyTerm.objects.all():
            self.terms[str(term.pk)] = self.terms[term.term] = term
        self.seen: dict[tuple[str, str], str] = {}
        self.known = _Known()
        self.pending: dict | None = None

    def page(self, kind: str, records: list, labels: list, source: str) -> None:
        """Import a page of records, each in its own savepoint.

        New services' children (nine tables) are inserted for the whole page at the end, a
        statement per table instead of per service, inside a savepoint around the page. If
        that insert fails (a child id already used elsewhere), the page is rolled back and
        imported again inserting each service's children with it, so the failure is the
        offending record's alone, as the rule says.
        """
        self.known.preload(records)
        if kind != "services" or len(records) < 2:
            self._page(kind, records, labels, source)
            return
        mark = self._mark()
        self.pending = {}
        try:
            with transaction.atomic():
                self._page(kind, records, labels, source)
                for model, rows in self.pending.items():
                    model.objects.bulk_create(rows, batch_size=1000)
        except DatabaseError:
            logger.info("A page of %s could not be inserted at once: one by one", source)
            self._restore(mark)
            self.pending = None
            self.known.preload(records)
            self._page(kind, records, labels, source, count=False)
        finally:
            self.pending = None

    def _page(self, kind, records, labels, source, count=True) -> None:
        for record, label in zip(records, labels, strict=True):
            try:
                self._record(kind, record, label, source)
            finally:
                if count:
                    self.progress(1)

    def _mark(self) -> tuple:
        r = self.report
        lists = (r.created, r.updated, r.unchanged, r.rejected, r.warnings)
        return [len(x) for x in lists], r.terms, r.organizations, dict(self.seen)

    def _restore(self, mark: tuple) -> None:
        r = self.report
        sizes, r.terms, r.organizations, self.seen = mark
        for items, size in zip(
            (r.created, r.updated, r.unchanged, r.rejected, r.warnings), sizes, strict=True
        ):
            del items[size:]
        self._forget_terms()

    def _reject(self, source: str, label: str, errors) -> None:
        self.report.rejected.extend(RowError(source, label, f, m) for f, m in errors)

    def _first_sight(self, kind: str, record: dict, label: str, source: str) -> bool:
        key = (kind, str(record.get("id")))
        where = f"{source}, {label}"
        if key in self.seen:
            self._reject(source, label, [("id", f"duplicate id {key[1]}: also {self.seen[key]}")])
            return False
        self.seen[key] = where
        return True

    def _record(self, kind: str, record: dict, label: str, source: str) -> None:
        errors = _shape_errors(record)
        if errors:
            self._reject(source, label, errors)
            return
        warnings = _repairs(record)
        if kind == "taxonomies":
            self._taxonomy(record, label, source, warnings)
            return
        if kind == "organizations":
            services = record.get("services")
            org = {key: value for key, value in record.items() if key != "services"}
            if self._save(source, label, warnings, "organization", org, self._organization):
                for position, service in enumerate(services or []):
                    nested = dict(service, organization_id=org["id"])
                    nested.pop("organization", None)
                    self._save(source, f"{label} services[{position}]", [], "service", nested)
            return
        if kind == "terms":
            self._save(source, label, warnings, "taxonomy_term", record, self._term)
            return
        if kind == "service_at_locations":
            self._save(source, label, warnings, "service_at_location", record, self._link)
            return
        self._save(source, label, warnings, "service", record)

    def _save(self, source, label, warnings, schema, record, write=None) -> bool:
        """Validate and write one record in its own transaction; report the outcome."""
        errors = _schema_errors(record, schema)
        if errors:
            self._reject(source, label, errors)
            return False
        if not self._first_sight(schema, record, label, source):
            return False
        writer = _Writer(self.terms, self.known, None if self.pending is None else {})
        try:
            with transaction.atomic():
                created = (write or self._service)(writer, record)
                if not writer.changed:
                    raise _Unchanged
        except _Unchanged:
            if schema in COUNTED:
                self.report.unchanged.append(str(record["id"]))
        except RowRejected as rejected:
            self._reject(source, label, rejected.errors)
            self._forget_terms()
            return False
        except Exception as error:  # any other failure stays this record's alone
            logger.exception("Import of %s, %s failed", source, label)
            self._reject(source, label, [("", f"could not be saved ({error})")])
            self._forget_terms()
            return False
        else:
            if schema in COUNTED:
                outcome = self.report.created if created else self.report.updated
                outcome.append(str(record["id"]))
            for model, rows in (writer.pending or {}).items():
                self.pending.setdefault(model, []).extend(rows)
        self.report.warnings.extend(RowError(source, label, f, m) for f, m in warnings)
        self.report.warnings.extend(RowError(source, label, f, m) for f, m in writer.warnings)
        return True

    def _forget_terms(self) -> None:
        # A rolled-back record may have created terms, organisations or locations, or changed
        # the instances held: reload so none is used unsaved.
        self.known.clear()
        self.terms.clear()
        for term in TaxonomyTerm.objects.all():
            self.terms[str(term.pk)] = self.terms[term.term] = term

    def _service(self, writer: _Writer, record: dict) -> bool:
        return writer.service(record)[1]

    def _organization(self, writer: _Writer, record: dict) -> bool:
        created = not Organization.objects.filter(pk=record["id"]).exists()
        writer.organization(record, "organization")
        if writer.errors:
            raise RowRejected(writer.errors)
        self.report.organizations += 1
        return created

    def _term(self, writer: _Writer, record: dict) -> bool:
        created = not TaxonomyTerm.objects.filter(pk=record["id"]).exists()
        writer.term(record, "taxonomy_term")
        self.report.terms += 1
        return created

    def _link(self, writer: _Writer, record: dict) -> bool:
        """An ORUK service_at_location: its service (if given) and this one link."""
        service_data = record.get("service")
        service_id = (service_data or {}).get("id") or record.get("service_id")
        if service_data:
            service_data = {k: v for k, v in service_data.items() if k != "service_at_locations"}
            service, created = writer.service(service_data)
        else:
            service, created = Service.objects.filter(pk=service_id).first(), False
        if service is None:
            raise RowRejected([("service_id", f"Unknown service {service_id}")])
        link = ServiceAtLocation.objects.filter(pk=record["id"]).first()
        if link is not None and link.service_id != service.pk:
            raise RowRejected([("id", f"{link.pk} belongs to another service")])
        before = _values(link) if link else None
        link = link or ServiceAtLocation(
            id=record["id"], service=service, sort_order=service.service_at_locations.count()
        )
        writer._service_at_location(link, record, "")
        if (
            ServiceAtLocation.objects.filter(service=service, location=link.location)
            .exclude(pk=link.pk)
            .exists()
        ):
            raise RowRejected([("location.id", "the service is already linked to this location")])
        writer._put(link, before, "service_at_location", exclude=["service"])
        if writer.errors:
            raise RowRejected(writer.errors)
        return created

    def _taxonomy(self, record: dict, label: str, source: str, warnings) -> None:
        terms = record.get("taxonomy_terms") or []
        info = {key: value for key, value in record.items() if key != "taxonomy_terms"}
        if not self._save(source, label, warnings, "taxonomy", info, self._taxonomy_only):
            return
        taxonomy = Taxonomy.objects.filter(pk=info["id"]).first()
        if taxonomy is None:  # dry run of a new taxonomy: nothing to attach terms to
            return
        # Parents before children, so each parent exists when its children are saved.
        ordered = sorted(enumerate(terms, start=1), key=lambda t: bool(t[1].get("parent_id")))
        for position, term in ordered:
            if not isinstance(term, dict):
                self._reject(source, f"{label} term {position}", [("", "not an object")])
                continue
            term = dict(term, taxonomy_id=str(taxonomy.pk))
            self._save(
                source,
                f"{label} term {position}",
                [],
                "taxonomy_term",
                term,
                lambda writer, data: self._term_in(writer, data, taxonomy),
            )

    def _taxonomy_only(self, writer: _Writer, record: dict) -> bool:
        created = not Taxonomy.objects.filter(pk=record["id"]).exists()
        writer.taxonomy(record, "taxonomy")
        return created

    def _term_in(self, writer: _Writer, record: dict, taxonomy: Taxonomy) -> bool:
        created = not TaxonomyTerm.objects.filter(pk=record["id"]).exists()
        writer.term(record, "taxonomy_term", taxonomy)
        self.report.terms += 1
        return created
