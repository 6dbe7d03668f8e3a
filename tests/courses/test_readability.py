"""Reading ease figures for authors, and the seed curriculum meets the plain-English aim."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from courses.services.course_format import ParsedModule
from courses.services.readability import module_readability, module_text


def _module(markdown: str, check: dict | None = None) -> ParsedModule:
    content = [{"type": "markdown", "value": markdown, "id": "m"}]
    if check:
        content.append({"type": "check", "value": check, "id": "c"})
    body = [{"type": "section", "id": "s", "value": {"heading": "Start", "content": content}}]
    return ParsedModule(path=Path("x.md"), position=1, meta={"slug": "x"}, body=body)


def test_module_text_includes_prose_and_what_learners_read_in_blocks_but_not_markup():
    check = {"question": "Who reports?", "options": [{"text": "Police", "feedback": "Yes."}]}
    text = module_text(module=_module("Some **bold** [link](/x) text.", check))
    assert "Some bold link text." in text
    assert "Who reports?" in text and "Police" in text and "Yes." in text
    assert "**" not in text and "/x" not in text


def test_short_plain_sentences_score_higher_than_long_latinate_ones():
    plain = module_readability(
        module=_module("The child ran home. We rang the police. She was safe.")
    )
    dense = module_readability(
        module=_module(
            "Multi-agency organisational considerations necessitate comprehensive "
            "interdisciplinary evaluation of institutional accountability arrangements."
        )
    )
    assert plain.reading_ease > 70 > dense.reading_ease
    assert plain.words == 12


def test_every_seed_module_reads_at_fifty_or_more(capsys):
    call_command("content_readability")
    table = capsys.readouterr().out
    assert "missing-from-home-and-care/return-home-interviews" in table
    content = Path(__file__).resolve().parents[2] / "content" / "courses"
    assert len(table.strip().splitlines()) == 1 + len(list(content.glob("*/[0-9]*.md")))


def test_the_command_fails_naming_modules_below_the_minimum():
    with pytest.raises(CommandError, match="trauma-informed-practice/"):
        call_command("content_readability", "--minimum", "99")
