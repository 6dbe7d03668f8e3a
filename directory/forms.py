"""The search filters (all in the URL), the "report a problem" form and the ORUK API's
query parameters."""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from wagtail.admin.forms import WagtailAdminModelForm

from directory.selectors import (
    PostcodeError,
    ServiceQuery,
    Sort,
    filter_options,
    postcode_point,
)

DELIVERY_CHOICES = [("in_person", "In person"), ("phone", "By phone"), ("online", "Online")]
MILES_CHOICES = [
    ("", "Any distance"),
    *((str(n), f"{n} mile{'' if n == 1 else 's'}") for n in (1, 3, 5, 10, 25, 50)),
]
SORT_CHOICES = [
    (Sort.RELEVANCE, "Best match"),
    (Sort.DISTANCE, "Distance"),
    (Sort.NAME, "Name (A to Z)"),
]


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    category = forms.MultipleChoiceField(label="Category", required=False)
    language = forms.ChoiceField(label="Language spoken", required=False)
    age = forms.IntegerField(
        label="Age of the child or young person",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter the age as a whole number, like 14",
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 120 or less",
        },
    )
    area = forms.ChoiceField(label="Area covered", required=False)
    delivery = forms.MultipleChoiceField(
        label="How it is delivered", required=False, choices=DELIVERY_CHOICES
    )
    free = forms.BooleanField(label="Free services only", required=False)
    open_now = forms.BooleanField(label="Open now", required=False)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    miles = forms.ChoiceField(label="Distance", required=False, choices=MILES_CHOICES)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = filter_options()
        self.category_groups = options.categories
        self.fields["category"].choices = [
            (term.term, term.name)
            for parent, children in self.category_groups
            for term in [parent, *children]
        ]
        self.fields["language"].choices = [("", "Any language"), *options.languages]
        self.fields["area"].choices = [("", "Any area"), *((a, a) for a in options.areas)]
        self.point = None

    def category_panel(self) -> list[tuple[str, bool, list[tuple[str, str, bool]]]]:
        """Per top-level category: its name, whether to show it open (a term in it is ticked)
        and its checkbox items (term, label, ticked), "Any <category>" last."""
        ticked = set(self["category"].value() or ())
        panel = []
        for parent, children in self.category_groups:
            items = [(child.term, child.name, child.term in ticked) for child in children]
            items.append((parent.term, f"Any {parent.name.lower()}", parent.term in ticked))
            panel.append((parent.name, any(checked for _t, _l, checked in items), items))
        return panel

    def delivery_items(self) -> list[tuple[str, str, bool]]:
        """(value, label, ticked) for each way of delivering a service."""
        ticked = set(self["delivery"].value() or ())
        return [(value, label, value in ticked) for value, label in DELIVERY_CHOICES]

    def clean(self):
        cleaned = super().clean()
        postcode = (cleaned.get("postcode") or "").strip()
        if postcode:
            try:
                self.point = postcode_point(postcode=postcode)
            except PostcodeError as error:
                self.add_error("postcode", str(error))
        elif cleaned.get("miles"):
            self.add_error("postcode", "Enter a postcode to search by distance")
        elif cleaned.get("sort") == Sort.DISTANCE:
            self.add_error("postcode", "Enter a postcode to sort by distance")
        return cleaned

    def to_query(self) -> ServiceQuery:
        data = self.cleaned_data
        text = data.get("q", "").strip()
        sort = data.get("sort") or (Sort.RELEVANCE if text else Sort.NAME)
        if not data.get("sort") and self.point is not None and not text:
            sort = Sort.DISTANCE
        return ServiceQuery(
            text=text,
            categories=tuple(data.get("category") or ()),
            language=data.get("language") or "",
            age=data.get("age"),
            area=data.get("area") or "",
            delivery=tuple(data.get("delivery") or ()),
            free_only=bool(data.get("free")),
            open_now=bool(data.get("open_now")),
            near=self.point,
            within_miles=float(data["miles"]) if data.get("miles") and self.point else None,
            sort=sort,
        )


class ProblemReportForm(forms.Form):
    description = forms.CharField(
        label="What is wrong with this entry?",
        help_text="For example, a phone number that no longer works or a service that has closed. "
        "Do not include anything about a child or family.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Describe what is wrong with this entry"},
    )
    email = forms.EmailField(
        label="Your email address (optional)",
        help_text="So an editor can ask you about it.",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )


