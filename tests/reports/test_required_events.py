"""Required training events in the lead's and the partnership's reports (due, overdue, met)."""

import io

import pytest
import time_machine
from pypdf import PdfReader

from reports.selectors.requirements import other_requirement_figures
from reports.selectors.scope import ReportFilters
from reports.selectors.staff import staff_statuses
from reports.selectors.tables import report_table
from tests.events.requirement_world import NOW, requirement_world
from tests.reports.factories import admin, lead_of

pytestmark = pytest.mark.django_db

TITLE = "One of: Missing children across agencies; Reflective supervision (every 36 months)"


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield requirement_world()


def _counts(row):
    return (row.group_label, row.required, row.met, row.due, row.overdue, row.refresher_due)


def test_partnership_figures_count_who_must_attend_has_attended_or_is_overdue(world):
    rows = other_requirement_figures(viewer=admin(), filters=ReportFilters(), group_by="agency")

    # Police: met (Adams), due (Clark), overdue (Baker; Evans did not attend), lapsed (Davies).
    # Health's nurse attended, but the rule is not for health: no row.
    assert [(_counts(r), r.title) for r in rows] == [(("Police", 5, 1, 1, 2, 1), TITLE)]
    assert rows[0].coverage == 20.0


def test_a_lead_counts_only_their_own_agency(world):
    health_lead = lead_of(world.health)
    police_lead = lead_of(world.police)

    assert other_requirement_figures(viewer=health_lead, filters=ReportFilters()) == []
    [row] = other_requirement_figures(viewer=police_lead, filters=ReportFilters())
    # The lead counts too: police, joined today, so due in 6 months.
    assert _counts(row)[1:] == (6, 1, 2, 2, 1)


def test_the_staff_list_shows_each_persons_standing_on_the_required_event(world):
    w = world
    lead = lead_of(w.police)
    staff = {s.user_id: s for s in staff_statuses(viewer=lead, filters=ReportFilters())}

    assert staff[w.met.pk].courses == {"completed": [TITLE]}
    assert staff[w.overdue.pk].courses == {"overdue": [TITLE]}
    assert staff[w.due.pk].courses == {"due": [TITLE]}
    assert staff[w.lapsed.pk].courses == {"refresher_due": [TITLE]}
    assert staff[w.no_show.pk].status_label == "Overdue"


def test_the_agency_dashboard_and_its_export_show_the_required_events_table(client, world):
    lead = lead_of(world.police)
    client.force_login(lead)

    with time_machine.travel(NOW, tick=False):
        page = client.get("/reports/")
        csv = client.get("/reports/export/required_events.csv", {"group_by": "agency"})

    text = page.content.decode()
    assert "Required training events" in text and TITLE in text
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Agency,Requirement,Required,Met,Due,Overdue,Refresher due")
    assert lines[1] == f"Police,{TITLE},6,1,2,2,1,16.7"


def test_the_partnership_dashboard_breaks_required_events_down_by_sector(world):
    with time_machine.travel(NOW, tick=False):
        table = report_table(
            name="required_events", viewer=admin(), filters=ReportFilters(group_by="sector")
        )
    assert [row[:7] for row in table.rows] == [["Police", TITLE, 5, 1, 1, 2, 1]]


def test_the_board_pdf_counts_required_training_events(client, world):
    client.force_login(admin())
    with time_machine.travel(NOW, tick=False):
        response = client.get("/reports/assurance-report.pdf")

    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Required training events" in text
    assert "Met: attended one of the events within its renewal period" in text
