"""Anonymous forms are throttled per address, behind a trusted number of proxies (issue 15)."""

import pytest
from django.test import override_settings

from directory.models import ProblemReport
from tests.accounts.factories import UserFactory
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db

REPORT = {"description": "The phone number is out of date.", "email": ""}


@pytest.fixture
def report_url():
    return f"{ServiceFactory().get_absolute_url()}report/"


def test_anonymous_problem_reports_are_throttled_with_a_govuk_429_page(client, report_url):
    for _ in range(20):
        assert client.post(report_url, REPORT).status_code == 302

    response = client.post(report_url, REPORT)

    assert response.status_code == 429
    html = response.content.decode()
    assert "govuk-template__body" in html and "Too many attempts" in html
    assert ProblemReport.objects.count() == 20


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(client, report_url):
    for number in range(20):
        client.post(report_url, REPORT, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")

    response = client.post(report_url, REPORT, HTTP_X_FORWARDED_FOR="198.51.100.200")

    assert response.status_code == 429


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit(client, report_url):
    for _ in range(20):
        client.post(report_url, REPORT, HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client.post(report_url, REPORT, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.post(report_url, REPORT, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_signed_in_reporters_are_not_throttled_by_their_shared_address(client, report_url):
    client.force_login(UserFactory())

    statuses = {client.post(report_url, REPORT).status_code for _ in range(25)}

    assert statuses == {302}
