"""import_directory and export_directory: good files, bad rows, re-import, CSV, confidentiality."""

import copy
import csv
import io
import json
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from directory.models import Language, Location, Service, TaxonomyTerm
from directory.services import directory_import, source_read
from directory.services.sources import SourceBatch
from tests.directory.conftest import assert_oruk
from tests.directory.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content" / "directory"
SERVICE_ID = "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b01"
ORG_ID = "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b02"


@pytest.fixture
def terms():
    source_read(location=str(CONTENT / "taxonomy.json"))
    directory_import(batches=source_read(location=str(CONTENT / "taxonomy.json")))
    return {term.term: term for term in TaxonomyTerm.objects.all()}


def service_record(**changes) -> dict:
    record = {
        "id": SERVICE_ID,
        "name": "Romani interpreting",
        "description": "Interpreters who speak Romani dialects.",
        "status": "active",
        "url": "https://example.org/interpreting",
        "email": "interpreting@example.org",
        "minimum_age": 0,
        "maximum_age": 25,
        "assured_date": "2026-11-01",
        "assurer_email": "editor@example.org",
        "organization": {"id": ORG_ID, "name": "Example interpreting", "description": "Test"},
        "languages": [
            {"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b03", "code": "rom", "name": "Romani"}
        ],
        "phones": [{"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b04", "number": "0161 496 0000"}],
        "attributes": [
            {
                "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b05",
                "taxonomy_term_id": "f771b27b-cd71-5b75-9e1b-3484bab29559",
            }
        ],
        "service_at_locations": [
            {
                "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b06",
                "location": {
                    "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b07",
                    "location_type": "physical",
                    "name": "Civic centre",
                    "addresses": [
                        {
                            "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b08",
                            "address_1": "West Street",
                            "city": "Oldham",
                            "state_province": "Greater Manchester",
                            "postal_code": "OL1 1AA",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    record.update(changes)
    return record


def run(records, dry_run=False):
    batch = SourceBatch(
        name="feed.json",
        kind="services",
        records=records,
        labels=[f"record {n}" for n in range(1, len(records) + 1)],
    )
    return directory_import(batches=[batch], dry_run=dry_run)


def test_good_record_is_imported_with_nested_data_and_geocoded(terms):
    report = run([service_record()])
    assert report.created == [SERVICE_ID] and not report.rejected
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.review_status == "published"
    assert service.languages.get().code == "rom"
    assert service.attributes.get().taxonomy_term.term == "interpreting-and-translation"
    location = service.service_at_locations.get().location
    assert location.latitude == pytest.approx(53.5415, abs=0.001)
    assert service.delivers_in_person and service.delivers_by_phone


def test_reimport_is_idempotent_and_writes_nothing(terms):
    run([service_record()])
    before = Service.objects.get(pk=SERVICE_ID).last_modified
    report = run([service_record()])
    assert (report.created, report.updated, report.unchanged) == ([], [], [SERVICE_ID])
    assert Service.objects.get(pk=SERVICE_ID).last_modified == before
    assert Service.objects.count() == 1 and Language.objects.count() == 1


def test_changed_record_updates_and_removes_children_no_longer_listed(terms):
    run([service_record()])
    report = run([service_record(name="Romani interpreting service", languages=[])])
    assert report.updated == [SERVICE_ID]
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Romani interpreting service"
    assert not service.languages.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"status": "open"}, "status", "is not one of"),
        ({"minimum_age": "twelve"}, "minimum_age", "is not of type 'number'"),
        ({"email": "not-an-email"}, "email", "is not a 'email'"),
        ({"url": "not a url"}, "url", "is not a 'uri'"),
        ({"name": None}, "name", "is not of type 'string'"),
    ],
)
def test_schema_errors_are_reported_by_row_and_field(terms, change, field, message):
    second = service_record(id=ORG_ID.replace("02", "99"), **change)
    report = run([service_record(), second])
    assert report.created == [SERVICE_ID]
    assert [(e.row, e.field) for e in report.rejected] == [("record 2", field)]
    assert message in report.rejected[0].message


def test_domain_errors_reject_the_whole_row_and_leave_nothing_behind(terms):
    bad = service_record()
    bad["phones"][0]["number"] = "12345"
    bad["languages"][0]["code"] = "xx1"
    bad["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "NOT A CODE"
    report = run([bad])
    fields = {e.field for e in report.rejected}
    assert "phones[0].number" in fields
    assert "languages[0].code" in fields
    assert any(f.startswith("service_at_locations[0].location") for f in fields)
    assert report.rejected_rows == 1
    assert not Service.objects.exists()
    assert not Location.objects.exists()


def test_unknown_category_is_a_row_error(terms):
    record = service_record()
    record["attributes"][0]["taxonomy_term_id"] = "00000000-0000-0000-0000-000000000000"
    report = run([record])
    assert report.rejected[0].field == "attributes[0].taxonomy_term_id"
    assert not Service.objects.exists()


def test_dry_run_reports_and_writes_nothing(terms):
    report = run(
        [service_record(), service_record(id=ORG_ID.replace("02", "98"), status="x")], dry_run=True
    )
    assert report.created == [SERVICE_ID]
    assert report.rejected_rows == 1
    assert not Service.objects.exists()


def test_command_imports_the_content_folder_twice_idempotently(capsys):
    call_command("import_directory", str(CONTENT))
    first = capsys.readouterr().out
    count = Service.objects.count()
    assert count > 10
    assert "rejected 0" in first
    call_command("import_directory", str(CONTENT))
    second = capsys.readouterr().out
    assert f"unchanged {count}" in second
    assert Service.objects.count() == count


def test_command_reports_bad_rows_and_fails(tmp_path, terms, capsys):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([service_record(status="nope")]))
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_directory", str(feed))
    assert "record 1, status" in capsys.readouterr().err


def test_command_dry_run_writes_nothing(tmp_path, terms, capsys):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([service_record()]))
    call_command("import_directory", str(feed), "--dry-run")
    assert "Would create 1" in capsys.readouterr().out
    assert not Service.objects.exists()


def test_missing_file_and_bad_json_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_directory", str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_directory", str(bad))


