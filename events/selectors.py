"""Reads for events: the programme, a person's bookings, registers and agency reports."""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.selectors import user_is_partnership_admin, user_report_agencies
from events.models import (
    COMPLETING,
    HOLDING,
    NO_SHOW,
    Booking,
    BookingStatus,
    EventIndexPage,
    EventPage,
    EventRequirement,
    EventSession,
)
from learning.selectors import RequirementStanding


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def sessions_with_places() -> QuerySet[EventSession]:
    """Sessions annotated with ``taken`` (places held) and ``places_left``."""
    return EventSession.objects.annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=HOLDING))
    ).annotate(places_left=F("capacity") - F("taken"))


def sessions_upcoming(
    *,
    audience: str = "",
    level: str = "",
    mode: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    places_left: bool = False,
) -> list[EventSession]:
    """Live events' sessions that have not started, soonest first, with places left."""
    sessions = (
        sessions_with_places()
        .filter(page__live=True, starts_at__gte=timezone.now())
        .select_related("page")
        .order_by("starts_at", "pk")
    )
    if level:
        sessions = sessions.filter(page__level=level)
    if mode:
        sessions = sessions.filter(mode=mode)
    if date_from:
        sessions = sessions.filter(starts_at__gte=_local_midnight(date_from))
    if date_to:
        sessions = sessions.filter(starts_at__lt=_local_midnight(date_to) + timedelta(days=1))
    if places_left:
        sessions = sessions.filter(places_left__gt=0)
    result = list(sessions)
    if audience:
        # A JSON list on SQLite and PostgreSQL alike: filtered here (a programme is short).
        result = [
            s for s in result if not s.page.audience_sectors or audience in s.page.audience_sectors
        ]
    return result


def session_places_left(*, session: EventSession) -> int:
    """Places not held by a booking, a pending approval or an open offer."""
    taken = session.bookings.filter(status__in=HOLDING).count()
    return max(0, session.capacity - taken)


def booking_active(*, user, session: EventSession) -> Booking | None:
    """The person's booking, pending approval, offer or waiting-list place on the session."""
    return (
        Booking.objects.filter(user=user, session=session)
        .exclude(
            status__in=[BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.EXPIRED]
        )
        .first()
    )


