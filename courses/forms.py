"""Forms: the catalogue filter and learner answers."""

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from accounts.models import JobRole, Sector, Team
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
    """Assign a course to staff, chosen by name, team or job role, with an optional due date.

    ``learners`` is limited to the people the assigner may see; teams and job roles pick from
    those same people, so nobody outside the assigner's agencies can be reached.
    """

    course = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose a course",
        error_messages={"required": "Choose a course."},
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    job_roles = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    learners = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "You can only assign courses to people in your agency."},
    )
    due_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    due_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    due_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, courses, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["learners"].queryset = learners
        self.fields["learners"].label_from_instance = lambda u: f"{u} ({u.email})"
        self.fields["teams"].queryset = Team.objects.filter(
            pk__in=learners.values("team_id")
        ).order_by("name")
        self.fields["job_roles"].queryset = JobRole.objects.filter(
            pk__in=learners.values("job_role_id")
        ).order_by("name")
        self._learners = learners

    def clean(self):
        data = super().clean()
        parts = [data.get(f"due_{part}") for part in ("day", "month", "year")]
        data["due_at"] = None
        if any(parts) and not all(parts):
            self.add_error("due_day", "Enter a full due date, or leave it blank.")
        elif all(parts):
            try:
                due = date(parts[2], parts[1], parts[0])
            except ValueError:
                self.add_error("due_day", "Enter a real due date.")
            else:
                if due < timezone.localdate():
                    self.add_error("due_day", "The due date must be today or in the future.")
                # The end of the day named: "due 31 March" includes 31 March.
                end = datetime.combine(due, time(23, 59, 59))
                data["due_at"] = timezone.make_aware(end)
        chosen = set(data.get("learners") or [])
        if data.get("teams"):
            chosen.update(self._learners.filter(team__in=data["teams"]))
        if data.get("job_roles"):
            chosen.update(self._learners.filter(job_role__in=data["job_roles"]))
        if not chosen and not self.has_error("learners"):
            self.add_error("learners", "Choose at least one person, team or job role.")
        data["everyone"] = sorted(chosen, key=lambda u: (u.last_name, u.first_name, u.email))
        return data


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


COURSE_UPLOAD_MAX_FILES = 50
COURSE_UPLOAD_MAX_BYTES = 2_000_000


class CourseImportForm(forms.Form):
    """The files of one course folder (content/FORMAT.md): course.md and NN-<module>.md."""

    files = MultipleFileField(
        label="Course files (Markdown)",
        help_text="Choose course.md and every module file (01-<module>.md, 02-...) together, "
        f"at most {COURSE_UPLOAD_MAX_FILES} files and {COURSE_UPLOAD_MAX_BYTES // 1_000_000} MB "
        "in all. They are checked first; nothing changes until you confirm.",
    )

    def clean_files(self) -> dict[str, bytes]:
        uploads = self.cleaned_data["files"]
        if len(uploads) > COURSE_UPLOAD_MAX_FILES:
            raise forms.ValidationError(f"Choose at most {COURSE_UPLOAD_MAX_FILES} files.")
        if sum(upload.size for upload in uploads) > COURSE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The files come to more than {COURSE_UPLOAD_MAX_BYTES // 1_000_000} MB."
            )
        files = {}
        for upload in uploads:
            name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
            if not name.endswith(".md") or name.startswith(".") or name in files:
                raise forms.ValidationError(
                    f"{name}: choose each course file once; course files end in .md."
                )
            files[name] = upload.read()
        return files
