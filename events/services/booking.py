"""Booking a place: approval, cancellation, the waiting list and its offers, reminders.

Every change to who holds a place locks the session row first (``select_for_update``), so two
people booking the last place at once get one place and one waiting-list place. SQLite ignores
the lock, but its IMMEDIATE transactions (config/env.py) serialise the same writers.
"""

from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.selectors import user_report_agencies
from events.models import ACTIVE, HOLDING, Booking, BookingStatus, EventSession
from learning.models import EventKind
from learning.services import learning_event_record


class BookingError(Exception):
    """A booking action that cannot be done; the message is safe to show the person."""


def _email(booking_id: int, kind: str) -> None:
    from events.tasks import booking_email_send_task

    transaction.on_commit(partial(booking_email_send_task.delay, booking_id, kind), robust=True)


def _locked(session_id: int) -> EventSession:
    return EventSession.objects.select_for_update().select_related("page").get(pk=session_id)


def _has_place(session: EventSession, *, agency_id: int | None) -> bool:
    holding = Booking.objects.filter(session=session, status__in=HOLDING)
    if holding.count() >= session.capacity:
        return False
    if session.agency_quota is not None and agency_id is not None:
        return holding.filter(agency_id=agency_id).count() < session.agency_quota
    return True


def learning_event_extra(booking: Booking) -> dict:
    """What the xAPI statement and the evaluation need to name the event, its session and its
    learning outcomes without reading them."""
    session = booking.session
    return {
        "event_id": session.page_id,
        "event_title": session.page.title,
        "session_id": session.pk,
        "starts_at": session.starts_at.isoformat(),
        # For the evaluation after the event (reports asks about each outcome).
        "learning_outcomes": session.page.learning_outcome_list,
    }


def booking_event_record(*, booking: Booking, kind: EventKind, result: dict | None = None):
    """Record a learning event of the booking (registration = the booking's)."""
    return learning_event_record(
        user=booking.user,
        kind=kind,
        activity=f"event-session:{booking.session_id}",
        registration=booking.registration,
        result=result,
        extra=learning_event_extra(booking),
    )


def _confirm(booking: Booking) -> None:
    booking.status = BookingStatus.BOOKED
    booking.offer_expires_at = None
    booking.sent_fingerprint = booking.session.fingerprint
    booking.save()
    booking_event_record(booking=booking, kind=EventKind.EVENT_BOOKED)
    _email(booking.pk, "booked")


def _place_or_approval(booking: Booking) -> None:
    if booking.session.page.requires_approval:
        booking.status = BookingStatus.PENDING_APPROVAL
        booking.save()
        _email(booking.pk, "pending")
    else:
        _confirm(booking)


@transaction.atomic
def booking_create(
    *, user, session: EventSession, access_needs: str = "", dietary_needs: str = ""
) -> Booking:
    """Book a place, or a waiting-list place when the session (or the agency's quota) is full.

    Idempotent: returns the person's active booking on the session if there is one. Raises
    BookingError if the session has started or a prerequisite course is not completed.
    Records EVENT_BOOKED and enqueues the confirmation (with .ics) after commit.
    """
    from courses.selectors.learner import prerequisites_missing

    session = _locked(session.pk)
    existing = Booking.objects.filter(user=user, session=session, status__in=ACTIVE).first()
    if existing:
        return existing
    if not session.page.live or session.starts_at <= timezone.now():
        raise BookingError("This session is no longer open for booking.")
    missing = prerequisites_missing(user=user, course=session.page)
    if missing:
        titles = ", ".join(page.title for page in missing)
        raise BookingError(f"Complete these courses before booking: {titles}.")
    booking = Booking(
        session=session,
        user=user,
        agency_id=user.agency_id,
        access_needs=access_needs.strip(),
        dietary_needs=dietary_needs.strip(),
    )
    if _has_place(session, agency_id=user.agency_id):
        _place_or_approval(booking)
    else:
        booking.status = BookingStatus.WAITING
        booking.queued_at = timezone.now()
        booking.save()
        _email(booking.pk, "waiting")
    return booking


def _offer_places(session: EventSession) -> list[Booking]:
    """Offer free places to the waiting list, first come first served within agency quotas.

    The caller holds the session's lock.
    """
    now = timezone.now()
    offered = []
    queue = Booking.objects.filter(session=session, status=BookingStatus.WAITING).order_by(
        "queued_at", "pk"
    )
    for candidate in queue:
        if not _has_place(session, agency_id=None):
            break
        if not _has_place(session, agency_id=candidate.agency_id):
            continue  # their agency holds its quota: the next person in another agency
        candidate.status = BookingStatus.OFFERED
        candidate.offer_expires_at = min(
            now + timedelta(hours=session.page.offer_hours), session.starts_at
        )
        candidate.save()
        _email(candidate.pk, "offered")
        offered.append(candidate)
    return offered


