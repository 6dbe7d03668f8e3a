"""Event page and session factories; the programme page comes from the events data migration."""

from datetime import timedelta

import factory
import wagtail_factories
from django.conf import settings
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from events.models import EventIndexPage, EventPage, EventSession, SessionMode


def event_index() -> EventIndexPage:
    """The programme page from the data migration (made again after a transactional flush)."""
    index = EventIndexPage.objects.first()
    if index is None:
        # A transactional test's flush also removes the default locale the migrations made.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
        index = root.add_child(instance=EventIndexPage(title="Training events", slug="events"))
    return index


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "A multi-agency workshop."
    level = "intermediate"
    audience_sectors = factory.LazyFunction(list)
    parent = factory.LazyFunction(event_index)


class EventSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSession

    page = factory.SubFactory(EventPageFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    mode = SessionMode.IN_PERSON
    venue = "Oldham Civic Centre, West Street, OL1 1UT"
    capacity = 10
