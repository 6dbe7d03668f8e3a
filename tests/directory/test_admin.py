"""Wagtail admin editing: permissions, validation, stale marker, problem reports, warnings."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.utils import timezone

from accounts.roles import Role
from directory.models import Location, ProblemReport
from directory.wagtail_hooks import _warn_about_links
from tests.accounts.factories import UserFactory, give_totp
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    from django.contrib.auth.models import Group

    user = UserFactory(roles=[])
    user.groups.add(Group.objects.get(name="Directory editor"))
    give_totp(user)  # editors are privileged: enrolled with a second factor
    client.force_login(user)
    return user


def test_partnership_admin_and_directory_editor_groups_can_edit_services():
    from django.contrib.auth.models import Group

    for name in ("Directory editor", Role.PARTNERSHIP_ADMIN.value):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {
            "change_service",
            "add_location",
            "change_problemreport",
            "access_admin",
        } <= codenames


def test_learner_cannot_open_the_directory_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/snippets/directory/service/")
    assert response.status_code in (302, 403)


def test_service_listing_marks_stale_entries(client, editor):
    ServiceFactory(
        name="Stale one", assured_date=timezone.localdate() - datetime.timedelta(days=400)
    )
    ServiceFactory(name="Fresh one")
    html = client.get("/admin/snippets/directory/service/").content.decode()
    assert "Stale one" in html and "Fresh one" in html
    assert html.count(">Stale</span>") == 1


def test_location_admin_rejects_a_bad_postcode_and_fills_coordinates_from_a_good_one(
    client, editor
):
    url = "/admin/snippets/directory/location/add/"
    response = client.post(
        url, {"name": "Hub", "location_type": "physical", "postal_code": "NOPE", "country": "GB"}
    )
    assert response.status_code == 200
    assert "Enter a real UK postcode" in response.content.decode()
    assert not Location.objects.exists()
    response = client.post(
        url, {"name": "Hub", "location_type": "physical", "postal_code": "ol11aa", "country": "GB"}
    )
    assert response.status_code == 302
    location = Location.objects.get()
    assert location.postal_code == "OL1 1AA"
    assert location.latitude == pytest.approx(53.5415, abs=0.001)


def test_problem_reports_are_listed_for_editors(client, editor):
    service = ServiceFactory(name="Helpline")
    ProblemReport.objects.create(service=service, description="Number does not work")
    html = client.get("/admin/snippets/directory/problemreport/").content.decode()
    assert "Helpline" in html
    dashboard = client.get("/admin/").content.decode()
    assert "Directory problem reports" in dashboard and "Number does not work" in dashboard


def test_authors_are_warned_about_archived_or_stale_linked_services(rf: RequestFactory):
    from django.contrib.messages.storage.fallback import FallbackStorage

    stale = ServiceFactory(
        name="Stale line", assured_date=timezone.localdate() - datetime.timedelta(days=500)
    )
    fine = ServiceFactory(name="Fine line")
    request = rf.get("/admin/pages/1/edit/")
    request.session = {}
    request._messages = FallbackStorage(request)
    _warn_about_links(request, {"body": [{"value": {"services": f"{stale.pk}\n{fine.pk}"}}]})
    texts = [str(m) for m in get_messages(request)]
    assert len(texts) == 1 and "Stale line" in texts[0]


def test_every_directory_admin_form_renders_for_an_editor(client, editor):
    from tests.directory.factories import LocationFactory, TaxonomyTermFactory

    service = ServiceFactory(location=LocationFactory(), languages=["rom"])
    term = TaxonomyTermFactory()
    report = ProblemReport.objects.create(service=service, description="Closed")
    urls = [
        "/admin/snippets/directory/service/add/",
        f"/admin/snippets/directory/service/edit/{service.pk}/",
        f"/admin/snippets/directory/organization/edit/{service.organization_id}/",
        f"/admin/snippets/directory/location/edit/{service.service_at_locations.get().location_id}/",
        f"/admin/snippets/directory/taxonomyterm/edit/{term.pk}/",
        f"/admin/snippets/directory/problemreport/edit/{report.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(f"/admin/snippets/directory/service/edit/{service.pk}/").content.decode()
    for tab in ("Service", "Contact and locations", "Cost", "Review"):
        assert tab in html


def test_problem_report_can_be_resolved_in_the_admin(client, editor):
    service = ServiceFactory()
    report = ProblemReport.objects.create(service=service, description="Closed")
    url = f"/admin/snippets/directory/problemreport/edit/{report.pk}/"
    response = client.post(url, {"status": "resolved", "resolution_note": "Phoned them"})
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == "resolved" and report.resolution_note == "Phoned them"
    assert report.resolved_at is not None


def test_a_report_opened_again_in_the_admin_loses_its_resolved_time(client, editor):
    report = ProblemReport.objects.create(service=ServiceFactory(), description="Wrong phone")
    url = f"/admin/snippets/directory/problemreport/edit/{report.pk}/"
    client.post(url, {"status": "resolved", "resolution_note": "Fixed"})
    report.refresh_from_db()
    first_stamp = report.resolved_at

    response = client.post(url, {"status": "open", "resolution_note": "Still wrong"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "open" and report.resolved_at is None
    client.post(url, {"status": "resolved", "resolution_note": "Fixed now"})
    report.refresh_from_db()
    assert report.resolved_at is not None and report.resolved_at >= first_stamp
