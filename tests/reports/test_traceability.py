"""Loading content/traceability.yaml and the assurance matrix built from it."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import ReviewLink, ReviewReference
from reports.selectors.scope import ReportFilters
from reports.selectors.traceability import traceability_matrix
from reports.services.traceability import TraceabilityError, traceability_load

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
    assert lp1.courses == ["Missing children"] and lp1.features == ["Refresher reminders"]
    assert lp1.unresolved == ["jade/first-call"]  # no such scenario loaded
    # LP1: valid course completions (a1; b1, b2) or module 1 completed (a1 again).
    assert lp1.completed == {world.police.pk: 1, world.health.pk: 2}
    assert r4.completed == {world.police.pk: 1, world.health.pk: 0}
    _, lead_rows = traceability_matrix(viewer=world.police_lead, filters=ReportFilters())
    assert lead_rows[0].completed == {world.police.pk: 1}


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
