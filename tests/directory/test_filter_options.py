"""The filter panel's option lists: built once per process, rebuilt after any relevant write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.forms import DirectorySearchForm
from directory.models import ReviewStatus, ServiceArea
from directory.selectors import filter_options, filter_panel
from tests.directory.factories import ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def category_terms() -> list[str]:
    return [
        term.term
        for parent, children in filter_options().categories
        for term in [parent, *children]
    ]


def test_option_lists_are_read_once_then_served_without_queries():
    ServiceFactory(languages=["rom"], areas=["Oldham"])
    filter_options()
    with CaptureQueriesContext(connection) as queries:
        options = filter_options()
        DirectorySearchForm({"language": "rom", "area": "Oldham"}).is_valid()
    assert len(queries) == 0
    assert [code for code, _name in options.languages] == ["rom"]
    assert options.areas == ("Oldham",)


def test_a_new_taxonomy_term_is_offered_as_soon_as_it_is_committed(
    django_capture_on_commit_callbacks,
):
    TaxonomyTermFactory(term="advocacy")
    assert "advocacy" in category_terms()
    with django_capture_on_commit_callbacks(execute=True):
        TaxonomyTermFactory(term="youth-work", name="Youth work")
    assert "youth-work" in category_terms()
    form = DirectorySearchForm({"category": ["youth-work"]})
    assert form.is_valid(), form.errors


def test_languages_and_areas_follow_publishing_and_deleting(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(languages=["pol"], areas=["Bury"])
    assert [code for code, _name in filter_options().languages] == ["pol"]
    with django_capture_on_commit_callbacks(execute=True):
        service.review_status = ReviewStatus.ARCHIVED
        service.save()
    assert filter_options().languages == () and filter_options().areas == ()
    with django_capture_on_commit_callbacks(execute=True):
        other = ServiceFactory(areas=["Tameside"])
    assert filter_options().areas == ("Tameside",)
    with django_capture_on_commit_callbacks(execute=True):
        ServiceArea.objects.filter(service=other).delete()
    assert filter_options().areas == ()


def test_a_write_that_sends_no_signal_shows_after_the_time_limit(monkeypatch):
    service = ServiceFactory(areas=["Bolton"])
    assert filter_options().areas == ("Bolton",)
    ServiceArea.objects.bulk_create([ServiceArea(service=service, name="Wigan")])
    assert filter_options().areas == ("Bolton",)
    later = filter_panel.time.monotonic() + filter_panel.CHOICES_TTL + 1
    monkeypatch.setattr(filter_panel.time, "monotonic", lambda: later)
    assert filter_options().areas == ("Bolton", "Wigan")


def test_demo_data_is_never_a_category():
    TaxonomyTermFactory(term="demo-data", name="Demo data")
    TaxonomyTermFactory(term="advocacy")
    assert category_terms() == ["advocacy"]
