"""StreamField blocks for scenario nodes: situations, decisions (with choices) and endings.

Narrative, feedback and debrief text are Markdown in plain text areas rather than Draftail
rich text: Markdown is what content/FORMAT.md uses, so import and export are lossless, and a
plain text area is the most predictable control for keyboard and screen-reader authors.
"""

from django import forms
from django.core.validators import RegexValidator
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from pages.review import REVIEW_LABELS

# The review's learning points and recommendations (content/FORMAT.md numbering).
LEARNING_POINTS = [(code, label) for code, label in REVIEW_LABELS.items() if code.startswith("LP")]
RECOMMENDATIONS = [(f"R{n}", f"Recommendation {n}") for n in range(1, 12)]

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    "Use lower-case letters, numbers and hyphens, starting with a letter or number.",
)
CHOSE_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$",
    "Write the earlier choice as <decision key>.<choice key>, for example first-call.b.",
)
CHOSE_LIST_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*(\s*,\s*[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*)*$",
    "Write earlier choices as <decision key>.<choice key>, separated by commas, for example "
    "first-call.b, strategy.c.",
)
UUID_VALIDATOR = RegexValidator(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    "Enter a directory service id (a UUID).",
)

MARKDOWN_HELP = "Markdown: blank lines between paragraphs, - for bullets, **bold**."


def _key_block(label: str = "Key") -> blocks.CharBlock:
    return blocks.CharBlock(
        label=label,
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text="A stable identifier, such as first-call. Do not change it once published.",
    )


def _target_block(required: bool = True) -> blocks.CharBlock:
    return blocks.CharBlock(
        label="Go to node",
        required=required,
        max_length=60,
        validators=[KEY_VALIDATOR],
        help_text="The key of the node that follows.",
    )


def _learning_points_block() -> blocks.MultipleChoiceBlock:
    return blocks.MultipleChoiceBlock(
        choices=LEARNING_POINTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Learning points",
    )


class LabelledCharBlock(blocks.CharBlock):
    """A CharBlock whose input carries its label as aria-label.

    Wagtail draws a ListBlock's items without their child block's <label>, so a list of plain
    text inputs (service ids, choices) would be unnamed to screen readers (axe rule "label").
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field.widget.attrs["aria-label"] = str(self.label)


class BranchBlock(blocks.StructBlock):
    """A conditional route: every condition given must hold; the first matching branch wins."""

    min_score = blocks.IntegerBlock(
        required=False, label="If the score is at least", help_text="Leave empty for no test."
    )
    chose = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[CHOSE_LIST_VALIDATOR],
        label="If these earlier choices were all taken",
        help_text="<decision key>.<choice key>, comma-separated, for example first-call.b.",
    )
    not_chose = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[CHOSE_LIST_VALIDATOR],
        label="If none of these earlier choices was taken",
        help_text="The same form. Leave empty for no test.",
    )
    next = _target_block()

    class Meta:
        icon = "arrow-right"
        label = "Conditional branch"


class NoteBlock(blocks.StructBlock):
    """A debrief paragraph shown only to learners whose path meets its condition."""

    min_score = blocks.IntegerBlock(required=False, label="If the score is at least")
    chose = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[CHOSE_LIST_VALIDATOR],
        label="If these earlier choices were all taken",
    )
    not_chose = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[CHOSE_LIST_VALIDATOR],
        label="If none of these earlier choices was taken",
    )
    text = blocks.TextBlock(help_text=MARKDOWN_HELP)

    class Meta:
        icon = "comment"
        label = "Path note"


class ImageMediaBlock(blocks.StructBlock):
    """An image shown with the narrative; alt text is expected (a validation warning if not)."""

    image = ImageChooserBlock()
    alt = blocks.CharBlock(required=False, label="Alt text", max_length=255)

    class Meta:
        icon = "image"


class VideoMediaBlock(blocks.StructBlock):
    """A video or audio clip by URL; a transcript is expected (a validation warning if not)."""

    url = blocks.URLBlock(label="Video or audio URL")
    title = blocks.CharBlock(required=False, max_length=255)
    transcript = blocks.TextBlock(required=False, help_text=MARKDOWN_HELP)

    class Meta:
        icon = "media"


class SituationBlock(blocks.StructBlock):
    """Narrative that moves on to one node, optionally by condition."""

    key = _key_block()
    speaker = blocks.CharBlock(required=False, max_length=120, label="Who is speaking")
    text = blocks.TextBlock(label="Narrative", help_text=MARKDOWN_HELP)
    media = blocks.StreamBlock(
        [("image", ImageMediaBlock()), ("video", VideoMediaBlock())],
        required=False,
        max_num=1,
        label="Media (optional)",
    )
    next = _target_block()
    branches = blocks.ListBlock(BranchBlock(), default=[], label="Conditional branches")

    class Meta:
        icon = "doc-full"
        label = "Situation"


class ChoiceBlock(blocks.StructBlock):
    """One option at a decision, with its feedback, score change, rating and route."""

    key = _key_block()
    label = blocks.CharBlock(max_length=500, label="Choice text")
    feedback = blocks.TextBlock(help_text="Shown after choosing. " + MARKDOWN_HELP)
    score = blocks.IntegerBlock(default=0, label="Score change", help_text="May be negative.")
    rating = blocks.ChoiceBlock(
        choices=[
            ("recommended", "Recommended"),
            ("acceptable", "Acceptable"),
            ("risky", "Risky"),
        ],
        default="acceptable",
        label="Practice rating",
    )
    learning_points = _learning_points_block()
    next = _target_block()
    branches = blocks.ListBlock(BranchBlock(), default=[], label="Conditional branches")

    class Meta:
        icon = "radio-full"
        label = "Choice"


class DecisionBlock(blocks.StructBlock):
    """A question with two to six choices (the count is checked by the engine's validate)."""

    key = _key_block()
    question = blocks.CharBlock(max_length=255)
    choices = blocks.ListBlock(ChoiceBlock(), min_num=1, max_num=6)
    shuffle = blocks.BooleanBlock(
        required=False,
        default=False,
        label="Shuffle the choices for each learner",
        help_text="Tick when the order carries no meaning, so answers cannot be learnt by place.",
    )

    class Meta:
        icon = "help"
        label = "Decision"


class EndingBlock(blocks.StructBlock):
    """An outcome with its debrief, learning points and related directory services."""

    key = _key_block()
    outcome = blocks.TextBlock(help_text="What happened. " + MARKDOWN_HELP)
    debrief = blocks.TextBlock(required=False, help_text="Required to publish. " + MARKDOWN_HELP)
    learning_points = _learning_points_block()
    services = blocks.ListBlock(
        LabelledCharBlock(max_length=36, validators=[UUID_VALIDATOR], label="Directory service id"),
        default=[],
        label="Directory services",
    )
    praises = blocks.ListBlock(
        LabelledCharBlock(
            max_length=121, validators=[CHOSE_VALIDATOR], label="Choice the debrief praises"
        ),
        default=[],
        label="Choices the debrief praises",
        help_text="Publishing checks every path: each must have been taken to reach here.",
    )
    misses = blocks.ListBlock(
        LabelledCharBlock(
            max_length=121, validators=[CHOSE_VALIDATOR], label="Choice the debrief says was missed"
        ),
        default=[],
        label="Choices the debrief says were missed",
        help_text="Publishing checks every path: none may have been taken to reach here.",
    )
    notes = blocks.ListBlock(NoteBlock(), default=[], label="Path notes")

    class Meta:
        icon = "flag"
        label = "Ending"


class ScenarioNodeBlock(blocks.StreamBlock):
    """The nodes of a scenario, in the order authors read them."""

    situation = SituationBlock()
    decision = DecisionBlock()
    ending = EndingBlock()
