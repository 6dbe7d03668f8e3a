"""import_directory against hostile and real-world-shaped feeds (issue 16): no crash, exact reports.

Each test names the rule it protects: absent is not empty, one record one transaction, encodings,
nesting, numbers, duplicates, the shapes ORUK accepts, and the repairs made with a warning.
"""

import copy
import json
import re
import uuid
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from directory.models import (
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.selectors.oruk import service_oruk
from directory.services import directory_export_csv, directory_import, source_read
from tests.directory.test_import_export import ORG_ID, SERVICE_ID, service_record

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content" / "directory"
EXAMPLES = Path(settings.BASE_DIR) / "directory" / "oruk" / "examples"
OTHER_ID = "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b99"


@pytest.fixture
def terms():
    directory_import(batches=source_read(location=str(CONTENT / "taxonomy.json")))
    return {term.term: term for term in TaxonomyTerm.objects.all()}


def write(tmp_path, data, name="feed.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def load(path: Path, **options):
    return directory_import(batches=source_read(location=str(path), **options))


def full_service() -> dict:
    record = service_record()
    record["schedules"] = [
        {"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b10", "byday": "MO", "opens_at": "09:00"}
    ]
    record["service_areas"] = [{"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b11", "name": "Oldham"}]
    record["contacts"] = [{"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b12", "name": "Ann"}]
    record["cost_options"] = [
        {"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b13", "option": "Session", "amount": 5}
    ]
    return record


CHILDREN = (
    "attributes",
    "phones",
    "schedules",
    "languages",
    "service_at_locations",
    "service_areas",
    "cost_options",
    "contacts",
)


def counts(service: Service) -> dict:
    return {relation: getattr(service, relation).count() for relation in CHILDREN}


# Absent is not empty ---------------------------------------------------------------------------


def test_a_non_full_list_page_leaves_every_child_record_alone(tmp_path, terms):
    load(write(tmp_path, [full_service()]))
    before = counts(Service.objects.get(pk=SERVICE_ID))
    page = {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "contents": [{"id": SERVICE_ID, "name": "Renamed", "status": "active"}],
    }
    report = load(write(tmp_path, page, "page.json"))
    assert report.updated == [SERVICE_ID] and not report.rejected
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Renamed"
    assert service.description == "Interpreters who speak Romani dialects."
    assert counts(service) == before and all(before.values())


def test_an_explicit_empty_list_removes_only_those_children(tmp_path, terms):
    load(write(tmp_path, [full_service()]))
    load(write(tmp_path, [{"id": SERVICE_ID, "name": "X", "status": "active", "phones": []}]))
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.phones.count() == 0
    assert service.languages.count() == 1 and service.schedules.count() == 1


# One record, one transaction -------------------------------------------------------------------


def test_a_bad_record_is_reported_by_file_index_and_field_and_the_rest_imported(tmp_path, terms):
    bad = service_record(id=OTHER_ID, status="nope")
    path = write(tmp_path, [bad, service_record()])
    report = load(path)
    assert report.created == [SERVICE_ID]
    assert [(e.source, e.row, e.field) for e in report.rejected] == [
        (str(path), "record 1", "status")
    ]


def test_an_organisation_and_location_saved_by_a_rolled_back_record_are_not_reused(tmp_path, terms):
    # Organisations and locations are looked up for a page of records at once; the first
    # record saves both, then is rejected (an unknown category) and rolled back, so the next
    # record naming them must create them again rather than point at rows that are gone.
    bad = service_record(id=OTHER_ID)
    bad["organization"]["name"] = "Renamed by the bad record"
    bad["attributes"][0]["taxonomy_term_id"] = "00000000-0000-4000-8000-000000000000"
    report = load(write(tmp_path, [bad, service_record()]))
    assert report.created == [SERVICE_ID]
    assert [e.field for e in report.rejected] == ["attributes[0].taxonomy_term_id"]
    service = Service.objects.get()
    assert service.organization.name == "Example interpreting"
    [link] = ServiceAtLocation.objects.all()
    assert link.service == service and link.location == Location.objects.get()


def renumbered(record: dict, keep: tuple = ()) -> dict:
    """The record under fresh ids, but for its category's and those in ``keep``."""
    text = json.dumps(record)
    term_id = record["attributes"][0]["taxonomy_term_id"]
    for old in set(re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", text)) - {term_id, *keep}:
        text = text.replace(old, str(uuid.uuid4()))
    return json.loads(text)


def test_a_new_service_reusing_another_services_child_id_is_rejected_alone(tmp_path, terms):
    # New services' children are inserted a page at a time; one clashing id must still reject
    # only its own record, with the report and the progress count exact.
    load(write(tmp_path, [service_record()], "first.json"))
    phone_id = service_record()["phones"][0]["id"]
    fine = renumbered(full_service())
    clash = renumbered(service_record(), keep=(phone_id,))
    later = renumbered(full_service())
    done = []
    report = directory_import(
        batches=source_read(location=str(write(tmp_path, [fine, clash, later]))),
        progress=done.append,
    )
    assert report.created == [fine["id"], later["id"]] and sum(done) == 3
    [error] = report.rejected
    assert error.row == "record 2" and "could not be saved" in error.message
    assert str(Phone.objects.get(pk=phone_id).service_id) == SERVICE_ID
    assert not Service.objects.filter(pk=clash["id"]).exists()
    for record in (fine, later):
        assert counts(Service.objects.get(pk=record["id"])) == {
            relation: len(record.get(relation, [])) for relation in CHILDREN
        }


def test_the_command_reports_and_exits_with_a_message_not_a_traceback(tmp_path, terms, capsys):
    path = write(tmp_path, [service_record(id=OTHER_ID, minimum_age=12.5), service_record()])
    with pytest.raises(CommandError, match="1 record"):
        call_command("import_directory", str(path), "--no-progress")
    err = capsys.readouterr().err
    assert "record 1, minimum_age: 12.5 is not a whole number of years" in err
    assert Service.objects.filter(pk=SERVICE_ID).exists()


def test_the_same_category_or_location_twice_in_a_service_is_imported_once(tmp_path, terms):
    record = service_record()
    attribute = dict(record["attributes"][0], id="8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b20")
    record["attributes"].append(attribute)
    link = copy.deepcopy(record["service_at_locations"][0])
    link["id"] = "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b21"
    record["service_at_locations"].append(link)
    report = load(write(tmp_path, [record]))
    assert report.created == [SERVICE_ID] and not report.rejected
    assert sorted(w.field for w in report.warnings) == ["attributes[1]", "service_at_locations[1]"]
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.attributes.count() == 1 and service.service_at_locations.count() == 1


def test_reimporting_its_own_csv_export_after_a_json_import_works(tmp_path, terms):
    load(write(tmp_path, [full_service()]))
    Service.objects.filter(pk=SERVICE_ID).update(review_status="published")
    before = counts(Service.objects.get(pk=SERVICE_ID))
    csv_path = write(tmp_path, directory_export_csv(), "export.csv")
    report = load(csv_path)
    assert not report.rejected and report.updated == [SERVICE_ID]
    after = counts(Service.objects.get(pk=SERVICE_ID))
    assert after["attributes"] == before["attributes"]
    assert after["phones"] == before["phones"]
    assert load(csv_path).unchanged == [SERVICE_ID]


def test_duplicate_ids_in_a_feed_are_reported(tmp_path, terms):
    report = load(write(tmp_path, [service_record(), service_record(name="Twin")]))
    assert report.created == [SERVICE_ID]
    [error] = report.rejected
    assert (error.row, error.field) == ("record 2", "id")
    assert "duplicate id" in error.message and "record 1" in error.message
    assert Service.objects.get().name == "Romani interpreting"


# Encodings, nesting, numbers -------------------------------------------------------------------


def test_invalid_utf8_is_a_clear_message_naming_the_line(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_bytes(b'[\n{"id": "x",\n "name": "Caf\xe9"}]')
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_directory", str(path), "--no-progress")
    assert "byte 0xe9 on line 3" in capsys.readouterr().err


def test_a_latin1_file_imports_when_its_encoding_is_named(tmp_path, terms):
    path = tmp_path / "feed.json"
    text = json.dumps([service_record(name="Café")], ensure_ascii=False)
    path.write_bytes(text.encode("latin-1"))
    report = load(path, encoding="latin-1")
    assert report.created == [SERVICE_ID]
    assert Service.objects.get().name == "Café"


def test_deep_nesting_in_an_unused_field_rejects_only_that_record(tmp_path, terms):
    nested: dict = {}
    for _ in range(200):
        nested = {"x": nested}
    record = service_record(id=OTHER_ID, unused=nested)
    report = load(write(tmp_path, [record, service_record()]))
    assert report.created == [SERVICE_ID]
    [error] = report.rejected
    assert error.row == "record 1" and error.field.startswith("unused.x")
    assert "nested more than 32 levels deep" in error.message


def test_nesting_past_the_parser_limit_is_a_clear_file_message(tmp_path, capsys):
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError):
        call_command("import_directory", str(path), "--no-progress")
    assert "nested too deeply" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "shown"), [("1e309", "1e309"), ("Infinity", "Infinity"), ("NaN", "NaN")]
)
def test_numbers_json_cannot_carry_are_reported_by_field(tmp_path, terms, text, shown):
    record = service_record()
    record["service_at_locations"][0]["location"]["latitude"] = "@@"
    body = json.dumps([record]).replace('"@@"', text)
    report = load(write(tmp_path, body))
    [error] = report.rejected
    assert error.field == "service_at_locations[0].location.latitude"
    assert error.message == f"{shown} is not a finite number"
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("name", "value", "limit"), [("latitude", 100, 90), ("longitude", 500, 180)]
)
def test_coordinates_out_of_range_are_refused(tmp_path, terms, name, value, limit):
    record = service_record()
    location = record["service_at_locations"][0]["location"]
    location.update(latitude=53.5, longitude=-2.1)
    location[name] = value
    report = load(write(tmp_path, [record]))
    [error] = report.rejected
    assert error.field == f"service_at_locations[0].location.{name}"
    assert str(limit) in error.message
    assert not Location.objects.exists()


