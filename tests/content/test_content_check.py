"""manage.py content_check: the seed curriculum passes, and each check catches what it is for."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.services.content_check import content_check, copied_runs

CONTENT = Path(__file__).resolve().parents[2] / "content"
REVIEW = CONTENT / "review" / "practice-review-executive-summary.txt"


def test_the_seed_curriculum_passes_content_check():
    out = io.StringIO()
    call_command("content_check", stdout=out)
    assert "Content check passed." in out.getvalue()


def _grams(text: str, length: int = 8) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def test_copied_runs_are_found_unless_inside_quotation_marks():
    review = _grams("one two three four five six seven eight nine ten")
    plain = "We say one two three four five six seven eight nine here."
    quoted = 'We say "one two three four five six seven eight nine" here.'
    assert copied_runs(text=plain, review_grams=review, length=8) == [
        "one two three four five six seven eight nine"
    ]
    assert copied_runs(text=quoted, review_grams=review, length=8) == []


@pytest.fixture
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def _check(content: Path):
    return content_check(content=content, review=REVIEW, local=content / "local.yaml")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_local_practice_named_without_its_area_is_a_finding(content):
    module = content / "courses/missing-from-home-and-care/02-the-missing-episode.md"
    added = "## Strategy meetings\n\nAsk for the police care plan.\n"
    _edit(module, "## Strategy meetings\n", added)
    findings = [f for f in _check(content).findings if f.check == "local"]
    assert findings and "police care plan" in findings[0].message


def test_a_module_without_sources_or_review_date_is_a_finding(content):
    module = content / "courses/missing-from-home-and-care/00-the-review-in-brief.md"
    _edit(module, "last_reviewed: 2026-12-03\n", "")
    found = {(f.check, f.where) for f in _check(content).findings}
    assert ("sources", "missing-from-home-and-care/the-review-in-brief") in found


def test_a_reference_mapped_to_no_teaching_section_is_a_finding(content):
    trace = content / "traceability.yaml"
    _edit(trace, "#When a child goes missing from foster care'", "#No such section'")
    found = [f for f in _check(content).findings if f.check == "traceability"]
    assert [f.where for f in found] == ["R4"]


def test_longest_right_answers_are_flagged_as_guessable(content):
    report = content_check(
        content=content,
        review=REVIEW,
        local=content / "local.yaml",
        max_longest_share=0.0,
        max_recommended_share=0.0,
    )
    found = {f.where for f in report.findings if f.check == "answer_length"}
    assert {"all single-answer checks", "all scenario decisions"} <= found


def test_module_shorter_than_its_embedded_scenario_is_a_finding(content):
    module = content / "courses/missing-from-home-and-care/05-visits-that-increase-with-risk.md"
    _edit(module, "estimated_minutes: 28", "estimated_minutes: 10")
    assert any(f.check == "duration" for f in _check(content).findings)


def test_command_fails_listing_findings(content):
    module = content / "courses/missing-from-home-and-care/00-the-review-in-brief.md"
    _edit(module, "last_reviewed: 2026-12-03\n", "")
    out = io.StringIO()
    with pytest.raises(CommandError, match="finding"):
        call_command(
            "content_check",
            "--content",
            str(content),
            "--local",
            str(content / "local.yaml"),
            stdout=out,
        )
    assert "[sources]" in out.getvalue()
