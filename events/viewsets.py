"""Bookings in the Wagtail admin, for organisers: a read-only, filterable listing.

Bookings change only through events.services (emails, the waiting list and xAPI statements go
with every change), so the admin never adds, edits or deletes one, whatever the user's model
permissions. Who may look: anyone with ``events.view_booking`` (migration 0004 grants it to
Partnership admins and Agency leads; leads also need admin access). Each sees the bookings of
the agencies whose data they may see (accounts.selectors.user_report_agencies): partnership
admins every agency's, a lead only their own agency's.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.selectors import user_report_agencies
from events.models import Booking


class BookingPermissionPolicy(ModelPermissionPolicy):
    """Viewing follows the model permission; adding, changing and deleting are never allowed."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return "view" in actions and super().user_has_permission(user, "view")


class BookingIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(agency__in=user_report_agencies(user=self.request.user))
            .select_related("user", "agency", "session__page")
        )


def _session_start(booking: Booking) -> str:
    return f"{timezone.localtime(booking.session.starts_at):%-d %b %Y %H:%M}"


class BookingViewSet(ModelViewSet):
    model = Booking
    name = "event_bookings"
    url_prefix = "events/bookings"
    icon = "date"
    menu_label = "Event bookings"
    add_to_admin_menu = True
    menu_order = 310
    index_view_class = BookingIndexView
    copy_view_enabled = False
    form_fields: list[str] = []  # no form is ever shown: the policy allows only viewing
    add_to_reference_index = False
    list_display = [
        Column("user", label="Person", accessor=lambda b: b.user.get_full_name() or b.user.email),
        Column("email", label="Email", accessor=lambda b: b.user.email),
        Column("agency", label="Agency"),
        Column("event", label="Event", accessor=lambda b: b.session.page.title),
        Column("session", label="Session (UK time)", accessor=_session_start),
        Column("status", label="Status", accessor="get_status_display"),
        Column("attendance", label="Attendance", accessor="get_attendance_display"),
        DateColumn("created_at", label="Booked"),
    ]
    list_filter = ["status", "attendance", "agency", "session__page"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "session__page__title"]
    ordering = ["-session__starts_at", "user__last_name"]

    def get_permissions_to_register(self):
        # The view permission is the only one that means anything here: offer just it in the
        # admin's group editor (Wagtail leaves it out for a viewset without an inspect view).
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Booking), codename="view_booking"
        )


booking_viewset = BookingViewSet()