def test_a_huge_integer_is_reported_not_crashed_on(tmp_path, terms):
    body = json.dumps([service_record(minimum_age="@@")]).replace('"@@"', "9" * 5000)
    report = load(write(tmp_path, body))
    assert [e.field for e in report.rejected] == ["minimum_age"]


# The shapes ORUK accepts -----------------------------------------------------------------------


def test_a_single_service_object_is_accepted(tmp_path, terms):
    report = load(write(tmp_path, service_record()))
    assert report.created == [SERVICE_ID]


def test_a_list_of_organizations_with_services_is_accepted(tmp_path, terms):
    page = json.loads((EXAMPLES / "organization_list.json").read_text())
    report = load(write(tmp_path, page))
    assert not report.rejected and report.organizations == len(page["contents"])
    org = {
        "id": ORG_ID,
        "name": "Example interpreting",
        "description": "Test",
        "website": "https://example.org",
        "services": [{"id": SERVICE_ID, "name": "Interpreting", "status": "active"}],
    }
    report = load(write(tmp_path, [org], "orgs.json"))
    assert report.created == [SERVICE_ID] and not report.rejected
    assert Service.objects.get().organization_id is not None


def test_the_oruk_taxonomy_format_and_term_lists_are_accepted(tmp_path):
    report = load(EXAMPLES / "taxonomy.json")
    assert not report.rejected
    taxonomy = Taxonomy.objects.get()
    assert taxonomy.terms.count() == report.terms >= 1
    page = json.loads((EXAMPLES / "taxonomy_term_list.json").read_text())
    report = load(write(tmp_path, page))
    assert not report.rejected and report.terms == len(page["contents"])


