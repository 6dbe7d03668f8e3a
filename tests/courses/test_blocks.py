"""Every block renders accessibly; Markdown is sanitised; block validation catches bad content."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses.blocks import (
    BaseStreamBlock,
    DirectoryLinksBlock,
    ImageBlock,
    KnowledgeCheckBlock,
    ModuleBodyBlock,
    markdown_html,
)


def render(block_type: str, raw: dict | str, **context) -> str:
    stream = BaseStreamBlock()
    child = stream.child_blocks[block_type]
    value = child.to_python(raw)
    return child.render(value, context={"block_id": "b1", **context})


def test_markdown_strips_scripts_and_event_handlers():
    html = markdown_html(
        "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:x)"
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<p>" in html


def test_markdown_block_renders_html():
    assert "<strong>bold</strong>" in render("markdown", "**bold**")


def test_from_review_block_shows_its_reference():
    html = render("from_review", {"text": "Plans were late.", "reference": "LP2"})
    assert "LP2" in html and "Plans were late." in html and 'aria-label="From the' in html


def test_key_fact_block_has_a_heading():
    html = render("key_fact", {"title": "72 hours", "text": "Offer an interview."})
    assert '<h3 class="govuk-heading-s">72 hours</h3>' in html


def test_accordion_block_renders_every_item_without_javascript():
    html = render(
        "accordion", {"items": [{"heading": "One", "text": "A"}, {"heading": "Two", "text": "B"}]}
    )
    assert "One" in html and "Two" in html and "<p>B</p>" in html


def test_video_block_links_the_recording_and_shows_its_transcript():
    html = render(
        "video",
        {"kind": "video", "url": "https://example.org/v", "title": "Talk", "transcript": "Said"},
    )
    assert 'href="https://example.org/v"' in html
    assert "Transcript" in html and "<p>Said</p>" in html
    assert "<iframe" not in html  # nothing the strict CSP would block


# Django's InMemoryStorage (test settings) leaves a SpooledTemporaryFile for the rendition.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.django_db
def test_image_block_renders_its_alt_text():
    image = Image.objects.create(title="pic", file=get_test_image_file())
    html = render("image", {"image": image.pk, "alt": "Two carers talking", "caption": "Cap"})
    assert 'alt="Two carers talking"' in html and "<figcaption" in html


def test_image_block_requires_alt_text():
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": None, "alt": "", "caption": ""}))


def test_reflection_block_outside_a_module_shows_the_prompt_only():
    html = render("reflection", {"prompt": "What next?", "hint": "Think"}, block_id="")
    assert "What next?" in html and "<form" not in html


def test_check_block_lists_options_as_radios_or_checkboxes():
    raw = {
        "question": "Which?",
        "kind": "multiple",
        "options": [
            {"text": "A", "correct": True, "feedback": "Yes"},
            {"text": "B", "correct": False, "feedback": "No"},
        ],
        "explanation": "",
    }

    class Page:
        pk = 5

    html = render("check", raw, page=Page())
    assert 'type="checkbox"' in html and "Select all that apply" in html
    assert 'action="/courses/modules/5/checks/b1/"' in html
    raw["kind"] = "single"
    assert 'type="radio"' in render("check", raw, page=Page())


@pytest.mark.parametrize(
    ("kind", "correct", "message"),
    [
        ("single", [False, False], "at least one"),
        ("multiple", [False, False], "at least one"),
        ("single", [True, True], "one correct option"),
    ],
)
def test_check_block_needs_a_sensible_number_of_correct_options(kind, correct, message):
    block = KnowledgeCheckBlock()
    value = block.to_python(
        {
            "question": "Q",
            "kind": kind,
            "options": [
                {"text": f"O{n}", "correct": c, "feedback": "F"} for n, c in enumerate(correct)
            ],
            "explanation": "",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert message in str(error.value.block_errors["options"])


@pytest.mark.django_db
def test_directory_links_block_shows_published_services_and_marks_demo_data():
    from tests.directory.factories import ServiceFactory, TaxonomyTermFactory

    demo = TaxonomyTermFactory(term="demo-data", name="Demo data")
    shown = ServiceFactory(name="Return home interviews", categories=[demo])
    hidden = ServiceFactory(name="Withdrawn service", review_status="draft")
    items = [{"type": "item", "value": str(s.pk), "id": str(uuid.uuid4())} for s in (shown, hidden)]
    html = render("services", {"heading": "Help", "services": items})
    assert f'href="{shown.get_absolute_url()}"' in html and "Demo data" in html
    assert "Withdrawn service" not in html


@pytest.mark.django_db
def test_directory_links_block_falls_back_to_a_directory_link_for_unknown_services():
    item = {"type": "item", "value": str(uuid.uuid4()), "id": str(uuid.uuid4())}
    html = render("services", {"heading": "Help", "services": [item]})
    assert 'href="/directory/"' in html


def test_directory_links_block_needs_a_service():
    block = DirectoryLinksBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"heading": "Help", "services": []}))


def test_a_module_body_needs_at_least_one_section():
    block = ModuleBodyBlock()
    with pytest.raises(StreamBlockValidationError):
        block.clean(block.to_python([]))


def test_choice_values_read_back_as_their_keys_and_unknown_ones_are_refused():
    kind = KnowledgeCheckBlock().child_blocks["kind"]

    assert kind.to_python("multiple") == "multiple"
    assert kind.to_python(None) is None
    with pytest.raises(ValidationError):
        kind.clean("several")
    assert (
        render("from_review", {"text": "Plans were not updated.", "reference": "LP2"}).count(
            ">LP2<"
        )
        == 1
    )