def event_overview(*, event: EventPage, user) -> dict:
    """The event's future sessions with places left, and the person's bookings on them."""
    sessions = list(
        sessions_with_places()
        .filter(page=event, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
    )
    bookings = {}
    missing = []
    if user.is_authenticated:
        for booking in Booking.objects.filter(user=user, session__page=event).exclude(
            status__in=[BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.EXPIRED]
        ):
            bookings[booking.session_id] = booking
        from courses.selectors.learner import prerequisites_missing

        missing = prerequisites_missing(user=user, course=event)
    rows = [(session, bookings.get(session.pk)) for session in sessions]
    return {"session_rows": rows, "prerequisites_missing": missing}


def bookings_for_user(*, user) -> QuerySet[Booking]:
    """A person's bookings, soonest session first."""
    return (
        Booking.objects.filter(user=user)
        .select_related("session__page")
        .order_by("-session__starts_at", "-created_at")
    )


def user_can_mark_register(*, user, session: EventSession) -> bool:
    """A trainer of the session or a partnership admin may mark its register."""
    if not user.is_authenticated:
        return False
    if user_is_partnership_admin(user=user):
        return True
    return EventSession.objects.filter(pk=session.pk, trainers=user).exists()


def sessions_for_trainer(*, user) -> QuerySet[EventSession]:
    """The sessions the person trains, from a day ago on, soonest first (for their registers)."""
    return (
        EventSession.objects.filter(trainers=user, ends_at__gte=timezone.now() - timedelta(days=1))
        .select_related("page")
        .order_by("starts_at")
    )


def register_bookings(*, session: EventSession) -> QuerySet[Booking]:
    """The people with a place on the session (and anyone already marked), by name."""
    return (
        Booking.objects.filter(session=session)
        .filter(Q(status=BookingStatus.BOOKED) | ~Q(attendance=""))
        .select_related("user", "agency")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def bookings_for_lead(*, user) -> QuerySet[Booking]:
    """Bookings of the agencies whose data the user may see (a lead's own; an admin's all)."""
    return (
        Booking.objects.filter(agency__in=user_report_agencies(user=user))
        .select_related("user", "agency", "session__page")
        .order_by("-session__starts_at", "user__last_name")
    )


def bookings_pending_approval(*, user) -> QuerySet[Booking]:
    """Bookings the user may approve: their agencies' pending ones."""
    return bookings_for_lead(user=user).filter(status=BookingStatus.PENDING_APPROVAL)


def no_shows(
    *, user, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Booking]:
    """Did-not-attend and late cancellations in the agencies the user may see."""
    rows = bookings_for_lead(user=user).filter(attendance__in=NO_SHOW)
    if date_from:
        rows = rows.filter(session__starts_at__gte=_local_midnight(date_from))
    if date_to:
        rows = rows.filter(session__starts_at__lt=_local_midnight(date_to) + timedelta(days=1))
    return rows


def personal_data_for_user(*, user) -> dict:
    """Everything events holds about a person, for a GDPR download (JSON-serialisable)."""
    return {
        "event_bookings": [
            {
                "event": b.session.page.title,
                "session_starts_at": b.session.starts_at.isoformat(),
                "status": b.status,
                "registration": str(b.registration),
                "access_needs": b.access_needs,
                "dietary_needs": b.dietary_needs,
                "booked_at": b.created_at.isoformat(),
                "attendance": b.attendance,
            }
            for b in bookings_for_user(user=user)
        ]
    }


def events_by_review_reference() -> dict[str, list[tuple[str, str]]]:
    """Live events as (title, url) under each learning point and recommendation they serve."""
    found: dict[str, list[tuple[str, str]]] = {}
    for event in EventPage.objects.live().order_by("title"):
        for code in [*event.learning_points, *event.recommendations]:
            found.setdefault(code, []).append((event.title, event.url or ""))
    return found


def _requirement_applies(rule: EventRequirement, user, role_ids: set[int]) -> bool:
    sector = user.agency.sector if user.agency_id else None
    if rule.sectors and sector not in rule.sectors:
        return False
    return not role_ids or user.job_role_id in role_ids


def event_requirement_standings(*, users, at: datetime) -> list[RequirementStanding]:
    """Each person's standing on each required-event rule that applies to them, at ``at``.

    A REQUIRED_LEARNING_PROVIDERS callable. A rule is met by attending (attended or arrived
    late: the event's completion) a session of any of its events that started by ``at``; it
    stays met for ``renew_every_months`` after that session, then a refresher is due. Due dates
    follow courses' rules: ``max(joined, rule created) + due_within_months``. Three queries
    whatever the number of people; ``users`` is a list or QuerySet of users.
    """
    rules = list(EventRequirement.objects.prefetch_related("events", "job_roles"))
    if not rules:
        return []
    if isinstance(users, QuerySet):
        people = list(users.select_related("agency"))
        user_filter = Q(user__in=users.values("pk"))
    else:
        people = list(users)
        user_filter = Q(user_id__in=[u.pk for u in people])
    event_ids = {event.pk for rule in rules for event in rule.events.all()}
    # Each person's latest attended session of each event (ordered, so the last one wins).
    latest: dict[tuple[int, int], tuple[datetime, str]] = {}
    for user_id, page_id, starts_at, title in (
        Booking.objects.filter(
            user_filter,
            attendance__in=COMPLETING,
            session__page_id__in=event_ids,
            session__starts_at__lte=at,
        )
        .order_by("session__starts_at")
        .values_list("user_id", "session__page_id", "session__starts_at", "session__page__title")
    ):
        latest[(user_id, page_id)] = (starts_at, title)
    programme = EventIndexPage.objects.first()
    standings = []
    for rule in rules:
        events = list(rule.events.all())
        role_ids = {role.pk for role in rule.job_roles.all()}
        url = events[0].url if len(events) == 1 else (programme.url if programme else "/events/")
        renew = relativedelta(months=rule.renew_every_months)
        for person in people:
            if not _requirement_applies(rule, person, role_ids):
                continue
            due = max(person.date_joined, rule.created_at) + relativedelta(
                months=rule.due_within_months
            )
            attended = [latest[key] for e in events if (key := (person.pk, e.pk)) in latest]
            met_at, met_by = max(attended) if attended else (None, "")
            expires = met_at + renew if met_at else None
            if expires and expires > at:
                status = "complete"
            elif met_at:
                status = "refresher_due"
            else:
                status = "overdue" if due <= at else "due"
            standings.append(
                RequirementStanding(
                    user_id=person.pk,
                    key=f"event-requirement:{rule.pk}",
                    title=rule.title,
                    url=url or "/events/",
                    due=due,
                    status=status,
                    met_at=met_at,
                    expires_at=expires,
                    met_by=met_by,
                )
            )
    return standings
