"""Who may see what: leads see only their agency, whatever they type into a URL."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from reports.models import StaffReminder
from reports.selectors.figures import course_figures
from reports.selectors.scope import ReportFilters
from tests.accounts.factories import UserFactory


@pytest.mark.parametrize("roles", [[Role.LEARNER], [Role.TRAINER], []])
def test_learners_and_trainers_get_403(client, world, roles):
    client.force_login(UserFactory(agency=world.police, roles=roles))
    for name in ("reports:dashboard", "reports:insight", "reports:traceability", "reports:pdf"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("reports:export_csv", args=["figures"])).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, world):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_lead_dashboard_shows_only_their_agency(client, world):
    client.force_login(world.police_lead)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.people.a5.email in html
    assert world.people.b1.email not in html and world.people.b2.email not in html
    teams = {row[0] for row in response.context["tables"]["breakdown"].rows}
    police_teams = set(world.police.teams.values_list("name", flat=True))
    assert teams and teams <= police_teams | {"No team"}
    rows = response.context["tables"]["figures"].rows
    assert rows[0][2:8] == [6, 4, 1, 1, 2, 1]  # police only


def test_lead_selector_scope_never_includes_other_agencies(world):
    rows = course_figures(viewer=world.police_lead, filters=ReportFilters(), group_by="agency")
    assert {r.group_label for r in rows} == {"Police"}


@pytest.mark.parametrize(
    "url",
    [
        "/reports/agencies/{other}/",
        "/reports/export/staff.csv?agency={other}",
        "/reports/export/figures.xlsx?agency={other}",
        "/reports/export/breakdown.csv?agency={other}&group_by=team",
        "/reports/insight/?agency={other}",
        "/reports/assurance-report.pdf?agency={other}",
    ],
)
def test_lead_editing_urls_gets_404_for_another_agency(client, world, url):
    client.force_login(world.police_lead)
    assert client.get(url.format(other=world.health.pk)).status_code == 404


def test_lead_cannot_remind_another_agencys_staff(client, world, mailoutbox):
    client.force_login(world.police_lead)
    url = reverse("reports:remind", args=[world.police.pk])
    response = client.post(url, {"staff": [world.people.a5.pk, world.people.b1.pk]})
    assert response.status_code == 302
    assert not StaffReminder.objects.exists()
    other = reverse("reports:remind", args=[world.health.pk])
    assert client.post(other, {"staff": [world.people.b1.pk]}).status_code == 404
    assert not StaffReminder.objects.exists()


def test_partnership_admin_sees_every_agency_and_each_staff_list(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports:dashboard"), {"group_by": "agency"})
    assert {row[0] for row in response.context["tables"]["breakdown"].rows} == {
        "Police",
        "Health",
    }
    response = client.get(reverse("reports:agency", args=[world.health.pk]))
    assert world.people.b2.email in response.content.decode()


def test_staff_export_without_an_agency_is_a_clear_400_for_admins(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports:export_csv", args=["staff"]))
    assert response.status_code == 400
    assert response.json()["error"] == "Choose one agency to list its staff."


def test_invalid_filters_give_a_form_error_on_screen_and_400_on_export(client, world):
    client.force_login(world.admin)
    bad = {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    response = client.get(reverse("reports:dashboard"), bad)
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date." in response.content.decode()
    response = client.get(reverse("reports:export_csv", args=["figures"]), bad)
    assert response.status_code == 400
    assert "date_to" in response.json()["fields"]
