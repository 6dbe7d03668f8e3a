"""What practitioners type (issue 16): synonyms editors keep, phrases, -words, odd quotes, places,
national services; and the ORUK API's search and dates that used to be 500s."""

import pytest
from django.db import connection

from directory.models import SearchSynonym
from directory.selectors import FilterOptions, Point, ServiceQuery, Sort, service_search
from directory.selectors.filter_panel import filter_options, filter_options_changed
from directory.selectors.search_text import text_query_parse
from tests.directory.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/oruk"
OLDHAM = Point(latitude=53.54151, longitude=-2.099824)


def names(text: str, **query) -> list[str]:
    return [card.name for card in service_search(query=ServiceQuery(text=text, **query))[0:50]]


@pytest.fixture
def practitioners_directory():
    ServiceFactory(name="Language line", description="Face-to-face translation for families.")
    ServiceFactory(name="Travellers' support", description="Help for Romani families.")
    ServiceFactory(name="Young people's voice", description="An advocacy helpline.")
    ServiceFactory(name="Healthy minds", description="Mental health support for children.")
    ServiceFactory(name="Music club", description="Weekly guitar lessons for young people.")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("translator", "Language line"),
        ("translate", "Language line"),
        ("interpreter", "Language line"),
        ("Romany", "Travellers' support"),
        ("gypsy", "Travellers' support"),
        ("advocate", "Young people's voice"),
        ("CAMHS", "Healthy minds"),
    ],
)
def test_a_practitioners_word_finds_the_service_through_the_synonym_list(
    practitioners_directory, typed, found
):
    assert names(typed) == [found]


def test_synonyms_are_edited_in_the_admin_list_and_apply_at_once(practitioners_directory):
    assert names("guitar tuition") == []
    SearchSynonym.objects.create(terms="tuition, lessons")
    assert names("guitar tuition") == ["Music club"]


def test_a_quoted_phrase_matches_the_words_together_only():
    ServiceFactory(name="Return home", description="Interviews after a missing episode.")
    ServiceFactory(name="Other", description="An episode of care; missing out on school.")
    assert names('"missing episode"') == ["Return home"]
    assert sorted(names("missing episode")) == ["Other", "Return home"]


def test_a_minus_word_excludes_services_that_mention_it():
    ServiceFactory(name="Family help", description="Support for parents.")
    ServiceFactory(name="Family court help", description="Support in court for parents.")
    assert names("family -court") == ["Family help"]


@pytest.mark.parametrize("typed", ['"unclosed phrase', 'a "b" "c', '"', "-", '-"', "OR", "'"])
def test_odd_quotes_and_operators_never_fail(typed):
    ServiceFactory(name="Unclosed phrase service", description="An unclosed phrase here.")
    results = service_search(query=ServiceQuery(text=typed))
    assert isinstance(len(results), int)


def test_an_unclosed_quote_reads_as_a_phrase_to_the_end():
    query = text_query_parse(text='"mental health', synonyms=[])
    assert query.required == (("mental health",),)


def test_the_area_filter_lists_places_not_eligibility_sentences():
    ServiceFactory(areas=["Oldham", "Greater Manchester"])
    ServiceFactory(
        areas=["The service is available to all residents of the MyCity area. We provide it."]
    )
    filter_options_changed()
    options: FilterOptions = filter_options()
    assert options.areas == ("Greater Manchester", "Oldham")


def test_national_services_appear_in_distance_searches_marked_national():
    ServiceFactory(name="Local", location=LocationFactory())
    ServiceFactory(name="Far away", location=LocationFactory(latitude=51.5, longitude=-0.14))
    ServiceFactory(name="Childline", areas=["United Kingdom"])
    cards = list(
        service_search(query=ServiceQuery(near=OLDHAM, within_miles=5, sort=Sort.DISTANCE))[0:10]
    )
    assert [(c.name, c.national, c.distance is None) for c in cards] == [
        ("Local", False, False),
        ("Childline", True, True),
    ]


def test_the_search_page_shows_national_on_the_card(client):
    ServiceFactory(name="Childline", areas=["England"])
    html = client.get("/directory/", {"postcode": "OL1 1AA", "miles": "5"}).content.decode()
    assert "Childline" in html and "app-directory-national" in html


# The ORUK API -----------------------------------------------------------------------------------


def test_search_on_organizations_taxonomies_and_terms_answers_not_500(client):
    organization = OrganizationFactory(name="Kestrel Trust")
    ServiceFactory(organization=organization)
    ServiceFactory()
    term = TaxonomyTermFactory(name="Interpreting", term="interpreting")
    TaxonomyTermFactory(name="Youth work", term="youth")
    data = client.get(f"{API}/organizations", {"search": "kestrel"}).json()
    assert [o["name"] for o in data["contents"]] == ["Kestrel Trust"]
    data = client.get(f"{API}/taxonomies", {"search": term.taxonomy.name}).json()
    assert data["total_items"] >= 1
    data = client.get(f"{API}/taxonomy_terms", {"search": "interp"}).json()
    assert [t["name"] for t in data["contents"]] == ["Interpreting"]


@pytest.mark.parametrize("endpoint", ["services", "organizations", "taxonomy_terms"])
@pytest.mark.parametrize("typed", ['"odd', 'a "b" "c', '"'])
def test_an_odd_number_of_quotes_is_not_a_500(client, endpoint, typed):
    ServiceFactory()
    response = client.get(f"{API}/{endpoint}", {"search": typed})
    assert response.status_code == 200


@pytest.mark.parametrize("endpoint", ["services", "service_at_locations"])
def test_an_impossible_date_is_a_400_with_a_reason(client, endpoint):
    response = client.get(f"{API}/{endpoint}", {"modified_after": "2024-13-45"})
    assert response.status_code == 400
    assert response.json()["reason"].startswith("modified_after must be an ISO 8601 date")


def test_api_service_search_uses_the_synonyms(client, practitioners_directory):
    data = client.get(f"{API}/services", {"search": "translator"}).json()
    assert [s["name"] for s in data["contents"]] == ["Language line"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_stemming_finds_other_forms_of_a_word_on_postgresql():
    ServiceFactory(name="Counsel", description="Counselling for young carers.")
    assert names("counselled carer") == ["Counsel"]
