"""Reading import sources: ORUK JSON files, paginated ORUK endpoints, CSV files and folders.

Whatever the file holds (a list, a paginated page, a single object; services, organizations,
service_at_locations, taxonomies or terms) becomes batches of plain records; nothing here
validates a record, so one bad record never stops a file. Only a file that cannot be read at
all (missing, not text in its encoding, not JSON, nested past Python's limits) is a SourceError.
"""

import csv
import io
import json
import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from config.spreadsheets import spreadsheet_unescape

CSV_NAMESPACE = uuid.UUID("6a1f3c9e-2b7d-4e58-9c1a-5d0e8f7b3a21")
MAX_PAGES = 1000
# Record kinds, in the order they are imported: taxonomies and terms first (services refer
# to terms), organizations before services.
KINDS = ("taxonomies", "terms", "organizations", "services", "service_at_locations")


class SourceError(ValueError):
    """An import source that cannot be read at all (missing file, bad JSON, HTTP error)."""


class BadNumber(str):
    """A JSON number Python cannot hold as a finite float (1e309, Infinity, NaN), kept as its
    text so that the importer reports it against its record and field."""


@dataclass
class SourceBatch:
    """Records of one kind read from one source (``kind`` is one of KINDS)."""

    name: str
    kind: str
    records: list[dict] = field(default_factory=list)
    # Row labels for error reports: "record 3" for JSON, "row 4" for CSV (header is row 1).
    labels: list[str] = field(default_factory=list)


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else BadNumber(text)


def _parse_int(text: str):
    # Python refuses to parse integers of more than 4,300 digits; no field needs 20.
    return int(text) if len(text) <= 20 else BadNumber(text)


def json_parse(name: str, text: str):
    """Parse JSON text; raises SourceError naming the file and the problem."""
    try:
        return json.loads(
            text, parse_float=_parse_float, parse_int=_parse_int, parse_constant=BadNumber
        )
    except RecursionError as error:
        raise SourceError(f"{name}: the JSON is nested too deeply to read") from error
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{name}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from error
    except ValueError as error:
        raise SourceError(f"{name}: not valid JSON ({error})") from error


def record_kind(record: dict) -> str:
    """Which ORUK object a record is, from the fields only that object has."""
    keys = set(record)
    if keys & {"taxonomy_terms", "version"}:
        return "taxonomies"
    if keys & {"term", "term_uri", "parent_id", "taxonomy_id"} or isinstance(
        record.get("taxonomy"), str
    ):
        return "terms"
    if "location" in keys and "service" in keys:
        return "service_at_locations"
    if "status" not in keys and keys & {
        "services",
        "website",
        "logo",
        "parent_organization_id",
        "organization_identifiers",
    }:
        return "organizations"
    return "services"


