"""Wagtail's page privacy applies on every page; a site without any is not asked on each request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from pages.models import StandardPage

pytestmark = pytest.mark.django_db


def restriction_reads(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]]


def test_a_site_without_page_privacy_reads_no_restrictions_per_request(client):
    assert restriction_reads(client, "/accessibility/") == []


def test_a_restriction_added_or_removed_applies_on_the_next_request(client):
    page = StandardPage.objects.get(slug="accessibility")
    assert client.get("/accessibility/").status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get("/accessibility/").status_code == 302
    restriction.delete()
    assert client.get("/accessibility/").status_code == 200


def test_a_restriction_on_an_ancestor_applies_to_its_pages(client):
    home = Page.objects.get(depth=2, slug="home")
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/accessibility/").status_code == 302
