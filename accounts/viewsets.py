"""Wagtail admin for agencies, teams, job roles and users (partnership admins only).

Model permissions decide who sees these: migrations 0002 and 0004 grant them to the
Partnership admin group only, so trainers and agency leads never see the menu.
"""

import django_filters
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import IndexView as WagtailUserIndexView
from wagtail.users.views.users import UserFilterSet as WagtailUserFilterSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from accounts.models import Agency, AgencyIdentityProvider, JobRole, MembershipStatus, Sector, Team
from accounts.services import identity_provider_save

MEMBERSHIP_FIELDS = ["agency", "team", "job_role", "membership_status"]


class AgencyViewSet(ModelViewSet):
    model = Agency
    name = "agencies"
    icon = "group"
    menu_label = "Agencies"
    list_display = ["name", "sector", "local_authority_area", "headcount", "requires_approval"]
    list_filter = ["sector", "requires_approval", "is_active"]
    search_fields = ["name", "domains__domain"]
    add_to_reference_index = False


class TeamViewSet(ModelViewSet):
    model = Team
    name = "teams"
    icon = "list-ul"
    menu_label = "Teams"
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name"]
    add_to_reference_index = False


class JobRoleAdminForm(WagtailAdminModelForm):
    """Sectors as checkboxes rather than raw JSON."""

    sectors = forms.MultipleChoiceField(
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Sectors where this role is found; leave all unticked for any sector.",
    )


class JobRoleViewSet(ModelViewSet):
    model = JobRole
    name = "job_roles"
    url_prefix = "job-roles"
    icon = "user"
    menu_label = "Job roles"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_reference_index = False
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sectors")],
        base_form_class=JobRoleAdminForm,
    )


class IdentityProviderForm(WagtailAdminModelForm):
    """The link plus its allauth SocialApp's fields, so an admin pastes everything in one place."""

    name = forms.CharField(
        label="Button label",
        max_length=40,
        help_text="Shown on the sign-in page, such as \u201cNorthshire Police account\u201d.",
    )
    issuer = forms.URLField(
        label="Issuer URL",
        assume_scheme="https",
        help_text="Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0. Others: the "
        "\u201cissuer\u201d in the provider's /.well-known/openid-configuration.",
    )
    client_id = forms.CharField(label="Client (application) id", max_length=191)
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="The secret's value (not its id). Leave blank to keep the current one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            app = self.instance.social_app
            self.initial.update(
                name=app.name, issuer=app.settings.get("server_url", ""), client_id=app.client_id
            )
        else:
            self.fields["client_secret"].required = True

    def save(self, commit=True):
        data = self.cleaned_data
        return identity_provider_save(
            link=self.instance,
            agency=data["agency"],
            tenant_id=data.get("tenant_id", ""),
            name=data["name"],
            issuer=data["issuer"],
            client_id=data["client_id"],
            secret=data["client_secret"],
        )


def _redirect_uri(link: AgencyIdentityProvider) -> str:
    path = reverse("openid_connect_callback", kwargs={"provider_id": link.social_app.provider_id})
    return settings.SITE_URL.rstrip("/") + path


class IdentityProviderViewSet(ModelViewSet):
    """Agencies' sign-in providers; each needs the redirect URI shown here registered with it."""

    model = AgencyIdentityProvider
    name = "identity_providers"
    url_prefix = "sign-in-providers"
    icon = "key"
    menu_label = "Sign-in providers"
    add_to_reference_index = False
    list_display = [
        "agency",
        Column("name", accessor=lambda link: link.social_app.name, label="Button label"),
        Column("redirect_uri", accessor=_redirect_uri, label="Redirect URI"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("agency"),
            FieldPanel("name"),
            FieldPanel("issuer"),
            FieldPanel("client_id"),
            FieldPanel("client_secret"),
            FieldPanel("tenant_id"),
        ],
        base_form_class=IdentityProviderForm,
    )

    def get_queryset(self, request):
        return AgencyIdentityProvider.objects.select_related("agency", "social_app")


class AgencyAdminGroup(ViewSetGroup):
    menu_label = "Agencies"
    menu_icon = "group"
    menu_order = 250
    items = (AgencyViewSet, TeamViewSet, JobRoleViewSet, IdentityProviderViewSet)


class MembershipAdminFormMixin:
    """Check the team belongs to the chosen agency."""

    def clean(self):
        cleaned_data = super().clean()
        agency, team = cleaned_data.get("agency"), cleaned_data.get("team")
        if team is not None and team.agency_id != getattr(agency, "pk", None):
            self.add_error("team", "Choose a team in the user's agency.")
        return cleaned_data


class UserCreateForm(MembershipAdminFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(MEMBERSHIP_FIELDS)


class UserChangeForm(MembershipAdminFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(MEMBERSHIP_FIELDS)


class UserFilterSet(WagtailUserFilterSet):
    agency = django_filters.ModelMultipleChoiceFilter(
        queryset=Agency.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    membership_status = django_filters.MultipleChoiceFilter(
        choices=MembershipStatus.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta(WagtailUserFilterSet.Meta):
        fields = []


class UserIndexView(WagtailUserIndexView):
    """Wagtail's user list with agency, team, job role and membership columns."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("agency", "team", "job_role")

    @cached_property
    def columns(self):
        columns = list(super().columns)
        position = next(i for i, c in enumerate(columns) if c.name == "is_superuser")
        columns[position:position] = [
            Column("agency", label="Agency", sort_key="agency__name"),
            Column("team", accessor=lambda u: u.team.name if u.team else "", label="Team"),
            Column("job_role", label="Job role"),
            Column(
                "membership_status",
                accessor="get_membership_status_display",
                label="Membership",
                sort_key="membership_status",
            ),
        ]
        return columns


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin, plus agency, team, job role and membership status."""

    index_view_class = UserIndexView
    filterset_class = UserFilterSet

    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return UserChangeForm if for_update else UserCreateForm
