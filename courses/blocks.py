"""Module content blocks, all on one BaseStreamBlock, grouped into sections (the unit of progress).

Markdown is rendered and sanitised by ``pages.markdown`` (no scripts, no event handlers).
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from pages.markdown import markdown_html
from pages.review import REVIEW_REFERENCES

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


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


class LocalPracticeBlock(blocks.StructBlock):
    """Practice that applies in one area only, filled from settings.CONTENT_LOCAL_FILE on import."""

    key = blocks.CharBlock(max_length=60, help_text="The item's key in the local content file.")
    area = blocks.CharBlock(max_length=120, help_text="Where it applies, e.g. Greater Manchester.")
    title = blocks.CharBlock(max_length=200)
    text = MarkdownBlock()

    class Meta:
        icon = "site"
        label = "Local practice"
        template = "blocks/local_practice.html"


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


class ServiceChooserBlock(SnippetChooserBlock):
    """Chooses a directory service (hand-written fixes for UUID keys in Wagtail's chooser block).

    Wagtail's bulk lookup keys its results by UUID but looks them up by the JSON string, so every
    service came back as None, and the admin widget cannot serialise a UUID; both are fixed here.
    """

    def __init__(self, **kwargs):
        super().__init__("directory.Service", **kwargs)

    def bulk_to_python(self, values):
        found = {str(pk): obj for pk, obj in self.model_class.objects.in_bulk(values).items()}
        return [found.get(str(value)) if value is not None else None for value in values]

    def get_prep_value(self, value):
        return None if value is None else str(value.pk)

    def get_form_state(self, value):
        # The admin widget puts the raw pk in JSON; a UUID has to be a string there.
        data = super().get_form_state(value)
        return {**data, "id": str(data["id"])} if data else data

    def deconstruct(self):
        _path, _args, kwargs = super().deconstruct()
        return ("courses.blocks.ServiceChooserBlock", (), kwargs)


class DirectoryLinksBlock(blocks.StructBlock):
    """Links to services chosen from the directory; shown through the directory's selector."""

    heading = blocks.CharBlock(max_length=200, default="Where to get help")
    services = blocks.ListBlock(
        ServiceChooserBlock(),
        min_num=1,
        help_text="Only published services are shown to learners.",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        state = (parent_context or {}).get("state") or {}
        # The module page fetches every block's services in one query and passes them as state.
        if "services" in state:
            context["services"] = state["services"]
        else:
            context["services"] = directory_services(ids=service_ids(value))
        return context

    class Meta:
        icon = "site"
        label = "Directory links"
        template = "blocks/directory_links.html"


def service_ids(value) -> list[str]:
    """The ids of the services a directory links block still points to (deleted ones dropped)."""
    return [str(service.pk) for service in value["services"] if service is not None]


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
    local_practice = LocalPracticeBlock()
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
