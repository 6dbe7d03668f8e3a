"""Wagtail admin for directory editors: services, organizations, locations, categories, reports."""

from django.utils.html import format_html
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from directory.forms import LocationAdminForm
from directory.models import (
    Location,
    Organization,
    ProblemReport,
    SearchSynonym,
    Service,
    Taxonomy,
    TaxonomyTerm,
)


class AssuredColumn(Column):
    """Last assured date, with a red "Stale" tag after 12 months."""

    def get_value(self, instance):
        checked = instance.assured_date.strftime("%-d %b %Y") if instance.assured_date else "Never"
        if instance.is_stale:
            return format_html('<span class="w-status w-status--label">Stale</span> {}', checked)
        return checked


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "doc-full"
    menu_label = "Services"
    menu_order = 100
    list_display = [
        "name",
        "organization",
        "review_status",
        "status",
        AssuredColumn("assured_date", label="Last checked"),
    ]
    list_filter = ["review_status", "status", "free"]
    search_fields = ["name", "description"]
    ordering = ["name"]
    copy_view_enabled = False


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_order = 200
    list_display = ["name", "website"]
    search_fields = ["name"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_order = 300
    list_display = ["__str__", "postal_code", "confidential"]
    list_filter = ["confidential", "location_type"]
    search_fields = ["name"]
    edit_handler = ObjectList(Location.panels, base_form_class=LocationAdminForm)


class TaxonomyTermViewSet(SnippetViewSet):
    model = TaxonomyTerm
    icon = "tag"
    menu_label = "Categories"
    menu_order = 400
    list_display = ["__str__", "term"]
    list_filter = ["taxonomy"]
    search_fields = ["name"]


class TaxonomyViewSet(SnippetViewSet):
    model = Taxonomy
    icon = "list-ul"
    menu_order = 500


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Search synonyms"
    menu_order = 600
    list_display = ["terms"]


class ProblemReportViewSet(SnippetViewSet):
    model = ProblemReport
    icon = "warning"
    menu_label = "Problem reports"
    menu_order = 50
    list_display = ["service", "status", "created_at"]
    list_filter = ["status"]
    add_view_enabled = False
    copy_view_enabled = False


class DirectoryViewSetGroup(ViewSetGroup):
    menu_label = "Directory"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        ProblemReportViewSet,
        ServiceViewSet,
        OrganizationViewSet,
        LocationViewSet,
        TaxonomyTermViewSet,
        TaxonomyViewSet,
        SearchSynonymViewSet,
    )
