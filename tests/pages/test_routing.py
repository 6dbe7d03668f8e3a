"""Pages are found by Wagtail's routing; a page routed through is not read whole."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.models import StandardPage

pytestmark = pytest.mark.django_db


def settled(client, url) -> tuple[str, list[str]]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


@pytest.fixture
def nested():
    parent = StandardPage.objects.get(slug="accessibility")
    child = StandardPage(title="Known issues", slug="known-issues", body="<p>Two gaps.</p>")
    parent.add_child(instance=child)
    return child


def test_a_page_below_another_is_served_with_its_own_content(client, nested):
    html, _ = settled(client, "/accessibility/known-issues/")
    assert "Known issues" in html
    assert "Two gaps." in html


def test_a_page_routed_through_costs_one_narrow_read_not_two_whole_ones(client, nested):
    _, top = settled(client, "/accessibility/")
    _, below = settled(client, "/accessibility/known-issues/")
    assert len(below) == len(top) + 1, "\n".join(q[:200] for q in below)
    through = next(q for q in below if "'accessibility'" in q)
    assert '"wagtailcore_page"."title"' not in through
    assert '"pages_standardpage"' not in through


def test_unknown_and_draft_pages_below_a_page_are_not_found(client, nested):
    assert client.get("/accessibility/no-such-page/").status_code == 404
    nested.unpublish()
    assert client.get("/accessibility/known-issues/").status_code == 404
    assert client.get("/no-such-page/known-issues/").status_code == 404
