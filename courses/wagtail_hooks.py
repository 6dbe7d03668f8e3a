"""Admin registration: required-learning rules, editable by Partnership admins."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import RequiredLearning


class RequiredLearningViewSet(SnippetViewSet):
    model = RequiredLearning
    icon = "tasks"
    menu_label = "Required learning"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["course", "sectors", "due_within_months"]


register_snippet(RequiredLearningViewSet)
