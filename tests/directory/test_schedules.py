"""Monthly opening times with numbered days (RFC 5545 / ORUK 3.0 byday "1MO", "-1TH")."""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from directory.models import Schedule, Service
from directory.models.validators import validate_byday
from directory.selectors import ServiceQuery, service_search
from directory.selectors.search import byday_tokens
from directory.services import directory_import, source_read
from directory.templatetags.directory_tags import schedule_days
from tests.directory.factories import ServiceFactory
from tests.directory.test_import_export import SERVICE_ID, run, service_record, terms  # noqa: F401

LONDON = zoneinfo.ZoneInfo("Europe/London")
LAST_THURSDAY_10_TO_12 = {
    "freq": "MONTHLY",
    "byday": "-1TH",
    "opens_at": datetime.time(10),
    "closes_at": datetime.time(12),
}


@pytest.mark.parametrize("value", ["-1TH", "1MO", "+2TU", "2TU,4TU", "1MO,-1FR", "MO,TU"])
def test_numbered_days_are_valid(value):
    validate_byday(value)


@pytest.mark.parametrize("value", ["6MO", "0MO", "-6TH", "1XX", "TH-1", "", "MO,,1"])
def test_malformed_days_are_rejected_with_a_helpful_message(value):
    with pytest.raises(ValidationError, match="-1TH the last Thursday"):
        validate_byday(value)


def test_byday_tokens_count_occurrences_from_both_ends_of_the_month():
    assert byday_tokens(day=datetime.date(2026, 11, 26)) == ("TH", "4TH", "-1TH")
    assert byday_tokens(day=datetime.date(2026, 11, 19)) == ("TH", "3TH", "-2TH")
    assert byday_tokens(day=datetime.date(2026, 11, 2)) == ("MO", "1MO", "-5MO")
    assert byday_tokens(day=datetime.date(2026, 2, 28)) == ("SA", "4SA", "-1SA")


@pytest.mark.django_db
def test_a_numbered_day_needs_the_monthly_frequency():
    service = ServiceFactory()
    weekly = Schedule(service=service, freq="WEEKLY", byday="-1TH")
    with pytest.raises(ValidationError) as error:
        weekly.full_clean()
    assert "monthly" in str(error.value.message_dict["byday"])
    Schedule(service=service, freq="MONTHLY", byday="-1TH").full_clean()


@pytest.mark.django_db
def test_open_now_finds_a_last_thursday_session_only_on_the_last_thursday():
    ServiceFactory(name="Drop-in", schedules=[LAST_THURSDAY_10_TO_12])
    ServiceFactory(
        name="First Monday clinic",
        schedules=[{**LAST_THURSDAY_10_TO_12, "byday": "1MO"}],
    )

    def open_at(*args):
        at = datetime.datetime(*args, tzinfo=LONDON)
        return [s.name for s in service_search(query=ServiceQuery(open_now=True, at=at))[0:10]]

    assert open_at(2026, 11, 26, 11, 0) == ["Drop-in"]  # the last Thursday of November
    assert open_at(2026, 11, 19, 11, 0) == []  # the third Thursday, not the last
    assert open_at(2026, 11, 26, 12, 30) == []  # after closing
    assert open_at(2026, 11, 2, 10, 30) == ["First Monday clinic"]
    assert open_at(2026, 11, 9, 10, 30) == []


@pytest.mark.django_db
def test_weekly_thursday_is_not_confused_with_a_numbered_thursday():
    ServiceFactory(
        name="Every Thursday",
        schedules=[{"byday": "TH", "opens_at": datetime.time(9), "closes_at": datetime.time(17)}],
    )
    ServiceFactory(name="Second Thursday", schedules=[{**LAST_THURSDAY_10_TO_12, "byday": "2TH"}])
    at = datetime.datetime(2026, 11, 26, 11, 0, tzinfo=LONDON)
    assert [s.name for s in service_search(query=ServiceQuery(open_now=True, at=at))[0:10]] == [
        "Every Thursday"
    ]


@pytest.mark.parametrize(
    ("freq", "byday", "label"),
    [
        ("MONTHLY", "-1TH", "Last Thursday of the month"),
        ("MONTHLY", "1MO,3MO", "First and third Monday of the month"),
        ("MONTHLY", "1MO,-1FR", "First Monday and last Friday of the month"),
        ("MONTHLY", "-2WE", "Second to last Wednesday of the month"),
        ("MONTHLY", "TU", "Every Tuesday"),
        ("WEEKLY", "MO,TU,WE,TH,FR", "Monday to Friday"),
    ],
)
def test_schedule_days_reads_as_plain_english(freq, byday, label):
    assert schedule_days(SimpleNamespace(freq=freq, byday=byday)) == label


@pytest.mark.django_db
def test_service_page_shows_a_monthly_session(client):
    service = ServiceFactory(schedules=[LAST_THURSDAY_10_TO_12])
    html = client.get(service.get_absolute_url()).content.decode()
    assert "Last Thursday of the month, 10am to midday" in html


@pytest.mark.django_db
def test_oruk_import_accepts_monthly_numbered_days_and_round_trips(terms):  # noqa: F811
    schedule = {
        "id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b21",
        "freq": "MONTHLY",
        "byday": "-1TH",
        "opens_at": "10:00",
        "closes_at": "12:00",
    }
    report = run([service_record(schedules=[schedule])])
    assert report.created == [SERVICE_ID], [str(e) for e in report.rejected]
    stored = Service.objects.get(pk=SERVICE_ID).schedules.get()
    assert (stored.freq, stored.byday) == ("MONTHLY", "-1TH")
    assert run([service_record(schedules=[schedule])]).unchanged == [SERVICE_ID]


@pytest.mark.django_db
def test_oruk_import_rejects_a_numbered_day_in_a_weekly_rule(terms):  # noqa: F811
    schedule = {"id": "8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b22", "freq": "WEEKLY", "byday": "1MO"}
    report = run([service_record(schedules=[schedule])])
    assert [e.field for e in report.rejected] == ["schedules[0].byday"]
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_csv_opening_hours_with_a_numbered_day_import_as_monthly(tmp_path, terms):  # noqa: F811
    path = tmp_path / "services.csv"
    path.write_text(
        "id,name,description,organization_id,organization_name,organization_description,"
        "categories,opening_hours\n"
        f"{SERVICE_ID},Drop-in,Helps,8b0c7c1e-0a54-4c4e-9a1f-2f4c2d1a0b02,Org,Desc,helplines,"
        '"-1TH 10:00-12:00;MO,TU 09:00-17:00"\n'
    )
    report = directory_import(batches=source_read(location=str(path)))
    assert report.created == [SERVICE_ID], [str(e) for e in report.rejected]
    schedules = Service.objects.get(pk=SERVICE_ID).schedules.order_by("sort_order")
    assert [(s.freq, s.byday) for s in schedules] == [("MONTHLY", "-1TH"), ("WEEKLY", "MO,TU")]
