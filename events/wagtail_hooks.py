"""Admin registration: the read-only bookings listing for organisers."""

from wagtail import hooks

from events.viewsets import booking_viewset


@hooks.register("register_admin_viewset")
def register_booking_viewset():
    return booking_viewset
