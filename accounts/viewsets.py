"""Wagtail admin for agencies, teams, job roles and users (partnership admins only).

Model permissions decide who sees these: migrations 0002 and 0004 grant them to the
Partnership admin group only, so trainers and agency leads never see the menu.
"""

import django_filters
from django import forms
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

from accounts.models import Agency, JobRole, MembershipStatus, Sector, Team

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


class AgencyAdminGroup(ViewSetGroup):
    menu_label = "Agencies"
    menu_icon = "group"
    menu_order = 250
    items = (AgencyViewSet, TeamViewSet, JobRoleViewSet)


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
