"""Event pages in the Wagtail admin: tree rules and creating an event with its sessions inline."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.roles import Role
from events.models import EventIndexPage, EventPage
from pages.models import HomePage
from tests.accounts.factories import UserFactory


class EventAdminTests(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})

    def test_an_admin_creates_an_event_with_an_online_and_an_in_person_session(self):
        self.client.force_login(UserFactory(is_superuser=True, is_staff=True))
        trainer = UserFactory(roles=[Role.TRAINER])
        index = EventIndexPage.objects.get()
        session = {
            "capacity": "20",
            "agency_quota": "",
            "venue": "",
            "joining_link": "",
        }
        data = nested_form_data(
            {
                "title": "Reflective supervision",
                "slug": "reflective-supervision",
                "summary": "Supervision across agencies.",
                "level": "intermediate",
                "cpd_minutes": "180",
                "cancellation_cutoff_hours": "48",
                "offer_hours": "48",
                "sessions": inline_formset(
                    [
                        {
                            **session,
                            "starts_at": "2027-03-30 09:30",
                            "ends_at": "2027-03-30 12:30",
                            "mode": "online",
                            "joining_link": "https://meet.example.org/r",
                        },
                        {
                            **session,
                            "starts_at": "2027-04-02 13:00",
                            "ends_at": "2027-04-02 16:00",
                            "mode": "in_person",
                            "venue": "Oldham Civic Centre",
                        },
                    ]
                ),
            }
        )
        # A multiple choice field: nested_form_data would number a list's items.
        data["sessions-0-trainers"] = [str(trainer.pk)]
        self.assertCanCreate(index, EventPage, data)
        page = EventPage.objects.get(slug="reflective-supervision")
        self.assertEqual(page.sessions.count(), 2)
        first = page.sessions.order_by("starts_at").first()
        # Entered in UK time: 09:30 BST is 08:30 UTC.
        self.assertEqual(first.starts_at.isoformat(), "2027-03-30T08:30:00+00:00")
        self.assertEqual(list(first.trainers.all()), [trainer])

    def test_an_online_session_without_a_joining_link_is_refused(self):
        self.client.force_login(UserFactory(is_superuser=True, is_staff=True))
        index = EventIndexPage.objects.get()
        data = nested_form_data(
            {
                "title": "No link",
                "slug": "no-link",
                "summary": "x",
                "level": "foundation",
                "cpd_minutes": "60",
                "cancellation_cutoff_hours": "48",
                "offer_hours": "48",
                "sessions": inline_formset(
                    [
                        {
                            "starts_at": "2027-03-30 09:30",
                            "ends_at": "2027-03-30 12:30",
                            "mode": "online",
                            "capacity": "20",
                        }
                    ]
                ),
            }
        )
        with self.assertRaises(AssertionError):
            self.assertCanCreate(index, EventPage, data)
        self.assertFalse(EventPage.objects.filter(slug="no-link").exists())