class LocationAdminForm(WagtailAdminModelForm):
    """Fill the map position from the postcode (Code-Point Open) when left blank."""

    def clean(self):
        cleaned = super().clean()
        postcode = cleaned.get("postal_code")
        if postcode and (cleaned.get("latitude") is None or cleaned.get("longitude") is None):
            try:
                point = postcode_point(postcode=postcode)
            except PostcodeError as error:
                self.add_error("postal_code", str(error))
            else:
                cleaned["latitude"], cleaned["longitude"] = point.latitude, point.longitude
                self.instance.latitude, self.instance.longitude = point.latitude, point.longitude
        return cleaned


# The ORUK API's query parameters (directory/api.py). Each message names its parameter, as the
# 400 response's reason is the first message.

MAX_PER_PAGE = 500


class _FlagField(forms.Field):
    """An API flag: true/1 or false/0/blank."""

    def to_python(self, value):
        text = (value or "").strip().lower()
        if text in ("", "false", "0"):
            return False
        if text in ("true", "1"):
            return True
        raise forms.ValidationError("must be true or false")


class _WholeNumberField(forms.Field):
    def __init__(self, *, low: int, high: int, **kwargs):
        self.low, self.high = low, high
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        try:
            number = int(text)
        except ValueError as error:
            raise forms.ValidationError("must be a whole number") from error
        if not self.low <= number <= self.high:
            raise forms.ValidationError(f"must be between {self.low} and {self.high}")
        return number


class _UUIDParamField(forms.Field):
    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        try:
            return uuid.UUID(text)
        except ValueError as error:
            raise forms.ValidationError("must be a UUID") from error


class _WhenField(forms.Field):
    """An ISO 8601 date or datetime (UTC when no offset is given); impossible dates refused."""

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        message = "must be an ISO 8601 date or datetime, e.g. 2024-01-31 or 2024-01-31T09:00:00Z"
        try:
            # A "+" in an offset arrives as a space when the URL did not encode it.
            moment = parse_datetime(text.replace(" ", "+"))
            if moment is None:
                day = parse_date(text)
                if day is None:
                    raise forms.ValidationError(message)
                moment = datetime.datetime.combine(day, datetime.time.min)
        except ValueError as error:  # well formed but impossible, e.g. 2024-13-45
            raise forms.ValidationError(message) from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return moment


class OrukListParams(forms.Form):
    """Paging, format and search: the parameters every ORUK list endpoint takes."""

    page = _WholeNumberField(low=1, high=10**6)
    per_page = _WholeNumberField(low=1, high=MAX_PER_PAGE)
    format = forms.ChoiceField(
        required=False,
        choices=[("json", "json"), ("ndjson", "ndjson")],
        error_messages={"invalid_choice": "must be json or ndjson"},
    )
    search = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "must be at most 200 characters"},
    )

    def reason(self) -> str:
        """The first problem, naming its parameter (the API's 400 reason)."""
        for name, errors in self.errors.items():
            return errors[0] if name == "__all__" else f"{name} {errors[0]}"
        return ""


class ServiceListParams(OrukListParams):
    """ORUK /services."""

    minimal = _FlagField(required=False)
    full = _FlagField(required=False)
    taxonomy_id = _UUIDParamField(required=False)
    taxonomy_term_id = _UUIDParamField(required=False)
    organization_id = _UUIDParamField(required=False)
    modified_after = _WhenField(required=False)


class TaxonomyTermListParams(OrukListParams):
    """ORUK /taxonomy_terms."""

    taxonomy_id = _UUIDParamField(required=False)
    parent_id = _UUIDParamField(required=False)
    top_only = _FlagField(required=False)


class OrganizationListParams(OrukListParams):
    """ORUK /organizations."""

    full = _FlagField(required=False)
    full_service = _FlagField(required=False)


class ServiceAtLocationListParams(ServiceListParams):
    """ORUK /service_at_locations: the service filters, and a postcode with a proximity."""

    postcode = forms.CharField(required=False, max_length=20)
    proximity = forms.CharField(required=False)

    def clean_proximity(self):
        text = (self.cleaned_data.get("proximity") or "").strip()
        if not text:
            return None
        try:
            metres = float(text)
        except ValueError as error:
            raise forms.ValidationError("must be a number of metres") from error
        if not 0 < metres <= 1_000_000:
            raise forms.ValidationError("must be between 1 and 1000000 metres")
        return metres

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("proximity") and not (cleaned.get("postcode") or "").strip():
            raise forms.ValidationError("proximity needs a postcode")
        return cleaned
