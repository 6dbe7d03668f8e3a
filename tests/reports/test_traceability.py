"""Loading content/traceability.yaml, the assurance matrix built from it and its page."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import ReviewLink, ReviewReference
from reports.selectors.scope import ReportFilters
from reports.selectors.summary import percent
from reports.selectors.traceability import traceability_matrix
from reports.services.traceability import TraceabilityError, traceability_load
from tests.accounts.factories import UserFactory
from tests.events.factories import EventPageFactory
from tests.reports.factories import complete, enrol
from tests.scenarios.factories import scenario_create

YAML = """
LP1:
  title: Missing episodes are risk signals
  courses: [{course}]
  modules: [{course}/{module}]
  scenario_decisions: [jade/first-call]
  features: [Refresher reminders]
R4:
  title: Return home interviews
  courses: []
  modules: [{course}/{module}]
"""


@pytest.fixture
def loaded(world, tmp_path):
    path = tmp_path / "traceability.yaml"
    path.write_text(YAML.format(course=world.course.slug, module=world.m1.slug))
    traceability_load(path=path)
    return path


def test_load_is_idempotent(loaded):
    traceability_load(path=loaded)
    assert list(ReviewReference.objects.values_list("code", flat=True)) == ["LP1", "R4"]
    assert ReviewLink.objects.count() == 5


def test_matrix_counts_practitioners_per_agency_who_completed(loaded, world):
    agencies, rows = traceability_matrix(viewer=world.admin, filters=ReportFilters())
    lp1, r4 = rows
    assert [c.title for c in lp1.courses] == ["Missing children"]
    assert lp1.courses[0].whole_course and [m.title for m in lp1.courses[0].modules] == [
        world.m1.title
    ]
    assert lp1.features == ["Refresher reminders"]
    assert lp1.unresolved == ["jade/first-call"]  # no such scenario loaded
    # LP1: valid course completions (a1; b1, b2) or module 1 completed (a1 again).
    assert lp1.completed == {world.police.pk: 1, world.health.pk: 2}
    assert r4.completed == {world.police.pk: 1, world.health.pk: 0}
    # Published for the scope: 3 of 30 staff would single people out, so it is suppressed.
    assert (lp1.coverage.completed, lp1.coverage.headcount, lp1.coverage.registered) == (
        "fewer than 5",
        30,
        9,
    )
    assert lp1.coverage.headcount_percent is None
    _, lead_rows = traceability_matrix(viewer=world.police_lead, filters=ReportFilters())
    assert lead_rows[0].completed == {world.police.pk: 1}


def test_page_shows_a_card_per_reference_with_links_denominators_and_no_keys(client, world, loaded):
    scenario = scenario_create()  # "jade", whose decision "first-call" serves LP1
    event = EventPageFactory(title="Missing from care workshop", learning_points=["LP1"])
    for name in ("Hill", "Irwin"):  # two more in health: LP1 reaches 5, published as it is
        person = UserFactory(agency=world.health, last_name=name)
        complete(enrol(person, world.course, "2026-04-01"), "2026-04-02")
    client.force_login(world.admin)
    html = client.get(reverse("reports:traceability")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select(".govuk-summary-card")
    assert len(cards) == 2
    # One short overview table (two columns, a row per reference linking to its card), not
    # the old 12-column matrix.
    (overview,) = soup.select("main table")
    rows = overview.select("tbody tr")
    assert [row.a["href"] for row in rows] == [f"#{card['id']}" for card in cards]
    assert [" ".join(row.td.get_text(" ").split()) for row in rows] == [
        "5 of 30 (17%)",
        "Fewer than 5",
    ]
    assert len(overview.select("thead th")) == 2
    lp1 = " ".join(cards[0].get_text(" ").split())
    assert "5 of 30 staff, 17%" in lp1 and "5 of 11 registered learners, 45%" in lp1
    links = {a.get_text(strip=True): a["href"] for a in cards[0].select("a")}
    assert links["Missing children"] == world.course.url
    assert links[world.m1.title] == world.m1.url
    assert links[scenario.title] == reverse("scenarios:detail", args=[scenario.slug])
    assert links[event.title] == event.url
    assert "first-call" not in html  # no internal decision keys
    r4 = " ".join(cards[1].get_text(" ").split())
    assert "Fewer than 5 of 30 staff" in r4 and "staff," not in r4  # no percentage either


def test_agency_filter_narrows_the_figures_and_keeps_leads_to_their_agency(client, world, loaded):
    client.force_login(world.admin)
    url = reverse("reports:traceability")
    page = client.get(url, {"agency": world.police.pk}).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("main h2.govuk-heading-l").get_text(strip=True) == "Police"
    assert "Fewer than 5 of 10 staff" in " ".join(soup.get_text(" ").split())
    assert soup.select_one("select#id_agency option[selected]")["value"] == str(world.police.pk)
    client.force_login(world.police_lead)
    assert client.get(url, {"agency": world.health.pk}).status_code == 404
    lead_page = client.get(url).content.decode()
    assert "of 10 staff" in lead_page and 'id="id_agency"' not in lead_page


def test_bad_files_change_nothing_and_say_why(loaded, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("R99: {title: nope}\n")
    with pytest.raises(TraceabilityError, match="Unknown review references: R99"):
        traceability_load(path=bad)
    assert ReviewReference.objects.count() == 2
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_traceability", path=str(tmp_path / "missing.yaml"))


def test_page_explains_when_nothing_is_loaded(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("reports:traceability")).content.decode()
    assert "The traceability map has not been loaded yet" in page


def test_the_partnerships_traceability_file_loads(db):
    assert traceability_load() == 15
    assert list(ReviewReference.objects.values_list("code", flat=True)) == [
        *(f"LP{n}" for n in range(1, 5)),
        *(f"R{n}" for n in range(1, 12)),
    ]
    assert ReviewReference.objects.get(code="LP1").title.startswith("Multi-agency working")
    assert ReviewLink.objects.filter(reference__code="LP1", kind="decision").exists()


def test_small_percentages_keep_one_decimal_place_instead_of_showing_zero():
    assert (percent(16, 3925), percent(6, 1040)) == (0.4, 0.6)
    assert (percent(5, 30), percent(0, 30)) == (17, 0)
    assert percent(3, 0) is None
