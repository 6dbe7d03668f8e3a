"""Registration, profile and membership-decision forms (GOV.UK markup via crispy-forms-gds).

Choosing an agency without JavaScript: the agency select may be left blank, and then the agency
that owns the email address's domain is used. Teams are one select grouped by agency
(``<optgroup>``), and the server checks that the team belongs to the agency.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.manage_email import email_already_exists
from allauth.mfa.base.forms import AuthenticateForm as AllauthMfaAuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, JobRole, Team, User
from accounts.selectors import agency_for_email, team_choices_by_agency
from accounts.services import user_membership_join

AGENCY_HELP = _(
    "Leave this blank if your work email address is from your agency: we will work it out."
)


class TeamChoiceField(forms.ChoiceField):
    """A team select grouped by agency; cleans to a Team (or None)."""

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices_now, **kwargs)

    @staticmethod
    def _choices_now():
        return [("", "Select your team"), *team_choices_by_agency()]

    def clean(self, value):
        value = super().clean(value)
        return Team.objects.select_related("agency").get(pk=value) if value else None


class MembershipFieldsMixin(forms.Form):
    """Agency, team and job role, cleaned together so the team belongs to the agency."""

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="Work it out from my email address",
        help_text=AGENCY_HELP,
        error_messages={"invalid_choice": _("Select your agency from the list")},
    )
    team = TeamChoiceField(
        required=False,
        help_text=_("Teams are listed under their agency."),
        error_messages={"invalid_choice": _("Select your team from the list")},
    )
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.all(),
        empty_label="Select your job role",
        error_messages={
            "required": _("Select your job role"),
            "invalid_choice": _("Select your job role from the list"),
        },
    )

    def clean_membership(self, *, email: str | None) -> None:
        """Fill in the agency from the email domain and check the team belongs to it."""
        agency = self.cleaned_data.get("agency")
        team = self.cleaned_data.get("team")
        if "agency" in self.errors or "team" in self.errors:
            return
        if agency is None and email:
            agency = agency_for_email(email=email)
        if agency is None:
            self.add_error(
                "agency",
                _("Select your agency: your email address does not tell us which it is"),
            )
            return
        self.cleaned_data["agency"] = agency
        if team is None and agency.teams.exists():
            self.add_error("team", _("Select your team in %(agency)s") % {"agency": agency})
        elif team is not None and team.agency_id != agency.pk:
            self.add_error(
                "team", _("Select a team in %(agency)s, your agency") % {"agency": agency}
            )


class SignupForm(MembershipFieldsMixin, AllauthSignupForm):
    """allauth's signup plus name, agency, team and job role."""

    first_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your given name")},
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your family name")},
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "agency",
        "team",
        "job_role",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Work email address")
        self.fields["email"].help_text = _("We will send you a link to confirm it.")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["email"].error_messages["required"] = _("Enter your work email address")
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.org"
        )
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password1"].error_messages["required"] = _("Enter a password")
        self.fields["password2"].label = _("Confirm password")
        self.fields["password2"].error_messages["required"] = _("Enter your password again")
        self.order_fields(self.field_order)

    def validate_unique_email(self, value) -> str:
        """Say so when the email is taken (allauth would silently email the owner instead)."""
        email, _exists = email_already_exists(value, always_raise=True)
        return email

    def clean(self):
        cleaned_data = super().clean()
        self.clean_membership(email=cleaned_data.get("email"))
        return cleaned_data

    def signup(self, request, user) -> None:
        """allauth's hook after the user is saved: record their agency, team and role."""
        user_membership_join(
            user=user,
            agency=self.cleaned_data["agency"],
            team=self.cleaned_data.get("team"),
            job_role=self.cleaned_data["job_role"],
        )


class ProfileForm(MembershipFieldsMixin, forms.ModelForm):
    """The details a learner can correct themselves (email and password have their own pages)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": _("Given name"), "last_name": _("Family name")}
        error_messages = {
            "first_name": {"required": _("Enter your given name")},
            "last_name": {"required": _("Enter your family name")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["agency"].required = True
        self.fields["agency"].empty_label = "Select your agency"
        self.fields["agency"].help_text = _(
            "If you move to an agency that approves its members, you will wait for its approval."
        )
        self.fields["agency"].error_messages["required"] = _("Select your agency")
        if self.instance.pk:
            self.initial.update(
                agency=self.instance.agency_id,
                team=self.instance.team_id,
                job_role=self.instance.job_role_id,
            )

    def clean(self):
        cleaned_data = super().clean()
        self.clean_membership(email=None)
        return cleaned_data


class MembershipDecisionForm(forms.Form):
    """An agency lead's approve or reject decision for one pending member."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])


def _code_field(field, *, label: str, hint: str) -> None:
    field.label, field.help_text = label, hint
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(inputmode="numeric", spellcheck="false")
    field.error_messages["required"] = "Enter the code from your authenticator app"


class MfaAuthenticateForm(AllauthMfaAuthenticateForm):
    """allauth MFA's sign-in code, labelled in GOV.UK terms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            label=_("Security code"),
            hint=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        )


class MfaActivateTOTPForm(AllauthActivateTOTPForm):
    """allauth MFA's authenticator-app enrolment code, labelled in GOV.UK terms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            label=_("Code from your app"),
            hint=_("The 6-digit code your authenticator app shows for Safeguarding training."),
        )
