"""iCalendar (RFC 5545) files for bookings and the programme feed, and the booking emails."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from events.models import Booking, EventSession, SessionMode

PRODID = "-//Safeguarding children partnership//Training events//EN"


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def _location(session: EventSession) -> str:
    return "Online" if session.mode == SessionMode.ONLINE else " ".join(session.venue.split())


def _event(session: EventSession, *, uid: str, sequence: int, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    # Times in Europe/London with the zone's VTIMEZONE (added below), so calendars show the
    # local time even across a clock change.
    event.add("dtstart", timezone.localtime(session.starts_at))
    event.add("dtend", timezone.localtime(session.ends_at))
    event.add("summary", session.page.title)
    event.add("location", vText(_location(session)))
    event.add("description", description)
    event.add("url", f"{_site()}{session.page.url}")
    return event


def booking_ics(*, booking: Booking, method: str = "REQUEST") -> bytes:
    """The booking as an invitation (REQUEST) or its withdrawal (CANCEL), UID = registration.

    The joining link of an online session is included: this file goes only to the booked person.
    """
    session = booking.session
    calendar = _calendar(method)
    lines = [session.page.summary]
    if session.mode == SessionMode.ONLINE and method == "REQUEST":
        lines.append(f"Join online: {session.joining_link}")
    event = _event(
        session,
        uid=f"{booking.registration}@{settings.SITE_URL.split('://', 1)[-1].split('/')[0]}",
        sequence=booking.sequence,
        description="\n".join(lines),
    )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organiser.params["cn"] = vText("Safeguarding children partnership")
    event.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{booking.user.email}")
    attendee.params["cn"] = vText(str(booking.user))
    attendee.params["partstat"] = vText("DECLINED" if method == "CANCEL" else "ACCEPTED")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def sessions_feed_ics(*, sessions: list[EventSession]) -> bytes:
    """A subscribable feed (PUBLISH) of sessions: no joining links, no personal data."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Safeguarding partnership training events")
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0]
    for session in sessions:
        calendar.add_component(
            _event(
                session,
                uid=f"session-{session.pk}@{host}",
                sequence=0,
                description=session.page.summary,
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()


# Email kind -> (subject prefix, iCalendar method or None).
EMAILS = {
    "booked": ("Booking confirmed", "REQUEST"),
    "pending": ("Booking waiting for approval", None),
    "waiting": ("You are on the waiting list", None),
    "offered": ("A place is available", None),
    "declined": ("Booking not approved", None),
    "expired": ("Place offer expired", None),
    "cancelled": ("Booking cancelled", "CANCEL"),
    "updated": ("Session details changed", "REQUEST"),
    "reminder_week": ("Reminder: one week to go", "REQUEST"),
    "reminder_day": ("Reminder: tomorrow", "REQUEST"),
}


def booking_email_send(*, booking_id: int, kind: str) -> bool:
    """Email the person about their booking (with the .ics where it changes their calendar).

    Returns False if the booking no longer exists. Raises KeyError for an unknown kind.
    """
    subject, method = EMAILS[kind]
    booking = Booking.objects.select_related("user", "session__page").filter(pk=booking_id).first()
    if booking is None:
        return False
    session = booking.session
    message = EmailMessage(
        subject=f"{subject}: {session.page.title}",
        body=render_to_string(
            f"events/email/{kind}.txt",
            {
                "booking": booking,
                "session": session,
                "event": session.page,
                "site_url": _site(),
                "starts": timezone.localtime(session.starts_at),
                "show_link": session.mode == SessionMode.ONLINE and method == "REQUEST",
            },
        ),
        to=[booking.user.email],
    )
    if method:
        message.attach(
            "invite.ics" if method == "REQUEST" else "cancel.ics",
            booking_ics(booking=booking, method=method),
            f"text/calendar; charset=utf-8; method={method}",
        )
    message.send()
    return True
