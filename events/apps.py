from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Training events"

    def ready(self):
        from wagtail.signals import page_published

        from events.models import EventPage
        from events.signals import event_published

        # Scheduled and admin publishing alike: booked people hear about changed sessions.
        page_published.connect(event_published, sender=EventPage, dispatch_uid="events.published")
