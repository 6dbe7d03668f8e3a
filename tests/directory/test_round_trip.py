"""Lossless round trips: the ORUK 3.0 spec's full service in and out, field by field; CSV."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings

from directory.models import Service, Taxonomy, TaxonomyTerm
from directory.selectors.oruk import service_oruk
from directory.services import (
    directory_export_csv,
    directory_export_json,
    directory_import,
    source_read,
)
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db
EXAMPLE = Path(settings.BASE_DIR) / "directory" / "oruk" / "examples" / "service_full.json"
PARENT_TERM_ID = "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"


def spec_service() -> dict:
    record = json.loads(EXAMPLE.read_text())
    location = record["service_at_locations"][0]["location"]
    # The spec's placeholder coordinates (100, 101) are not on Earth and are refused
    # (test_import_hostile.py); any real position round-trips the same way.
    location["latitude"], location["longitude"] = 51.5074, -0.1278
    # ORUK 3.0 lists phones[].languages; the spec example has no phone, so one is added.
    record["phones"] = [
        {
            "id": "5b0a7a2e-7d4b-4d6b-9a36-2f1b8c2a4e11",
            "number": "0161 496 0000",
            "description": "Reception",
            "languages": [{"id": "6c1b8b3f-8e5c-4e7c-8b47-3a2c9d3b5f22", "code": "pol"}],
        }
    ]
    return record


def assert_kept(given, exported, path="service"):
    """Every field given is exported with the same value (exports may add fields)."""
    if isinstance(given, dict):
        assert isinstance(exported, dict), path
        for key, value in given.items():
            assert key in exported, f"{path}.{key} was dropped"
            assert_kept(value, exported[key], f"{path}.{key}")
    elif isinstance(given, list):
        assert isinstance(exported, list) and len(exported) == len(given), path
        for index, (one, other) in enumerate(zip(given, exported, strict=True)):
            assert_kept(one, other, f"{path}[{index}]")
    else:
        assert exported == given, f"{path}: {given!r} became {exported!r}"


@pytest.fixture
def parent_term():
    taxonomy = Taxonomy.objects.create(name="taxonomy", description="The spec's taxonomy")
    return TaxonomyTerm.objects.create(
        id=PARENT_TERM_ID, taxonomy=taxonomy, name="Parent", description="", term="parent"
    )


def test_the_spec_full_service_round_trips_field_by_field(tmp_path, parent_term):
    record = spec_service()
    path = tmp_path / "service.json"
    path.write_text(json.dumps(record))
    report = directory_import(batches=source_read(location=str(path)))
    assert report.created == [record["id"]] and not report.rejected, report.rejected
    assert not report.warnings
    exported = service_oruk(Service.objects.get(pk=record["id"]))
    del record["last_modified"]  # the directory's own, set when the import wrote the service
    assert_kept(record, exported)


def test_the_json_export_reimports_as_unchanged(tmp_path, parent_term):
    path = tmp_path / "service.json"
    path.write_text(json.dumps(spec_service()))
    directory_import(batches=source_read(location=str(path)))
    export = tmp_path / "export.json"
    export.write_text(directory_export_json())
    report = directory_import(batches=source_read(location=str(export)))
    assert report.unchanged == [spec_service()["id"]] and not report.rejected


def test_csv_export_escapes_formulas_and_reimports_them_as_written(tmp_path):
    service = ServiceFactory(
        name='=HYPERLINK("https://evil.example", "Click")',
        description="@SUM(1+1)",
        fees="-2+3",
        alert="+44 is the code",
    )
    text = directory_export_csv()
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"] == '\'=HYPERLINK("https://evil.example", "Click")'
    assert row["description"] == "'@SUM(1+1)"
    assert row["fees"] == "'-2+3"
    assert row["alert"] == "'+44 is the code"
    path = tmp_path / "export.csv"
    path.write_text(text)
    report = directory_import(batches=source_read(location=str(path)))
    assert not report.rejected, report.rejected
    service.refresh_from_db()
    assert service.name.startswith("=HYPERLINK") and service.fees == "-2+3"