def _mine(booking: Booking, user, session: EventSession) -> Booking:
    """The booking re-read under the session's lock; PermissionDenied if it is not theirs."""
    booking = Booking.objects.select_related("session__page", "user").get(pk=booking.pk)
    if booking.user_id != user.pk:
        raise PermissionDenied("This is not your booking.")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, user) -> Booking:
    """The learner cancels (a place, a request, an offer or a waiting-list place).

    Raises BookingError after the event's cut-off for a confirmed place. A cancelled place
    voids the registration's statement (EVENT_BOOKING_CANCELLED), sends the calendar
    cancellation and offers the place to the waiting list. Idempotent on a cancelled booking.
    """
    session = _locked(booking.session_id)
    booking = _mine(booking, user, session)
    if booking.status not in ACTIVE:
        return booking
    cutoff = session.starts_at - timedelta(hours=session.page.cancellation_cutoff_hours)
    was_booked = booking.status == BookingStatus.BOOKED
    if was_booked and timezone.now() > cutoff:
        raise BookingError(
            "It is too late to cancel online. Contact the trainer, who will record it."
        )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.offer_expires_at = None
    if was_booked:
        booking.sequence += 1
        booking.save()
        booking_event_record(booking=booking, kind=EventKind.EVENT_BOOKING_CANCELLED)
        _email(booking.pk, "cancelled")
    else:
        booking.save()
    _offer_places(session)
    return booking


@transaction.atomic
def booking_offer_accept(*, booking: Booking, user) -> Booking:
    """Accept an offered place (then booked, or pending approval if the event needs it).

    Raises BookingError when there is no open offer (expired, or already answered).
    """
    session = _locked(booking.session_id)
    booking = _mine(booking, user, session)
    if booking.status != BookingStatus.OFFERED or booking.offer_expires_at <= timezone.now():
        raise BookingError("This offer is no longer open.")
    _place_or_approval(booking)
    return booking


def _check_approver(booking: Booking, approver) -> None:
    if not user_report_agencies(user=approver).filter(pk=booking.agency_id).exists():
        raise PermissionDenied("You can only approve bookings for your agency.")


@transaction.atomic
def booking_approve(*, booking: Booking, approver) -> Booking:
    """A lead approves a pending booking (it becomes a confirmed place).

    Raises PermissionDenied outside the approver's agencies, BookingError if not pending.
    """
    session = _locked(booking.session_id)
    booking = Booking.objects.select_related("session__page", "user").get(pk=booking.pk)
    _check_approver(booking, approver)
    if booking.status != BookingStatus.PENDING_APPROVAL:
        raise BookingError("This booking is not waiting for approval.")
    booking.decided_by = approver
    booking.session = session
    _confirm(booking)
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, approver) -> Booking:
    """A lead declines a pending booking; the place goes to the waiting list."""
    session = _locked(booking.session_id)
    booking = Booking.objects.select_related("session__page", "user").get(pk=booking.pk)
    _check_approver(booking, approver)
    if booking.status != BookingStatus.PENDING_APPROVAL:
        raise BookingError("This booking is not waiting for approval.")
    booking.status = BookingStatus.DECLINED
    booking.decided_by = approver
    booking.save()
    _email(booking.pk, "declined")
    _offer_places(session)
    return booking


def offers_expire() -> int:
    """Expire offers past their time limit and offer those places on; returns how many expired.

    Idempotent; each session in its own short transaction (beat runs it every few minutes).
    """
    now = timezone.now()
    expired = 0
    session_ids = set(
        Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now).values_list(
            "session_id", flat=True
        )
    )
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = _locked(session_id)
            for booking in Booking.objects.filter(
                session=session, status=BookingStatus.OFFERED, offer_expires_at__lte=now
            ):
                booking.status = BookingStatus.EXPIRED
                booking.save()
                _email(booking.pk, "expired")
                expired += 1
            if session.starts_at > now:
                _offer_places(session)
    return expired


def booking_updates_send(*, event_id: int) -> int:
    """Send an updated invitation (SEQUENCE + 1) to each booked person whose session changed
    since they were last sent its details; returns how many. Idempotent (fingerprints).

    Enqueued after an event page is published (wagtail_hooks.py).
    """
    sent = 0
    session_ids = EventSession.objects.filter(page_id=event_id).values_list("pk", flat=True)
    for session_id in session_ids:
        with transaction.atomic():
            session = _locked(session_id)
            stale = Booking.objects.filter(session=session, status=BookingStatus.BOOKED).exclude(
                sent_fingerprint=session.fingerprint
            )
            for booking in stale:
                booking.sequence += 1
                booking.sent_fingerprint = session.fingerprint
                booking.save(update_fields=["sequence", "sent_fingerprint"])
                _email(booking.pk, "updated")
                sent += 1
    return sent


# Access and dietary needs are kept for the session and this long after it, then forgotten.
NEEDS_KEPT_DAYS = 30


def booking_needs_forget(*, now=None) -> int:
    """Blank access and dietary needs of sessions that ended NEEDS_KEPT_DAYS ago; idempotent."""
    cutoff = (now or timezone.now()) - timedelta(days=NEEDS_KEPT_DAYS)
    return (
        Booking.objects.filter(session__ends_at__lt=cutoff)
        .exclude(access_needs="", dietary_needs="")
        .update(access_needs="", dietary_needs="")
    )


REMINDERS = (("reminder_week", "reminded_week_at", 7), ("reminder_day", "reminded_day_at", 1))


def reminders_send() -> int:
    """Remind booked people a week and a day before; each reminder at most once per booking.

    Marks the booking and enqueues the email in one transaction; returns how many were queued.
    """
    now = timezone.now()
    sent = 0
    for kind, field, days in REMINDERS:
        due = Booking.objects.filter(
            status=BookingStatus.BOOKED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(days=days),
            **{f"{field}__isnull": True},
        )
        if days == 7:
            # A booking made within the last day before the start gets the day reminder only.
            due = due.filter(session__starts_at__gt=now + timedelta(days=1))
        for booking_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                updated = Booking.objects.filter(pk=booking_id, **{f"{field}__isnull": True})
                if updated.update(**{field: now}):
                    _email(booking_id, kind)
                    sent += 1
    return sent
