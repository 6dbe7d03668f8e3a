"""The admin form for LRS destinations: a write-only secret, verbs as checkboxes."""

from urllib.parse import urlparse

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from tracking.models import IdentifierType, LRSDestination
from tracking.vocabulary import VERB_DISPLAY

FIELDS = [
    "name",
    "endpoint",
    "username",
    "secret",
    "xapi_version",
    "identifier",
    "agencies",
    "courses",
    "verbs",
    "is_active",
    "batch_size",
    "max_attempts",
    "timeout_seconds",
]


def _formfield(db_field, **kwargs):
    if db_field.name == "endpoint":
        kwargs["assume_scheme"] = "https"  # Django 6's default, and what an LRS should use
    return db_field.formfield(**kwargs)


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class LRSDestinationForm(WagtailAdminModelForm):
    secret = forms.CharField(
        label="Secret (Basic auth password)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored encrypted and never shown again. Leave blank to keep the current one.",
    )
    verbs = forms.MultipleChoiceField(
        choices=[(iri, label) for iri, label in VERB_DISPLAY.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only statements with these verbs; none ticked means every verb.",
    )

    class Meta:
        model = LRSDestination
        formfield_callback = _formfield
        fields = [f for f in FIELDS if f != "secret"]
        widgets = {
            "agencies": forms.CheckboxSelectMultiple,
            "courses": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("secret"):
            self.add_error("secret", "Enter the secret the destination gave you.")
        endpoint = urlparse(data.get("endpoint") or "")
        if endpoint.scheme == "http" and endpoint.hostname not in LOCAL_HOSTS:
            # Credentials and learner data would cross the network in clear text.
            self.add_error("endpoint", "Use an https:// address for an LRS on another machine.")
        if data.get("identifier") == IdentifierType.MBOX and not data.get("agencies"):
            # An email identifier is personal data: it goes only to named agencies' systems.
            self.add_error(
                "agencies",
                "Choose the agencies whose staff this destination may receive by email address.",
            )
        return data
