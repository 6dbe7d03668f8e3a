"""The search selector: relevance, every filter alone and combined, distance, open now."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext

from directory.models import ReviewStatus, ServiceStatus
from directory.selectors import Point, ServiceQuery, Sort, service_search, service_search_page
from directory.selectors.search import bounding_box
from directory.selectors.search_query import ServiceCard
from tests.directory.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
OLDHAM = Point(latitude=53.54151, longitude=-2.099824)  # OL1 1AA
MANCHESTER = Point(latitude=53.483487, longitude=-2.231182)  # M1 1AE, about 6 miles away
LONDON_SW1 = Point(latitude=51.50101, longitude=-0.141563)  # SW1A 1AA


def names(results) -> list[str]:
    return [service.name for service in results[0:100]]


def test_exact_name_match_ranks_first_even_when_others_mention_it_more():
    ServiceFactory(
        name="Family support helpline",
        description="Advocacy advocacy advocacy: we refer to Advocacy Plus often. Advocacy.",
    )
    ServiceFactory(name="Advocacy", description="Independent help for children.")
    results = service_search(query=ServiceQuery(text="advocacy"))
    assert names(results)[0] == "Advocacy"
    assert len(results) == 2


def test_text_search_matches_description_and_skips_unrelated():
    ServiceFactory(name="Return home interviews", description="Interviews after a missing episode.")
    ServiceFactory(name="Music club", description="Weekly guitar lessons.")
    assert names(service_search(query=ServiceQuery(text="missing episode"))) == [
        "Return home interviews"
    ]


def test_only_published_services_are_found():
    ServiceFactory(name="Draft advocacy", review_status=ReviewStatus.DRAFT)
    ServiceFactory(name="Archived advocacy", review_status=ReviewStatus.ARCHIVED)
    ServiceFactory(name="Live advocacy")
    assert names(service_search(query=ServiceQuery(text="advocacy"))) == ["Live advocacy"]
    assert names(service_search(query=ServiceQuery())) == ["Live advocacy"]


def test_category_filter_includes_sub_categories_of_a_parent():
    parent = TaxonomyTermFactory(term="missing-and-exploitation")
    child = TaxonomyTermFactory(
        term="return-home-interviews", parent=parent, taxonomy=parent.taxonomy
    )
    other = TaxonomyTermFactory(term="helplines", taxonomy=parent.taxonomy)
    ServiceFactory(name="RHI service", categories=[child])
    ServiceFactory(name="Helpline", categories=[other])
    assert names(service_search(query=ServiceQuery(categories=["return-home-interviews"]))) == [
        "RHI service"
    ]
    assert names(service_search(query=ServiceQuery(categories=["missing-and-exploitation"]))) == [
        "RHI service"
    ]


def test_language_filter_uses_iso_639_3_codes():
    ServiceFactory(name="Romani speakers", languages=["rom", "eng"])
    ServiceFactory(name="Polish speakers", languages=["pol"])
    assert names(service_search(query=ServiceQuery(language="rom"))) == ["Romani speakers"]


def test_age_filter_keeps_services_whose_range_includes_the_age():
    ServiceFactory(name="Under 11s", minimum_age=0, maximum_age=11)
    ServiceFactory(name="Teenagers", minimum_age=13, maximum_age=19)
    ServiceFactory(name="Everyone")
    assert names(service_search(query=ServiceQuery(age=15))) == ["Everyone", "Teenagers"]
    assert names(service_search(query=ServiceQuery(age=11))) == ["Everyone", "Under 11s"]


def test_area_filter():
    ServiceFactory(name="Oldham only", areas=["Oldham"])
    ServiceFactory(name="Rochdale only", areas=["Rochdale"])
    assert names(service_search(query=ServiceQuery(area="oldham"))) == ["Oldham only"]


def test_delivery_filter_matches_any_chosen_method():
    ServiceFactory(name="Phone line", delivers_by_phone=True)
    ServiceFactory(name="Drop in", delivers_in_person=True)
    ServiceFactory(name="Website", delivers_online=True)
    assert names(service_search(query=ServiceQuery(delivery=["phone"]))) == ["Phone line"]
    assert names(service_search(query=ServiceQuery(delivery=["phone", "online"]))) == [
        "Phone line",
        "Website",
    ]


def test_free_only_filter():
    ServiceFactory(name="Free", free=True)
    ServiceFactory(name="Charged", free=False)
    assert names(service_search(query=ServiceQuery(free_only=True))) == ["Free"]


WEEKDAYS_9_TO_5 = {
    "byday": "MO,TU,WE,TH,FR",
    "opens_at": datetime.time(9),
    "closes_at": datetime.time(17),
}


def test_open_now_at_a_frozen_weekday_time():
    ServiceFactory(name="Office hours", schedules=[WEEKDAYS_9_TO_5])
    ServiceFactory(
        name="Evenings",
        schedules=[
            {
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": datetime.time(18),
                "closes_at": datetime.time(22),
            }
        ],
    )
    ServiceFactory(name="No schedule")
    wednesday_10am = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)
    with time_machine.travel(wednesday_10am, tick=False):
        assert names(service_search(query=ServiceQuery(open_now=True))) == ["Office hours"]
    saturday_10am = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    with time_machine.travel(saturday_10am, tick=False):
        assert names(service_search(query=ServiceQuery(open_now=True))) == []


def test_open_now_handles_overnight_and_round_the_clock_schedules():
    ServiceFactory(
        name="Night line",
        schedules=[{"byday": "FR", "opens_at": datetime.time(22), "closes_at": datetime.time(6)}],
    )
    ServiceFactory(
        name="Always open",
        schedules=[
            {
                "byday": "MO,TU,WE,TH,FR,SA,SU",
                "opens_at": datetime.time(0),
                "closes_at": datetime.time(0),
            }
        ],
    )
    saturday_2am = datetime.datetime(2026, 11, 28, 2, 0, tzinfo=LONDON)
    query = ServiceQuery(open_now=True, at=saturday_2am)
    assert names(service_search(query=query)) == ["Always open", "Night line"]
    saturday_7am = datetime.datetime(2026, 11, 28, 7, 0, tzinfo=LONDON)
    assert names(service_search(query=ServiceQuery(open_now=True, at=saturday_7am))) == [
        "Always open"
    ]


def test_open_now_excludes_temporarily_closed_services():
    ServiceFactory(
        name="Closed for refurbishment",
        status=ServiceStatus.TEMPORARILY_CLOSED,
        schedules=[WEEKDAYS_9_TO_5],
    )
    at = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)
    assert names(service_search(query=ServiceQuery(open_now=True, at=at))) == []


def test_within_miles_keeps_nearby_services_and_orders_by_distance():
    ServiceFactory(
        name="Manchester",
        location=LocationFactory(latitude=MANCHESTER.latitude, longitude=MANCHESTER.longitude),
    )
    ServiceFactory(name="Oldham", location=LocationFactory())
    ServiceFactory(
        name="London",
        location=LocationFactory(latitude=LONDON_SW1.latitude, longitude=LONDON_SW1.longitude),
    )
    ServiceFactory(name="Phone only")
    query = ServiceQuery(near=OLDHAM, within_miles=10, sort=Sort.DISTANCE)
    results = list(service_search(query=query))
    assert [s.name for s in results] == ["Oldham", "Manchester"]
    assert results[0].distance < 0.1
    assert 5 < results[1].distance < 7


def test_distance_sort_without_limit_puts_services_without_location_last():
    ServiceFactory(
        name="London",
        location=LocationFactory(latitude=LONDON_SW1.latitude, longitude=LONDON_SW1.longitude),
    )
    ServiceFactory(name="Phone only")
    ServiceFactory(name="Oldham", location=LocationFactory())
    results = names(service_search(query=ServiceQuery(near=OLDHAM, sort=Sort.DISTANCE)))
    assert results == ["Oldham", "London", "Phone only"]


def test_confidential_locations_take_no_part_in_distance_search():
    refuge = LocationFactory(name="Refuge", confidential=True)
    ServiceFactory(name="Refuge service", location=refuge)
    results = list(service_search(query=ServiceQuery(near=OLDHAM, within_miles=5)))
    assert results == []
    unlimited = list(service_search(query=ServiceQuery(near=OLDHAM, sort=Sort.DISTANCE)))
    assert unlimited[0].distance is None


def test_filters_combine():
    term = TaxonomyTermFactory(term="interpreting")
    match = {"categories": [term], "languages": ["rom"], "minimum_age": 0, "maximum_age": 18}
    ServiceFactory(name="Match", delivers_by_phone=True, location=LocationFactory(), **match)
    ServiceFactory(
        name="Wrong language", categories=[term], languages=["pol"], location=LocationFactory()
    )
    ServiceFactory(
        name="Too far",
        location=LocationFactory(latitude=LONDON_SW1.latitude, longitude=LONDON_SW1.longitude),
        **match,
    )
    ServiceFactory(
        name="Charged", free=False, location=LocationFactory(), categories=[term], languages=["rom"]
    )
    query = ServiceQuery(
        text="support",
        categories=["interpreting"],
        language="rom",
        age=12,
        delivery=["phone"],
        free_only=True,
        near=OLDHAM,
        within_miles=25,
    )
    assert names(service_search(query=query)) == ["Match"]


def test_bounding_box_contains_the_circle():
    min_lat, max_lat, min_lng, max_lng = bounding_box(origin=OLDHAM, miles=10)
    assert min_lat < MANCHESTER.latitude < max_lat
    assert min_lng < MANCHESTER.longitude < max_lng
    assert not (min_lat < LONDON_SW1.latitude < max_lat)


def test_results_paginate_with_exact_match_head():
    ServiceFactory(name="Advocacy")
    for number in range(5):
        ServiceFactory(name=f"Advocacy team {number}")
    results = service_search(query=ServiceQuery(text="advocacy"))
    assert results.count() == 6
    assert [s.name for s in results[0:2]][0] == "Advocacy"
    assert len(results[0:2]) == 2
    assert len(results[2:4]) == 2
    assert len(results[4:10]) == 2
    assert len({s.pk for s in [*results[0:2], *results[2:4], *results[4:6]]}) == 6


def _page_query_count(query: ServiceQuery, *, number: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = service_search_page(query=query, number=number, per_page=5)
        [(s.organization_name, s.languages, s.first_phone) for s in page]
    return len(queries)


def test_a_page_of_results_costs_the_same_queries_however_many_match():
    # Text search too on PostgreSQL; SQLite's FTS5 path (Wagtail) is not held to this.
    query = ServiceQuery(text="advocacy" if connection.vendor == "postgresql" else "", age=12)
    ServiceFactory(name="Advocacy", languages=["rom"], phones=["0161 496 0000"])
    few = _page_query_count(query, number=1)
    for number in range(30):
        ServiceFactory(name=f"Advocacy team {number}", languages=["pol"], phones=["0161 496 0001"])
    assert _page_query_count(query, number=1) == few
    assert _page_query_count(query, number=3) == few


def test_search_page_numbers_past_the_end_give_the_last_page_and_bad_ones_the_first():
    for number in range(7):
        ServiceFactory(name=f"Helpline {number}")
    query = ServiceQuery(sort=Sort.NAME)
    last = service_search_page(query=query, number=99, per_page=5)
    assert last.number == 2 and last.paginator.count == 7
    assert [s.name for s in last] == ["Helpline 5", "Helpline 6"]
    first = service_search_page(query=query, number="abc", per_page=5)
    assert first.number == 1 and len(first) == 5 and first.paginator.count == 7
    middle = service_search_page(query=query, number=2, per_page=3)
    assert [s.name for s in middle] == ["Helpline 3", "Helpline 4", "Helpline 5"]
    assert middle.has_next() and middle.has_previous()
    assert (
        service_search_page(
            query=ServiceQuery(text="nothing"), number=1, per_page=5
        ).paginator.count
        == 0
    )


WEDNESDAY_10AM = datetime.datetime(2026, 11, 25, 10, tzinfo=LONDON)
PARITY_CASES = {
    "all": (ServiceQuery(), ["Advocacy", "Closed advocacy", "Family advocacy", "Youth support"]),
    "text-by-name": (
        ServiceQuery(text="advocacy", sort=Sort.NAME),
        ["Advocacy", "Closed advocacy", "Family advocacy"],
    ),
    "category-language-age": (
        ServiceQuery(categories=["missing"], language="ROM", age=12),
        ["Advocacy", "Family advocacy"],
    ),
    "area-delivery-free": (
        ServiceQuery(area="OLDHAM", delivery=["phone", "online"], free_only=True),
        ["Advocacy", "Closed advocacy"],
    ),
    "within-miles": (ServiceQuery(near=OLDHAM, within_miles=10), ["Advocacy", "Family advocacy"]),
    "text-by-distance": (
        ServiceQuery(text="children", near=OLDHAM, sort=Sort.DISTANCE),
        ["Advocacy", "Family advocacy", "Youth support", "Closed advocacy"],
    ),
    "open-now": (ServiceQuery(open_now=True, at=WEDNESDAY_10AM), ["Advocacy"]),
}


@pytest.mark.parametrize("case", PARITY_CASES)
def test_every_filter_and_order_gives_the_same_cards_on_either_database(case):
    # One ORM path on both databases: same services, same order.
    query, expected = PARITY_CASES[case]
    parent = TaxonomyTermFactory(term="missing")
    child = TaxonomyTermFactory(term="return-home", parent=parent, taxonomy=parent.taxonomy)
    manchester = LocationFactory(latitude=MANCHESTER.latitude, longitude=MANCHESTER.longitude)
    london = LocationFactory(latitude=LONDON_SW1.latitude, longitude=LONDON_SW1.longitude)
    ServiceFactory(
        name="Advocacy",
        categories=[child],
        languages=["rom"],
        minimum_age=10,
        areas=["Oldham"],
        delivers_by_phone=True,
        location=LocationFactory(),
        schedules=[WEEKDAYS_9_TO_5],
    )
    ServiceFactory(
        name="Family advocacy",
        categories=[parent],
        languages=["rom"],
        areas=["Oldham"],
        delivers_online=True,
        free=False,
        location=manchester,
    )
    ServiceFactory(
        name="Youth support", languages=["pol"], maximum_age=11, areas=["Bury"], location=london
    )
    ServiceFactory(
        name="Closed advocacy",
        status=ServiceStatus.TEMPORARILY_CLOSED,
        schedules=[WEEKDAYS_9_TO_5],
        delivers_by_phone=True,
        areas=["oldham"],
    )
    ServiceFactory(name="Draft advocacy", review_status=ReviewStatus.DRAFT)
    cards = list(service_search(query=query))
    assert [card.name for card in cards] == expected
    assert len(service_search(query=query)) == len(expected)


def test_relevance_puts_the_exact_name_first_and_finds_only_matches():
    ServiceFactory(name="Family advocacy", description="Advocacy for families.")
    ServiceFactory(name="Advocacy")
    ServiceFactory(name="Youth club")
    cards = list(service_search(query=ServiceQuery(text="advocacy")))
    assert [card.name for card in cards] == ["Advocacy", "Family advocacy"]


@pytest.mark.parametrize(
    "miles", [0.0, 0.04, 0.05, 0.15, 1.25, 2.349999, 2.35, 9.95, 10.0, 123.456]
)
def test_card_miles_read_as_the_floatformat_filter_would_show_them(miles):
    fields = dict.fromkeys(ServiceCard.__dataclass_fields__)
    card = ServiceCard(**{**fields, "languages": (), "distance": miles})
    assert card.miles == floatformat(miles, 1)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search document is PostgreSQL's"
)


@postgresql_only
def test_the_stored_search_document_follows_edits_to_the_organisation_category_and_area():
    term = TaxonomyTermFactory(term="befriending", name="Befriending")
    service = ServiceFactory(
        name="Lantern", description="Plain text.", categories=[term], areas=["Rochdale"]
    )
    assert names(service_search(query=ServiceQuery(text="befriending"))) == ["Lantern"]

    service.organization.name = "Kestrel Trust"
    service.organization.save()
    term.name = "Mentoring"
    term.save()
    service.service_areas.get(name="Rochdale").delete()

    assert names(service_search(query=ServiceQuery(text="kestrel"))) == ["Lantern"]
    assert names(service_search(query=ServiceQuery(text="mentoring"))) == ["Lantern"]
    assert names(service_search(query=ServiceQuery(text="befriending"))) == []
    assert names(service_search(query=ServiceQuery(text="rochdale"))) == []


@pytest.mark.parametrize(
    ("miles", "text"),
    [
        (0.02, "less than 0.1 miles"),
        (0.5, "0.5 miles"),
        (0.96, "1 mile"),
        (1.0, "1 mile"),
        (1.04, "1 mile"),
        (1.1, "1.1 miles"),
        (3.0, "3 miles"),
    ],
)
def test_card_distance_reads_one_mile_in_the_singular_and_every_other_in_the_plural(miles, text):
    fields = dict.fromkeys(ServiceCard.__dataclass_fields__)
    card = ServiceCard(**{**fields, "languages": (), "distance": miles})
    assert card.miles_text == text
