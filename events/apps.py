from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Training events"

    def ready(self):
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published

        from events.models import Booking, EventPage
        from events.signals import event_published
        from events.viewsets import BookingPermissionPolicy

        # Bookings change only through events.services: the admin may list them, nothing more.
        register_permission_policy(Booking, BookingPermissionPolicy(Booking))

        # Scheduled and admin publishing alike: booked people hear about changed sessions.
        page_published.connect(event_published, sender=EventPage, dispatch_uid="events.published")
