"""Module content blocks, all on one BaseStreamBlock, grouped into sections (the unit of progress).

Markdown is rendered with ``markdown`` and sanitised with ``nh3`` (no scripts, no event handlers).
"""

import uuid
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

REVIEW_REFERENCES = [f"LP{n}" for n in range(1, 5)] + [f"R{n}" for n in range(1, 12)]
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


@lru_cache(maxsize=4096)
def markdown_html(text: str) -> SafeString:
    """Render Markdown to sanitised HTML: nh3 strips scripts, styles and event handlers.

    Memoised per process: the output depends only on the text, and Python-Markdown is the
    slowest step of a module page (this is not a page cache; learner state is never cached).
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", "tables", "attr_list"])
    return mark_safe(nh3.clean(html, link_rel="noopener noreferrer"))  # noqa: S308  (sanitised)


def service_ids_parse(text: str) -> list[str]:
    """Parse one UUID per line (blank lines ignored); raise ValidationError naming a bad line."""
    ids = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            ids.append(str(uuid.UUID(line)))
        except ValueError:
            raise ValidationError(f"Line {number} is not a service id (a UUID): {line!r}") from None
    return ids


class MarkdownBlock(blocks.TextBlock):
    """Markdown text, rendered and sanitised."""

    def render_basic(self, value, context=None):
        return markdown_html(value)

    class Meta:
        icon = "code"
        template = "blocks/markdown.html"


class FromReviewBlock(blocks.StructBlock):
    """A callout quoting what the practice review found, with its reference (LP2, R1...)."""

    text = MarkdownBlock()
    reference = blocks.ChoiceBlock(choices=[(r, r) for r in REVIEW_REFERENCES])

    class Meta:
        icon = "openquote"
        label = "From the review"
        template = "blocks/from_review.html"


class KeyFactBlock(blocks.StructBlock):
    """A short fact to remember, set apart from the text."""

    title = blocks.CharBlock(max_length=120)
    text = MarkdownBlock()

    class Meta:
        icon = "pick"
        template = "blocks/key_fact.html"


class ImageBlock(blocks.StructBlock):
    """An image with required alternative text."""

    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        max_length=250, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video or audio recording with a required transcript."""

    kind = blocks.ChoiceBlock(choices=[("video", "Video"), ("audio", "Audio")], default="video")
    url = blocks.URLBlock()
    title = blocks.CharBlock(max_length=200)
    transcript = MarkdownBlock(help_text="A full transcript is required (WCAG 1.2.1).")

    class Meta:
        icon = "media"
        label = "Video or audio"
        template = "blocks/video.html"


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=200)
    text = MarkdownBlock()


class AccordionBlock(blocks.StructBlock):
    """Expandable sections (all open without JavaScript)."""

    items = blocks.ListBlock(AccordionItemBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/accordion.html"


class ReflectionBlock(blocks.StructBlock):
    """A prompt whose free-text answer is saved privately to the learner."""

    prompt = blocks.CharBlock(max_length=500)
    hint = blocks.CharBlock(required=False, max_length=500)

    class Meta:
        icon = "edit"
        label = "Reflection prompt"
        template = "blocks/reflection.html"


class CheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(help_text="Shown when the learner chooses this option.")


class KnowledgeCheckBlock(blocks.StructBlock):
    """A single or multiple choice question with feedback on every option and an explanation."""

    question = blocks.CharBlock(max_length=500)
    kind = blocks.ChoiceBlock(
        choices=[("single", "Single choice"), ("multiple", "Multiple choice")], default="single"
    )
    options = blocks.ListBlock(CheckOptionBlock(), min_num=2, max_num=8)
    explanation = MarkdownBlock(required=False)

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={"options": ValidationError("Mark at least one option as correct.")}
            )
        if value["kind"] == "single" and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError("A single choice question has one correct option.")
                }
            )
        return value

    class Meta:
        icon = "help"
        label = "Knowledge check"
        template = "blocks/knowledge_check.html"


class ServiceIdsBlock(blocks.FieldBlock):
    """Directory service ids, one UUID per line, validated (a hand-written chooser substitute)."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = forms.CharField(
            required=required,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=help_text
            or "One directory service id (a UUID) per line, as shown in the service directory.",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return "\n".join(service_ids_parse(value))
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class DirectoryLinksBlock(blocks.StructBlock):
    """Links to services in the directory, read through the directory app's selector."""

    heading = blocks.CharBlock(max_length=200, default="Where to get help")
    services = ServiceIdsBlock()

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        state = (parent_context or {}).get("state") or {}
        # The module page fetches every block's services in one query and passes them as state.
        if "services" in state:
            context["services"] = state["services"]
        else:
            context["services"] = directory_services(ids=service_ids_parse(value["services"]))
        return context

    class Meta:
        icon = "site"
        label = "Directory links"
        template = "blocks/directory_links.html"


def directory_services(*, ids: list[str]) -> list:
    """Services by id from the directory app, or an empty list when it is not installed yet."""
    if not ids:
        return []
    try:
        from directory.selectors import service_list_by_ids
    except ImportError:
        return []
    return list(service_list_by_ids(ids=ids))


class ScenarioBlock(blocks.StructBlock):
    """A practice scenario launched from the module; completing it may count for the course."""

    scenario = SnippetChooserBlock("scenarios.Scenario")

    class Meta:
        icon = "resubmit"
        label = "Embedded scenario"
        template = "blocks/scenario.html"


class BaseStreamBlock(blocks.StreamBlock):
    """Every content block a module section may hold."""

    rich_text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="blocks/rich_text.html")
    markdown = MarkdownBlock()
    from_review = FromReviewBlock()
    key_fact = KeyFactBlock()
    image = ImageBlock()
    video = VideoBlock()
    accordion = AccordionBlock()
    reflection = ReflectionBlock()
    check = KnowledgeCheckBlock()
    services = DirectoryLinksBlock()
    scenario = ScenarioBlock()


class SectionBlock(blocks.StructBlock):
    """A headed section of a module; viewing it is one unit of progress."""

    heading = blocks.CharBlock(max_length=200)
    content = BaseStreamBlock()

    class Meta:
        icon = "doc-full"
        template = "blocks/section.html"


class ModuleBodyBlock(blocks.StreamBlock):
    """A module's ordered sections."""

    section = SectionBlock()

    class Meta:
        min_num = 1
