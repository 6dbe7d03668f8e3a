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


class ActionPlanForm(forms.Form):
    """The learner's practice action plan at the end of a course."""

    actions = forms.CharField(
        label="What will you do differently in your practice?",
        help_text="Two or three concrete changes, for example “ask every child I visit who they "
        "miss and when they last saw them”.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={"required": "Write at least one thing you will do differently"},
    )
    support = forms.CharField(
        label="What support do you need from your manager? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    review_by = forms.DateField(
        label="When will you and your manager review it? (optional)",
        help_text="For example, 2027-03-31",
        required=False,
        error_messages={"invalid": "Enter the date as year-month-day, for example 2027-03-31"},
    )
