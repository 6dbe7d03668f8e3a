"""Report filters (GET, no JavaScript), reminders, subscriptions and evaluations."""

from django import forms

from courses.models import CoursePage
from reports.models import PracticeChange
from reports.selectors.scope import ReportFilters
from reports.selectors.tables import GROUP_NAMES

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        required=False, label="From", widget=DATE_WIDGET, help_text="For example, 2026-04-01"
    )
    date_to = forms.DateField(
        required=False, label="To", widget=DATE_WIDGET, help_text="For example, 2026-09-30"
    )
    course = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Course", choices=()
    )
    group_by = forms.ChoiceField(
        required=False, label="Break down by", choices=list(GROUP_NAMES.items())
    )

    def __init__(
        self,
        *args,
        agency_id: int | None = None,
        default_group: str = "agency",
        grouping: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not grouping:
            del self.fields["group_by"]
        self.agency_id = agency_id
        self.default_group = default_group
        if grouping:
            self.fields["group_by"].initial = default_group
        if grouping and agency_id is not None:  # one agency: by sector or agency is one line
            self.fields["group_by"].choices = [
                (key, label) for key, label in GROUP_NAMES.items() if key in ("team", "job_role")
            ]
        courses = CoursePage.objects.live().order_by("path").values_list("pk", "title")
        self.fields["course"].choices = [("", "All courses"), *courses]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data

    def filters(self) -> ReportFilters:
        """The filters to apply: the valid ones, or none at all when the form has errors."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            course_id=data.get("course"),
            agency_id=self.agency_id,
            group_by=data.get("group_by") or self.default_group,
        )


class ReminderForm(forms.Form):
    staff = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Staff to remind",
        error_messages={"required": "Choose at least one person to remind."},
    )
    message = forms.CharField(
        required=False,
        max_length=1000,
        label="Message (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, staff_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [(pk, pk) for pk in staff_ids]
        self.fields["staff"].error_messages["invalid_choice"] = (
            "You can only remind staff in your own agency."
        )


RATINGS = [(n, str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        coerce=int,
        choices=RATINGS,
        widget=forms.RadioSelect,
        label="How useful was this course for your work? (1 not useful, 5 very useful)",
        error_messages={"required": "Choose how useful the course was, from 1 to 5."},
    )

    def __init__(self, *args, outcomes: list[str], subject: str = "course", **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        if subject != "course":
            usefulness = self.fields["usefulness"]
            usefulness.label = usefulness.label.replace("course", subject)
            usefulness.error_messages["required"] = (
                f"Choose how useful the {subject} was, from 1 to 5."
            )
        for n, outcome in enumerate(outcomes, start=1):
            for when in ("before", "after"):
                self.fields[f"outcome_{n}_{when}"] = forms.TypedChoiceField(
                    coerce=int,
                    choices=RATINGS,
                    widget=forms.RadioSelect,
                    label=f"{outcome}: your confidence {when} the {subject} (1 low, 5 high)",
                    error_messages={
                        "required": f"Rate your confidence {when} the {subject} for: {outcome}"
                    },
                )

    def confidence(self) -> list[tuple[int, int]]:
        return [
            (self.cleaned_data[f"outcome_{n}_before"], self.cleaned_data[f"outcome_{n}_after"])
            for n in range(1, len(self.outcomes) + 1)
        ]


class FollowUpForm(forms.Form):
    practice_changed = forms.ChoiceField(
        choices=PracticeChange.choices,
        widget=forms.RadioSelect,
        label="Has your practice changed since you completed the course?",
        error_messages={"required": "Choose whether your practice has changed."},
    )
    example = forms.CharField(
        required=False,
        max_length=2000,
        label="Give an example (optional; do not name children or families)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, subject: str = "course", **kwargs):
        super().__init__(*args, **kwargs)
        if subject == "event":
            self.fields[
                "practice_changed"
            ].label = "Has your practice changed since you attended the event?"
