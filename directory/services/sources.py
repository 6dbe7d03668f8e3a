"""Reading import sources: ORUK JSON files, paginated ORUK endpoints, CSV files and folders."""

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CSV_NAMESPACE = uuid.UUID("6a1f3c9e-2b7d-4e58-9c1a-5d0e8f7b3a21")
MAX_PAGES = 1000


class SourceError(ValueError):
    """An import source that cannot be read at all (missing file, bad JSON, HTTP error)."""


@dataclass
class SourceBatch:
    """Records read from one source; ``kind`` is "services" or "taxonomy"."""

    name: str
    kind: str
    records: list[dict] = field(default_factory=list)
    # Row labels for error reports: "record 3" for JSON, "row 4" for CSV (header is row 1).
    labels: list[str] = field(default_factory=list)


def _json_batches(name: str, data) -> list[SourceBatch]:
    if isinstance(data, dict) and "terms" in data and "taxonomy" in data:
        return [SourceBatch(name=name, kind="taxonomy", records=[data], labels=["taxonomy"])]
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceError(f"{name}: expected a list of ORUK services or a paginated ORUK page")
    labels = [f"record {number}" for number in range(1, len(data) + 1)]
    return [SourceBatch(name=name, kind="services", records=data, labels=labels)]


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
    """One CSV row (README "Service directory" columns) as an ORUK service dict."""
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
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
        "organization": {
            "id": get("organization_id"),
            "name": get("organization_name"),
            "description": get("organization_description"),
            "website": get("organization_website"),
        },
    }
    for age in ("minimum_age", "maximum_age"):
        if get(age):
            record[age] = _number(get(age))
    if get("free"):
        record["free"] = get("free")
    record["delivery_methods"] = _split(get("delivery"))
    record["attributes"] = [
        {"id": _child_id(service_id, "category", code), "term_code": code}
        for code in _split(get("categories"))
    ]
    record["languages"] = [
        {"id": _child_id(service_id, "language", code.lower()), "code": code}
        for code in _split(get("languages"))
    ]
    record["phones"] = [
        {"id": _child_id(service_id, "phone", number), "number": number}
        for number in _split(get("phones"))
    ]
    record["service_areas"] = [
        {"id": _child_id(service_id, "area", area), "name": area} for area in _split(get("areas"))
    ]
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
    reader = csv.DictReader(io.StringIO(text))
    missing = {"id", "name", "organization_id", "organization_name"} - set(reader.fieldnames or [])
    if missing:
        raise SourceError(f"{name}: the CSV has no column {', '.join(sorted(missing))}")
    records, labels = [], []
    for number, row in enumerate(reader, start=2):
        records.append(csv_row_to_service(row))
        labels.append(f"row {number}")
    return SourceBatch(name=name, kind="services", records=records, labels=labels)


def _read_path(path: Path) -> list[SourceBatch]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".json", ".csv"))
        # Taxonomy files first: services refer to their terms.
        files.sort(key=lambda p: (p.name != "taxonomy.json", str(p)))
        return [batch for file in files for batch in _read_path(file)]
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return [_csv_batch(str(path), text)]
    try:
        return _json_batches(str(path), json.loads(text))
    except json.JSONDecodeError as error:
        raise SourceError(f"{path}: not valid JSON ({error})") from error


def _read_url(url: str, *, client: httpx.Client) -> list[SourceBatch]:
    """Fetch a JSON feed; a paginated ORUK endpoint is followed page by page with full=true."""
    try:
        first = client.get(url, params={"full": "true", "page": 1})
        first.raise_for_status()
        data = first.json()
        if not (isinstance(data, dict) and "contents" in data):
            return _json_batches(url, data)
        records = list(data["contents"])
        pages = min(int(data.get("total_pages") or 1), MAX_PAGES)
        for page in range(2, pages + 1):
            response = client.get(url, params={"full": "true", "page": page})
            response.raise_for_status()
            records.extend(response.json().get("contents", []))
    except (httpx.HTTPError, ValueError) as error:
        raise SourceError(f"{url}: could not read the feed ({error})") from error
    return _json_batches(url, records)


def source_read(*, location: str, client: httpx.Client | None = None) -> list[SourceBatch]:
    """Read a file, folder or http(s) URL into batches; raises SourceError when unreadable."""
    if location.startswith(("http://", "https://")):
        with client or httpx.Client(timeout=30, follow_redirects=True) as http:
            return _read_url(location, client=http)
    return _read_path(Path(location))
