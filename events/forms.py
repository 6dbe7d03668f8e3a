"""Forms: the programme's filters, a booking's needs, the trainer's register."""

from django import forms

from accounts.models import Sector
from courses.models.pages import Level
from events.models import Attendance, SessionMode


def _any(choices) -> list[tuple[str, str]]:
    return [("", "Any"), *choices]


class SessionFilterForm(forms.Form):
    """Filters in the query string, so the programme works (and can be bookmarked) without JS."""

    audience = forms.ChoiceField(
        choices=_any(Sector.choices), required=False, label="Audience sector"
    )
    level = forms.ChoiceField(choices=_any(Level.choices), required=False)
    mode = forms.ChoiceField(
        choices=_any(SessionMode.choices), required=False, label="Online or in person"
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        help_text="For example, 27 3 2027 or 2027-03-27.",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    places_left = forms.BooleanField(required=False, label="Only sessions with places left")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


class BookingForm(forms.Form):
    access_needs = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Access needs (optional)",
        help_text="For example, step-free access, a hearing loop or British Sign Language.",
    )
    dietary_needs = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Dietary needs (optional)",
    )


ATTENDANCE_CHOICES = Attendance.choices


class RegisterForm(forms.Form):
    """One radio group per booked person, named ``booking-<id>``."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            self.fields[f"booking-{booking.pk}"] = forms.ChoiceField(
                choices=ATTENDANCE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                label=str(booking.user),
                initial=booking.attendance or None,
            )

    def rows(self):
        """(booking, bound field) pairs for the template."""
        return [(b, self[f"booking-{b.pk}"]) for b in self.bookings]

    def marks(self) -> dict[int, str]:
        """Booking id -> attendance for every person the trainer marked."""
        return {
            b.pk: self.cleaned_data[f"booking-{b.pk}"]
            for b in self.bookings
            if self.cleaned_data.get(f"booking-{b.pk}")
        }
