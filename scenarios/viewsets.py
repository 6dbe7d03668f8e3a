"""The Scenario snippet viewset: list, edit, and the extra admin views (map, export, duplicate)."""

from wagtail.snippets.views.snippets import SnippetViewSet

from scenarios.models import Scenario


class ScenarioViewSet(SnippetViewSet):
    """Scenarios in the admin menu, with drafts, revisions, locking and publishing."""

    model = Scenario
    icon = "table"
    menu_label = "Scenarios"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "slug", "live", "updated_at"]
    search_fields = ["title"]