def test_a_service_at_location_list_links_locations_without_dropping_others(tmp_path, terms):
    load(write(tmp_path, [service_record()]))
    link = {
        "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b30",
        "service": {"id": SERVICE_ID, "name": "Romani interpreting", "status": "active"},
        "location": {
            "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b31",
            "location_type": "virtual",
            "name": "Video calls",
        },
    }
    report = load(write(tmp_path, {"contents": [link]}, "sal.json"))
    assert not report.rejected
    assert ServiceAtLocation.objects.filter(service_id=SERVICE_ID).count() == 2
    assert Service.objects.get().phones.count() == 1


def test_two_letter_language_codes_are_mapped_to_iso_639_3(tmp_path, terms):
    record = service_record()
    record["languages"] = [
        {"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b03", "code": "pl"},
        {"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b40", "code": "UR"},
    ]
    report = load(write(tmp_path, [record]))
    assert not report.rejected
    assert list(Service.objects.get().languages.values_list("code", "name")) == [
        ("pol", "Polish"),
        ("urd", "Urdu"),
    ]
    assert [w.field for w in report.warnings] == ["languages[0].code", "languages[1].code"]


def test_a_url_without_a_scheme_is_repaired_with_a_warning(tmp_path, terms):
    report = load(write(tmp_path, [service_record(url="www.example.org/help")]))
    assert report.created == [SERVICE_ID]
    assert Service.objects.get().url == "https://www.example.org/help"
    [warning] = report.warnings
    assert warning.field == "url" and "no scheme" in warning.message