def test_paginated_endpoint_is_followed_page_by_page(terms):
    pages = {
        "1": {"total_pages": 2, "page_number": 1, "contents": [service_record()]},
        "2": {
            "total_pages": 2,
            "page_number": 2,
            "contents": [
                service_record(
                    id=ORG_ID.replace("02", "97"),
                    name="Second",
                    languages=[],
                    phones=[],
                    attributes=[],
                    service_at_locations=[],
                )
            ],
        },
    }

    def handler(request):
        assert request.url.params["full"] == "true"
        return httpx.Response(200, json=pages[request.url.params["page"]])

    client = httpx.Client(transport=httpx.MockTransport(handler))
    batches = source_read(location="https://feeds.example.org/api/services", client=client)
    report = directory_import(batches=batches)
    assert len(report.created) == 2


def test_export_json_validates_and_round_trips_through_import(terms):
    run([service_record()])
    out = io.StringIO()
    call_command("export_directory", "--format", "json", stdout=out)
    exported = json.loads(out.getvalue())
    for item in exported:
        assert_oruk(item, "service")
    report = run(copy.deepcopy(exported))
    assert report.unchanged == [SERVICE_ID] and not report.rejected


def test_csv_export_reimports_unchanged(terms, tmp_path):
    run([service_record()])
    out = io.StringIO()
    call_command("export_directory", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["languages"] == "rom"
    assert rows[0]["postcode"] == "OL1 1AA"
    # A CSV import of a new service, with the documented columns.
    rows[0]["id"] = "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b55"
    rows[0]["name"] = "Romani interpreting (from CSV)"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(rows[0])
    path = tmp_path / "services.csv"
    path.write_text(buffer.getvalue())
    first = directory_import(batches=source_read(location=str(path)))
    again = directory_import(batches=source_read(location=str(path)))
    assert not first.rejected, [str(e) for e in first.rejected]
    assert first.created == ["8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b55"] and not first.rejected
    assert again.unchanged == ["8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b55"]
    created = Service.objects.get(pk="8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b55")
    assert created.languages.get().code == "rom"


def test_csv_bad_row_reported_by_row_number_and_column(tmp_path, terms):
    path = tmp_path / "services.csv"
    path.write_text(
        "id,name,description,organization_id,organization_name,organization_description,"
        "minimum_age,categories\n"
        f"{SERVICE_ID},Good,Helps,{ORG_ID},Org,Desc,5,helplines\n"
        "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b66,Bad,Helps,{ORG_ID},Org,Desc,five,helplines\n".replace(
            "{ORG_ID}", ORG_ID
        )
    )
    report = directory_import(batches=source_read(location=str(path)))
    assert report.created == [SERVICE_ID], [str(e) for e in report.rejected]
    assert [(e.row, e.field) for e in report.rejected] == [("row 3", "minimum_age")]


def test_confidential_addresses_never_leak_in_exports(terms):
    refuge = LocationFactory(
        name="Secret refuge", address_1="7 Hidden Road", postal_code="OL1 1AD", confidential=True
    )
    service = ServiceFactory(name="Safe house", location=refuge)
    for fmt in ("json", "csv"):
        out = io.StringIO()
        call_command("export_directory", "--format", fmt, stdout=out)
        assert "Safe house" in out.getvalue()
        for secret in ("Hidden Road", "OL1 1AD", "Secret refuge", str(refuge.latitude)):
            assert secret not in out.getvalue(), (fmt, secret)
    # Re-importing our own redacted export keeps the address we hold.
    out = io.StringIO()
    call_command("export_directory", "--format", "json", stdout=out)
    run(json.loads(out.getvalue()))
    refuge.refresh_from_db()
    assert refuge.address_1 == "7 Hidden Road" and refuge.confidential
    assert Service.objects.filter(pk=service.pk).exists()


def test_national_services_file_is_real_oruk(terms):
    records = json.loads((CONTENT / "services" / "national.json").read_text())
    assert len(records) >= 10
    for record in records:
        assert_oruk(record, "service")
    report = directory_import(
        batches=source_read(location=str(CONTENT / "services" / "national.json"))
    )
    assert not report.rejected, [str(e) for e in report.rejected]
    demo = TaxonomyTermFactory._meta.model.objects.get(term="demo-data")
    assert not Service.objects.filter(attributes__taxonomy_term=demo, pk__in=report.created)


def test_an_imported_service_has_its_search_document_refreshed_once(terms):
    from unittest import mock

    from directory.services import search_document

    with mock.patch.object(
        search_document, "search_document_refresh", wraps=search_document.search_document_refresh
    ) as refresh:
        run([service_record()])
        calls_for_new = [sorted(map(str, c.kwargs["service_ids"])) for c in refresh.call_args_list]
        refresh.reset_mock()
        run([service_record()])  # unchanged: rolled back, so nothing to refresh

    # The service row, its category, language and area each fire a signal; one refresh.
    assert calls_for_new == [[SERVICE_ID]]
    assert refresh.call_count == 0


def test_outside_an_import_each_save_still_refreshes_at_once(terms):
    from unittest import mock

    from directory.services import search_document

    with mock.patch.object(search_document, "search_document_refresh") as refresh:
        service = ServiceFactory()
        Language.objects.create(service=service, code="pol", name="Polish")

    assert [list(map(str, c.kwargs["service_ids"])) for c in refresh.call_args_list][-1] == [
        str(service.pk)
    ]
    assert refresh.call_count >= 2
