"""Admin registration: required-learning rules, editable by Partnership admins, and the course
import page."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import RequiredLearning
from courses.viewsets import CourseImportViewSet


class RequiredLearningViewSet(SnippetViewSet):
    model = RequiredLearning
    icon = "tasks"
    menu_label = "Required learning"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["course", "sectors", "due_within_months"]


register_snippet(RequiredLearningViewSet)


@hooks.register("register_admin_viewset")
def register_course_import():
    return CourseImportViewSet()
