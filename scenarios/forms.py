"""Forms: the admin form for a scenario and the learner's choice form."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from scenarios.blocks import LEARNING_POINTS, RECOMMENDATIONS


class ScenarioAdminForm(WagtailAdminModelForm):
    """Edit review references as checkboxes; they are stored as JSON lists."""

    learning_points = forms.MultipleChoiceField(
        choices=LEARNING_POINTS, required=False, widget=forms.CheckboxSelectMultiple
    )
    recommendations = forms.MultipleChoiceField(
        choices=RECOMMENDATIONS, required=False, widget=forms.CheckboxSelectMultiple
    )


class ChoiceForm(forms.Form):
    """The learner picks one choice at a decision."""

    choice = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would do"},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices
