"""Public pages: search (no JavaScript needed), service page, print view, report a problem."""

import datetime

import pytest
from django.utils import timezone

from directory.models import CostOption, Phone, ProblemReport, ReviewStatus
from tests.directory.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def test_search_page_lists_services_and_keeps_filters_in_the_url(client):
    term = TaxonomyTermFactory(term="interpreting-and-translation", name="Interpreting")
    ServiceFactory(name="Romani interpreters", categories=[term], languages=["rom"])
    ServiceFactory(name="Polish interpreters", categories=[term], languages=["pol"])
    response = client.get("/directory/", {"q": "interpreters", "language": "rom"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 service found" in html
    assert "Romani interpreters" in html and "Polish interpreters" not in html
    assert '<option value="rom" selected>' in html
    assert 'name="category"' in html and 'value="interpreting-and-translation"' in html


def test_search_page_has_no_inline_script_or_style_beyond_the_nonce(client):
    ServiceFactory()
    response = client.get("/directory/")
    html = response.content.decode()
    assert "style=" not in html
    assert html.count("<script") == html.count("nonce=") + html.count('type="module" src=')
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_unknown_postcode_is_a_form_error_not_a_crash(client):
    response = client.get("/directory/", {"postcode": "OL1 0AA", "miles": "5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "could not find the postcode OL1 0AA" in html
    assert 'href="#id_postcode"' in html


def test_distance_without_postcode_is_a_form_error(client):
    html = client.get("/directory/", {"miles": "5"}).content.decode()
    assert "Enter a postcode to search by distance" in html


def test_bad_age_is_a_form_error(client):
    html = client.get("/directory/", {"age": "teen"}).content.decode()
    assert "Enter the age as a whole number" in html


def test_postcode_search_shows_distance_and_sorts_nearest_first(client):
    ServiceFactory(
        name="Far away", location=LocationFactory(latitude=51.50101, longitude=-0.141563)
    )
    ServiceFactory(name="Next door", location=LocationFactory())
    html = client.get("/directory/", {"postcode": "ol1 1aa"}).content.decode()
    assert html.index("Next door") < html.index("Far away")
    assert "less than 0.1 miles away" in html


def test_pagination_links_keep_the_filters(client):
    for number in range(25):
        ServiceFactory(name=f"Helpline {number:02d}", free=True)
    html = client.get("/directory/", {"free": "on"}).content.decode()
    assert "free=on&amp;page=2" in html
    page2 = client.get("/directory/", {"free": "on", "page": "2"}).content.decode()
    assert "Helpline 24" in page2 and "Helpline 00" not in page2


def test_demo_entries_show_a_demo_data_tag(client):
    demo = TaxonomyTermFactory(term="demo-data", name="Demo data")
    ServiceFactory(name="Illustrative service", categories=[demo])
    ServiceFactory(name="Real service")
    html = client.get("/directory/").content.decode()
    assert html.count(">Demo data</strong>") == 1


def test_service_page_has_what_a_practitioner_needs_to_refer(client):
    service = ServiceFactory(
        name="Return home interviews",
        how_to_refer="Email the referral form.",
        minimum_age=10,
        maximum_age=17,
        languages=["rom"],
        phones=["0161 496 0000"],
        schedules=[
            {
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": datetime.time(9),
                "closes_at": datetime.time(17, 30),
            }
        ],
        location=LocationFactory(address_1="1 West Street", postal_code="OL1 1AA"),
    )
    html = client.get(service.get_absolute_url()).content.decode()
    for text in (
        "How to refer",
        "Email the referral form.",
        "10 to 17",
        "Romany",
        "0161 496 0000",
        "Monday to Friday, 9am to 5:30pm",
        "1 West Street",
        "Last checked",
        "Report a problem with this entry",
        "Printable version",
    ):
        assert text in html, text


def test_stale_entry_is_marked_on_its_page(client):
    old = timezone.localdate() - datetime.timedelta(days=400)
    stale = ServiceFactory(assured_date=old)
    fresh = ServiceFactory()
    assert (
        "not been checked for over 12 months"
        in client.get(stale.get_absolute_url()).content.decode()
    )
    assert "not been checked" not in client.get(fresh.get_absolute_url()).content.decode()


def test_confidential_address_is_not_on_the_service_page(client):
    refuge = LocationFactory(
        name="Secret refuge", address_1="7 Hidden Road", postal_code="OL1 1AD", confidential=True
    )
    service = ServiceFactory(location=refuge)
    for url in (service.get_absolute_url(), f"{service.get_absolute_url()}print/"):
        html = client.get(url).content.decode()
        assert "Hidden Road" not in html and "OL1 1AD" not in html and "Secret refuge" not in html
        assert "The address is confidential" in html


def test_print_view_drops_the_report_link(client):
    service = ServiceFactory()
    html = client.get(f"{service.get_absolute_url()}print/").content.decode()
    assert service.name in html
    assert "Report a problem with this entry" not in html


def test_unpublished_service_pages_are_404(client):
    draft = ServiceFactory(review_status=ReviewStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"{draft.get_absolute_url()}report/").status_code == 404


def test_report_a_problem_creates_a_review_task_then_confirms(client):
    service = ServiceFactory()
    url = f"{service.get_absolute_url()}report/"
    response = client.post(url, {"description": "The phone number is out of date.", "email": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/report/done/")
    report = ProblemReport.objects.get()
    assert report.service == service and report.status == "open"
    assert "Report sent" in client.get(response["Location"]).content.decode()


def test_report_a_problem_with_no_description_is_a_form_error(client):
    service = ServiceFactory()
    response = client.post(
        f"{service.get_absolute_url()}report/", {"description": " ", "email": "bad"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Describe what is wrong with this entry" in html
    assert "Enter an email address in the correct format" in html
    assert not ProblemReport.objects.exists()


def test_report_a_problem_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    service = ServiceFactory()
    response = strict.post(f"{service.get_absolute_url()}report/", {"description": "Wrong"})
    assert response.status_code == 403
    assert not ProblemReport.objects.exists()


def test_result_card_shows_languages_in_order_and_only_the_first_phone(client):
    from directory.models import Language, Phone

    service = ServiceFactory(name="Family advocacy")
    Language.objects.create(service=service, code="pol", sort_order=1)
    Language.objects.create(service=service, code="rom", sort_order=0)
    Phone.objects.create(service=service, number="0161 496 0002", sort_order=1)
    Phone.objects.create(service=service, number="0161 496 0001", sort_order=0)
    ServiceFactory(name="Family support")  # no languages or phones: those rows are left out
    html = client.get("/directory/", {"q": "family"}).content.decode()
    assert "Romany, Polish" in html
    assert "0161 496 0001" in html and "0161 496 0002" not in html
    assert html.count("Languages</dt>") == 1 and html.count("Phone</dt>") == 1


def test_a_result_card_shows_what_a_practitioner_needs_to_choose(client):
    demo = TaxonomyTermFactory(term="demo-data", name="Demo data")
    service = ServiceFactory(
        name="Romani advocacy",
        organization__name="Oldham Roma Project",
        description=" ".join(f"word{n}" for n in range(50)),
        status="temporarily closed",
        minimum_age=5,
        maximum_age=18,
        languages=["rom", "ces"],
        categories=[demo],
        location=LocationFactory(),
    )
    Phone.objects.create(service=service, number="0161 496 0999", sort_order=1)
    Phone.objects.create(service=service, number="0161 496 0000", sort_order=0)
    html = client.get("/directory/", {"q": "advocacy", "postcode": "OL1 1AA"}).content.decode()
    assert f'href="/directory/services/{service.pk}/">Romani advocacy</a>' in html
    assert "Oldham Roma Project · " in html and "less than 0.1 miles away" in html
    assert ">Temporarily closed</strong>" in html
    assert "word39 …</p>" in html and "word40" not in html
    assert ">5 to 18</dd>" in html
    # Languages keep their editor's order; these factory rows have none, so either order.
    assert ">Romany, Czech</dd>" in html or ">Czech, Romany</dd>" in html
    assert ">0161 496 0000</dd>" in html and "0161 496 0999" not in html
    assert ">Demo data</strong>" in html


def test_a_card_for_a_service_with_only_a_confidential_address_shows_no_distance(client):
    refuge = LocationFactory(name="Refuge", address_1="1 Secret Street", confidential=True)
    ServiceFactory(name="Refuge service", location=refuge)
    html = client.get("/directory/", {"postcode": "OL1 1AA"}).content.decode()
    assert "Refuge service" in html
    assert "miles away" not in html and "Secret Street" not in html
    near = client.get("/directory/", {"postcode": "OL1 1AA", "miles": "5"}).content.decode()
    assert "0 services found" in near and "Refuge service" not in near


def test_filter_panel_keeps_choices_ticked_opens_their_category_and_escapes_names(client):
    parent = TaxonomyTermFactory(term="missing", name="Missing <children>")
    TaxonomyTermFactory(term="return-home", name="Return home", parent=parent)
    TaxonomyTermFactory(term="youth", name="Youth work")
    ServiceFactory(areas=["A" * 70], delivers_by_phone=True)
    html = client.get(
        "/directory/", {"category": "return-home", "delivery": "phone", "area": "A" * 70}
    ).content.decode()
    # Two category groups, the chosen one open; the "Filter services" fold stays closed.
    assert html.count("<details") == 3 and html.count(" open>") == 1
    assert '<details class="govuk-details app-directory-filters">' in html
    assert "Missing &lt;children&gt;" in html and "Any missing &lt;children&gt;" in html
    assert (
        'id="id_category_return-home" name="category" type="checkbox" value="return-home" checked>'
        in html
    )
    assert 'value="youth">' in html
    assert 'value="phone" checked>' in html and 'value="online">' in html
    assert f'<option value="{"A" * 70}" selected>{"A" * 59}…</option>' in html


def test_pagination_links_previous_next_and_current_page(client):
    for number in range(45):
        ServiceFactory(name=f"Helpline {number:02d}")
    html = client.get("/directory/", {"page": "2"}).content.decode()
    assert 'href="?page=1" rel="prev"' in html and 'href="?page=3" rel="next"' in html
    assert 'href="?page=2" aria-label="Page 2" aria-current="page">2</a>' in html
    filtered = client.get("/directory/", {"page": "3", "q": "helpline"}).content.decode()
    assert 'href="?q=helpline&amp;page=2" rel="prev"' in filtered and 'rel="next"' not in filtered


def test_card_values_are_escaped(client):
    ServiceFactory(
        name='<script>alert("x")</script> advocacy',
        organization__name="Smith & <b>Sons</b>",
        description="Tea & <i>biscuits</i>",
        phones=["0161 496 0000"],
    )
    html = client.get("/directory/", {"q": "advocacy"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)" in html
    assert "Smith &amp; &lt;b&gt;Sons&lt;/b&gt;" in html and "Tea &amp; &lt;i&gt;biscuits" in html


def test_the_within_list_says_1_mile_not_1_miles(client):
    html = client.get("/directory/").content.decode()
    assert '<option value="1">1 mile</option>' in html
    assert "1 miles" not in html
    assert '<option value="3">3 miles</option>' in html


def test_a_card_one_mile_away_says_1_mile(client):
    # One mile north of the factory's OL1 1AA location: a mile is 1/69.05 of a degree of latitude.
    ServiceFactory(name="Up the road", location=LocationFactory(latitude=53.54151 + 1 / 69.05))
    html = client.get("/directory/", {"postcode": "OL1 1AA"}).content.decode()
    assert "1 mile away" in html and "1 miles" not in html


def test_the_area_filter_offers_places_and_leaves_out_sentences(client):
    from directory.selectors import filter_options_changed

    ServiceFactory(areas=["Oldham", "Greater Manchester"])
    ServiceFactory(areas=["Open to all residents of the borough. Call us to check."])
    filter_options_changed()
    html = client.get("/directory/").content.decode()
    start = html.index('id="id_area"')
    area_select = html[start : html.index("</select>", start)]
    assert ">Oldham</option>" in area_select and ">Greater Manchester</option>" in area_select
    assert "residents" not in area_select


def test_each_cost_option_is_its_own_item_on_the_service_page(client):
    service = ServiceFactory(name="Family mediation", free=False, fees="Ask about reductions.")
    CostOption.objects.create(
        service=service, option="Per session", amount=30, amount_description="per family"
    )
    CostOption.objects.create(service=service, option="Assessment", amount=0)
    html = client.get(f"/directory/services/{service.pk}/").content.decode()
    assert "<li>Per session: £30.00 (per family)</li>" in html
    assert "<li>Assessment: free</li>" in html
    assert '<p class="govuk-body">Ask about reductions.</p>' in html


def test_the_filters_fold_into_a_filter_services_details_before_the_results(client):
    ServiceFactory(name="Youth club")
    html = client.get("/directory/").content.decode()
    assert '<details class="govuk-details app-directory-filters">' in html
    assert html.index(">Filter services<") < html.index("Youth club")
    errors = client.get("/directory/", {"age": "teen"}).content.decode()
    assert '<details class="govuk-details app-directory-filters" open>' in errors
