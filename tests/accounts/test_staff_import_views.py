"""Staff import pages: who may use them, the dry run, and confirming it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.accounts.factories import AgencyFactory, JobRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/agency/staff/import/"
CSV = b"name,email,team,job role\nAnn Smith,ann@north.example.org,CID,Police officer\n"


@pytest.fixture
def lead(client):
    lead = UserFactory(roles=["Agency lead"])
    client.force_login(lead)
    JobRoleFactory(name="Police officer", slug="police-officer")
    return lead


def upload(client, agency, content=CSV):
    return client.post(URL, {"agency": agency.pk, "file": SimpleUploadedFile("staff.csv", content)})


def test_learners_cannot_import_staff(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_lead_sees_the_dry_run_then_imports_into_their_agency(
    client, lead, mailoutbox, django_capture_on_commit_callbacks
):
    response = upload(client, lead.agency)
    assert "New: will be invited" in response.text
    assert not User.objects.filter(email="ann@north.example.org").exists()
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"token": token}, follow=True)
    assert "Import complete" in response.text
    assert User.objects.get(email="ann@north.example.org").agency == lead.agency
    assert mailoutbox[-1].to == ["ann@north.example.org"]


def test_lead_cannot_import_into_another_agency(client, lead):
    other = AgencyFactory()
    response = upload(client, other)
    assert response.status_code == 200
    assert "Check the file" in response.text  # the form again, with the choice refused
    assert not User.objects.filter(email="ann@north.example.org").exists()


def test_rows_with_errors_are_listed_and_cannot_be_confirmed(client, lead):
    response = upload(client, lead.agency, CSV + b"Bob,not-an-email,CID,Astronaut\n")
    assert "Nothing can be imported yet" in response.text
    assert "is not an email address" in response.text
    assert 'name="token"' not in response.text