def _json_batches(name: str, data) -> list[SourceBatch]:
    if isinstance(data, dict) and "terms" in data and isinstance(data.get("taxonomy"), dict):
        # This directory's own taxonomy file: {"taxonomy": {...}, "terms": [...]}.
        data = {**data["taxonomy"], "taxonomy_terms": data["terms"]}
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]  # an ORUK paginated page
    elif isinstance(data, dict):
        data = [data]  # a single ORUK object
    if not isinstance(data, list):
        raise SourceError(f"{name}: expected ORUK JSON: a list, a paginated page or an object")
    records = [item for item in data if isinstance(item, dict)]
    labels = [f"record {n}" for n, item in enumerate(data, start=1) if isinstance(item, dict)]
    if len(records) != len(data):
        raise SourceError(f"{name}: every item of the list must be a JSON object")
    # A list holds one kind of object; the majority decides for items with few fields.
    votes = Counter(record_kind(record) for record in records)
    kind = votes.most_common(1)[0][0] if votes else "services"
    return [SourceBatch(name=name, kind=kind, records=records, labels=labels)]


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _number(value: str) -> float | int | str:
    """A CSV number as a number; anything else stays text so the schema check reports it."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _child_id(service_id: str, kind: str, key: str) -> str:
    return str(uuid.uuid5(CSV_NAMESPACE, f"{service_id}:{kind}:{key}"))


def csv_row_to_service(row: dict[str, str]) -> dict:
    """One CSV row (docs/directory.md columns) as an ORUK service dict.

    Cells the export escaped against formula injection ("'=...") are read back unescaped.
    """
    get = lambda name: spreadsheet_unescape((row.get(name) or "").strip())  # noqa: E731
    service_id = get("id")
    record: dict = {
        "id": service_id,
        "name": get("name"),
        "description": get("description"),
        "status": get("status") or "active",
        "url": get("url"),
        "email": get("email"),
        "fees": get("fees"),
        "alert": get("alert"),
        "assured_date": get("assured_date"),
        "assurer_email": get("assurer_email"),
        "application_process": get("how_to_refer"),
        "eligibility_description": get("eligibility"),
    }
    if get("organization_id"):
        record["organization"] = {
            "id": get("organization_id"),
            "name": get("organization_name"),
            "description": get("organization_description"),
            "website": get("organization_website"),
        }
    for age in ("minimum_age", "maximum_age"):
        if get(age):
            record[age] = _number(get(age))
    if get("free"):
        record["free"] = get("free")
    # A list column that is missing leaves the stored list alone; an empty cell empties it.
    if "delivery" in row:
        record["delivery_methods"] = _split(get("delivery"))
    if "categories" in row:
        record["attributes"] = [
            {"id": _child_id(service_id, "category", code), "term_code": code}
            for code in _split(get("categories"))
        ]
    if "languages" in row:
        record["languages"] = [
            {"id": _child_id(service_id, "language", code.lower()), "code": code}
            for code in _split(get("languages"))
        ]
    if "phones" in row:
        record["phones"] = [
            {"id": _child_id(service_id, "phone", number), "number": number}
            for number in _split(get("phones"))
        ]
    if "areas" in row:
        record["service_areas"] = [
            {"id": _child_id(service_id, "area", area), "name": area}
            for area in _split(get("areas"))
        ]
    if "opening_hours" in row:
        record["schedules"] = []
    for text in _split(get("opening_hours")):
        days, _, hours = text.partition(" ")
        opens, _, closes = hours.strip().partition("-")
        record["schedules"].append(
            {
                "id": _child_id(service_id, "schedule", text),
                # A numbered day ("-1TH", the last Thursday) only exists in a monthly rule.
                "freq": "MONTHLY" if any(c.isdigit() for c in days) else "WEEKLY",
                "byday": days,
                "opens_at": opens.strip(),
                "closes_at": closes.strip(),
            }
        )
    if get("postcode") or get("address_1") or get("location_name"):
        location_id = _child_id(service_id, "location", "main")
        location = {
            "id": location_id,
            "location_type": "physical",
            "name": get("location_name"),
            "confidential": get("confidential").lower() in ("yes", "true", "1"),
            "accessibility_text": get("accessibility"),
            "addresses": [
                {
                    "id": _child_id(service_id, "address", "main"),
                    "address_1": get("address_1"),
                    "city": get("city"),
                    "state_province": get("county"),
                    "postal_code": get("postcode"),
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }
        for coordinate in ("latitude", "longitude"):
            if get(coordinate):
                location[coordinate] = _number(get(coordinate))
        record["service_at_locations"] = [
            {"id": _child_id(service_id, "service_at_location", "main"), "location": location}
        ]
    return _prune(record)


def _prune(value):
    """Drop empty CSV cells: ORUK treats a missing field as unknown, an empty URL as invalid."""
    if isinstance(value, dict):
        return {key: _prune(item) for key, item in value.items() if item != ""}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _csv_batch(name: str, text: str) -> SourceBatch:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = {"id", "name"} - set(reader.fieldnames or [])
        if missing:
            raise SourceError(f"{name}: the CSV has no column {', '.join(sorted(missing))}")
        records, labels = [], []
        for row in reader:
            records.append(csv_row_to_service(row))
            labels.append(f"row {reader.line_num}")
    except csv.Error as error:
        raise SourceError(f"{name}: not a readable CSV file ({error})") from error
    return SourceBatch(name=name, kind="services", records=records, labels=labels)


def _decode(name: str, raw: bytes, encoding: str | None) -> str:
    try:
        return raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            f"{name}: not {encoding or 'UTF-8'} text (byte 0x{raw[error.start]:02x} on line "
            f"{line}); save the file as UTF-8, or name its encoding (--encoding latin-1)"
        ) from error
    except LookupError as error:
        raise SourceError(f"{name}: unknown encoding {encoding}") from error


def _read_path(path: Path, encoding: str | None) -> list[SourceBatch]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".json", ".csv"))
        return [batch for file in files for batch in _read_path(file, encoding)]
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    text = _decode(str(path), path.read_bytes(), encoding)
    if path.suffix.lower() == ".csv":
        return [_csv_batch(str(path), text)]
    return _json_batches(str(path), json_parse(str(path), text))


def _read_url(url: str, *, client: httpx.Client) -> list[SourceBatch]:
    """Fetch a JSON feed; a paginated ORUK endpoint is followed page by page with full=true."""
    try:
        first = client.get(url, params={"full": "true", "page": 1})
        first.raise_for_status()
        data = json_parse(url, first.text)
        if not (isinstance(data, dict) and isinstance(data.get("contents"), list)):
            return _json_batches(url, data)
        records = list(data["contents"])
        pages = min(int(data.get("total_pages") or 1), MAX_PAGES)
        for page in range(2, pages + 1):
            response = client.get(url, params={"full": "true", "page": page})
            response.raise_for_status()
            records.extend(json_parse(url, response.text).get("contents", []))
    except (httpx.HTTPError, ValueError, TypeError, AttributeError) as error:
        raise SourceError(f"{url}: could not read the feed ({error})") from error
    return _json_batches(url, records)


def source_read(
    *, location: str, client: httpx.Client | None = None, encoding: str | None = None
) -> list[SourceBatch]:
    """Read a file, folder or http(s) URL into batches; raises SourceError when unreadable."""
    if location.startswith(("http://", "https://")):
        with client or httpx.Client(timeout=30, follow_redirects=True) as http:
            return _read_url(location, client=http)
    return _read_path(Path(location), encoding)
