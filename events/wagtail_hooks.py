"""Admin registration: the read-only bookings listing and the required-event rules."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from events.models import EventRequirement
from events.viewsets import booking_viewset


@hooks.register("register_admin_viewset")
def register_booking_viewset():
    return booking_viewset


class EventRequirementViewSet(SnippetViewSet):
    model = EventRequirement
    icon = "tasks"
    menu_label = "Required events"
    add_to_admin_menu = True
    menu_order = 301
    list_display = ["__str__", "due_within_months", "renew_every_months"]


register_snippet(EventRequirementViewSet)
