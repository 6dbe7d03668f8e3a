"""Forms: the catalogue filter and learner answers."""

from django import forms

from accounts.models import Sector
from courses.models.pages import Level, Topic


def _any(choices) -> list[tuple[str, str]]:
    return [("", "Any"), *choices]


class CatalogueFilterForm(forms.Form):
    """Filters in the query string, so the catalogue works (and can be bookmarked) without JS."""

    topic = forms.ChoiceField(choices=_any(Topic.choices), required=False)
    sector = forms.ChoiceField(
        choices=_any(Sector.choices), required=False, label="Audience sector"
    )
    level = forms.ChoiceField(choices=_any(Level.choices), required=False)


class CheckAnswerForm(forms.Form):
    """The option positions a learner chose for a knowledge check."""

    option = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Choose an answer."}
    )

    def __init__(self, *args, option_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(str(n), str(n)) for n in range(option_count)]


class ReflectionForm(forms.Form):
    text = forms.CharField(
        max_length=5000,
        strip=True,
        error_messages={"required": "Write your reflection before saving it."},
    )


class AssignForm(forms.Form):
    """Assign a course to staff; ``learners`` is limited to the agencies the assigner may see."""

    course = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose a course",
        error_messages={"required": "Choose a course."},
    )
    learners = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one person.",
            "invalid_choice": "You can only assign courses to people in your agency.",
        },
    )

    def __init__(self, *args, courses, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["learners"].queryset = learners
        self.fields["learners"].label_from_instance = lambda u: f"{u} ({u.email})"
