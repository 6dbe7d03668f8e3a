"""Forms: the admin form for a scenario and the learner's choice form."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from pages.forms import posted_text_normalised
from scenarios.blocks import LEARNING_POINTS, RECOMMENDATIONS

PUBLISHING_ACTIONS = ("action-publish", "action-submit")


class ScenarioAdminForm(WagtailAdminModelForm):
    """Edit review references as checkboxes; refuse to publish (or submit) a broken scenario.

    Text areas are stored with "\\n" line endings (pages.forms.posted_text_normalised).
    Saving a draft is always allowed, so work is never lost; publishing or submitting to a
    workflow runs the engine's validate() and lists every error node by node.
    """

    learning_points = forms.MultipleChoiceField(
        choices=LEARNING_POINTS, required=False, widget=forms.CheckboxSelectMultiple
    )
    recommendations = forms.MultipleChoiceField(
        choices=RECOMMENDATIONS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(posted_text_normalised(data), *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        publishing = any(self.data.get(name) for name in PUBLISHING_ACTIONS)
        if publishing and not self.errors and "nodes" in cleaned:
            for message in scenario_publish_errors(
                start=cleaned.get("start", ""), nodes=cleaned["nodes"]
            ):
                self.add_error(None, message)
        return cleaned


class ChoiceForm(forms.Form):
    """The learner picks one choice at a decision."""

    choice = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would do"},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices


def scenario_publish_errors(*, start: str, nodes) -> list[str]:
    """The engine's errors for these nodes, one message per problem, naming its node."""
    from scenarios import engine
    from scenarios.selectors import nodes_definition

    try:
        graph = engine.scenario_from_dict(
            {"start": start, "nodes": nodes_definition(nodes=nodes) or None}
        )
    except engine.DefinitionError as error:
        return [f"This scenario cannot be published: {error}"]
    return [
        f"Cannot publish: {'node “' + i.node + '”' if i.node else 'scenario'}: {i.message}"
        for i in engine.validate(graph).errors
    ]
