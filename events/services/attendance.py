"""The trainer's register, corrections to it, and certificates of attendance."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from events.models import COMPLETING, PRESENT, Booking, EventSession
from events.selectors import register_bookings, user_can_mark_register
from events.services.booking import BookingError, booking_event_record
from learning.models import EventKind

# The register opens an hour before the start, so a trainer can mark people as they arrive.
REGISTER_OPENS = timedelta(hours=1)


def _record(booking: Booking, attendance: str) -> None:
    if attendance in PRESENT:
        booking_event_record(
            booking=booking,
            kind=EventKind.EVENT_ATTENDED,
            result={"attendance": attendance},
        )
    if attendance in COMPLETING:
        booking_event_record(
            booking=booking,
            kind=EventKind.EVENT_COMPLETED,
            result={"completion": True, "duration_seconds": _seconds(booking.session)},
        )


def _seconds(session: EventSession) -> int:
    return int((session.ends_at - session.starts_at).total_seconds())


@transaction.atomic
def register_mark(*, session: EventSession, marks: dict[int, str], marked_by) -> int:
    """Mark attendance for the session's people; returns how many marks changed.

    Raises PermissionDenied unless ``marked_by`` is a trainer of the session or a partnership
    admin, BookingError before the register opens. Present marks record EVENT_ATTENDED (and
    EVENT_COMPLETED for attended or late); changing a present mark first records
    EVENT_ATTENDANCE_CORRECTED, which voids the earlier statements. Unchanged marks do nothing.
    """
    if not user_can_mark_register(user=marked_by, session=session):
        raise PermissionDenied("Only the session's trainers can mark its register.")
    if timezone.now() < session.starts_at - REGISTER_OPENS:
        raise BookingError("The register opens an hour before the session starts.")
    changed = 0
    # of=self: the person's agency is an outer join, which PostgreSQL cannot lock.
    bookings = (
        register_bookings(session=session)
        .filter(pk__in=list(marks))
        .select_for_update(of=("self",))
    )
    for booking in bookings:
        new, old = marks[booking.pk], booking.attendance
        if new == old:
            continue
        if old in PRESENT:
            booking_event_record(booking=booking, kind=EventKind.EVENT_ATTENDANCE_CORRECTED)
        booking.attendance = new
        booking.attendance_marked_by = marked_by
        booking.attendance_marked_at = timezone.now()
        booking.save(update_fields=["attendance", "attendance_marked_by", "attendance_marked_at"])
        _record(booking, new)
        changed += 1
    return changed


def certificate_pdf(*, booking: Booking) -> bytes:
    """A certificate of attendance as PDF bytes (WeasyPrint, as courses' certificates).

    Raises BookingError unless the person attended the whole session (attended or late).
    """
    from weasyprint import HTML

    if booking.attendance not in COMPLETING:
        raise BookingError("A certificate is available once the trainer records you attended.")
    session = booking.session
    html = render_to_string(
        "events/certificate_pdf.html",
        {
            "booking": booking,
            "session": session,
            "event": session.page,
            "learner_name": booking.user.get_full_name() or booking.user.email,
            "hours": divmod(session.page.cpd_minutes, 60),
            "starts": timezone.localtime(session.starts_at),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