def test_neither_an_organization_nor_a_description_is_required(tmp_path, terms):
    record = service_record()
    del record["organization"], record["description"]
    report = load(write(tmp_path, [record]))
    assert report.created == [SERVICE_ID] and not report.rejected
    service = Service.objects.get()
    assert service.organization is None and service.description == ""
    assert "organization" not in service_oruk(service)
    assert not Organization.objects.exists()


def test_a_phone_with_languages_keeps_them(tmp_path, terms):
    record = service_record()
    record["phones"][0]["languages"] = [{"id": OTHER_ID, "code": "pl"}]
    load(write(tmp_path, [record]))
    assert Phone.objects.get().languages == [{"id": OTHER_ID, "code": "pol"}]


# Indexes after an import ---------------------------------------------------------------------


def _indexed(service: Service) -> tuple[bool, bool]:
    """(in Wagtail's search index, in its reference index as using its category)."""
    from wagtail.models import ReferenceIndex
    from wagtail.search.backends import get_search_backend

    found = get_search_backend().search("Romani interpreting", Service.objects.all())
    term = service.attributes.get().taxonomy_term
    used = ReferenceIndex.get_references_to(term).filter(object_id=str(service.pk)).exists()
    return [s.pk for s in found] == [service.pk], used


def _queued(callbacks) -> list[tuple[str, int]]:
    """The index tasks queued on commit: (kind, number of ids)."""
    return [(c.args[0], len(c.args[1])) for c in callbacks if isinstance(c, partial)]


def test_an_import_leaves_wagtail_search_and_reference_indexes_current_after_commit(
    tmp_path, terms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load(write(tmp_path, [service_record()]))
    # A task for the service, its organisation and its location (Celery eager in tests).
    assert _queued(callbacks) == [("service", 1), ("organization", 1), ("location", 1)]
    assert _indexed(Service.objects.get()) == (True, True)


def test_the_import_itself_leaves_the_wagtail_indexes_to_its_task(
    tmp_path, terms, django_capture_on_commit_callbacks
):
    from directory.tasks import import_indexes_refresh_task

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load(write(tmp_path, [service_record()]))
    service = Service.objects.get()
    assert _indexed(service) == (False, False)
    assert _queued(callbacks)[0] == ("service", 1)
    # What the worker runs: the task re-reads the ids it is given; twice changes nothing.
    for _ in range(2):
        assert import_indexes_refresh_task.apply(args=["service", [str(service.pk)]]).get() == 1
    assert _indexed(service) == (True, True)


def test_a_dry_run_queues_no_index_task(tmp_path, terms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        path = write(tmp_path, [service_record()])
        directory_import(batches=source_read(location=str(path)), dry_run=True)
    assert _queued(callbacks) == [] and not Service.objects.exists()


def test_a_large_import_queues_a_task_per_chunk(django_capture_on_commit_callbacks):
    from directory.services.search_document import INDEX_CHUNK, import_indexes_refresh_on_commit

    ids = [str(uuid.uuid4()) for _ in range(5000)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = import_indexes_refresh_on_commit(pending={Service: set(ids)})
    assert queued == len(callbacks) == 5000 // INDEX_CHUNK
    assert sorted(i for c in callbacks for i in c.args[1]) == sorted(ids)


def test_an_edit_outside_an_import_is_indexed_at_once(terms):
    from wagtail.search.backends import get_search_backend

    organization = Organization.objects.create(name="Kestrel Trust", description="")
    found = get_search_backend().search("Kestrel", Organization.objects.all())
    assert [o.pk for o in found] == [organization.pk]
