"""Views outside the page tree: booking, my bookings, the register, approvals, reports, feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import user_report_agencies
from events.forms import BookingForm, RegisterForm, SessionFilterForm
from events.models import Booking, EventSession
from events.selectors import (
    booking_active,
    bookings_for_lead,
    bookings_for_user,
    bookings_pending_approval,
    no_shows,
    register_bookings,
    session_places_left,
    sessions_for_trainer,
    sessions_upcoming,
    user_can_mark_register,
)
from events.services.attendance import certificate_pdf, register_mark
from events.services.booking import (
    BookingError,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_decline,
    booking_offer_accept,
)
from events.services.calendar import sessions_feed_ics


def _live_session(session_id: int) -> EventSession:
    return get_object_or_404(
        EventSession.objects.select_related("page").filter(page__live=True), pk=session_id
    )


@login_required
def book(request, session_id: int):
    session = _live_session(session_id)
    existing = booking_active(user=request.user, session=session)
    if existing:
        return redirect("events:my_bookings")
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_create(user=request.user, session=session, **form.cleaned_data)
        except BookingError as error:
            messages.error(request, str(error))
            return redirect(session.page.url)
        messages.success(request, f"{booking.get_status_display()}: {session}.")
        return redirect("events:my_bookings")
    context = {
        "form": form,
        "session": session,
        "event": session.page,
        "places_left": session_places_left(session=session),
    }
    return render(request, "events/book.html", context)


@login_required
@require_GET
def my_bookings(request):
    context = {
        "bookings": bookings_for_user(user=request.user),
        "training": sessions_for_trainer(user=request.user),
        "is_lead": user_report_agencies(user=request.user).exists(),
    }
    return render(request, "events/my_bookings.html", context)


ACTIONS = {"cancel": booking_cancel, "accept": booking_offer_accept}


@login_required
@require_POST
def booking_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("No such action")
    booking = get_object_or_404(Booking, pk=pk, user=request.user)
    try:
        booking = ACTIONS[action](booking=booking, user=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{booking.get_status_display()}: {booking.session}.")
    return redirect("events:my_bookings")


@login_required
@require_GET
def certificate(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.select_related("session__page", "user"), pk=pk, user=request.user
    )
    try:
        pdf = certificate_pdf(booking=booking)
    except BookingError as error:
        messages.error(request, str(error))
        return redirect("events:my_bookings")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attendance-{booking.pk}.pdf"'
    return response


@login_required
def register(request, session_id: int):
    session = get_object_or_404(EventSession.objects.select_related("page"), pk=session_id)
    if not user_can_mark_register(user=request.user, session=session):
        raise PermissionDenied("Only the session's trainers can mark its register.")
    form = RegisterForm(request.POST or None, bookings=register_bookings(session=session))
    if request.method == "POST" and form.is_valid():
        try:
            changed = register_mark(session=session, marks=form.marks(), marked_by=request.user)
        except BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Register saved ({changed} change{'s' if changed != 1 else ''})."
            )
        return redirect("events:register", session_id=session.pk)
    return render(request, "events/register.html", {"form": form, "session": session})


def _lead_only(request) -> None:
    if not user_report_agencies(user=request.user).exists():
        raise PermissionDenied("Only agency leads and partnership admins can see this.")


@login_required
def approvals(request):
    _lead_only(request)
    return render(
        request,
        "events/approvals.html",
        {"bookings": bookings_pending_approval(user=request.user)},
    )


DECISIONS = {"approve": booking_approve, "decline": booking_decline}


@login_required
@require_POST
def approval_decide(request, pk: int, decision: str):
    _lead_only(request)
    if decision not in DECISIONS:
        raise Http404("No such decision")
    booking = get_object_or_404(Booking, pk=pk)
    try:
        booking = DECISIONS[decision](booking=booking, approver=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{booking.user}: {booking.get_status_display()}.")
    return redirect("events:approvals")


@login_required
@require_GET
def staff(request):
    _lead_only(request)
    form = SessionFilterForm(request.GET or None)
    dates = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "bookings": bookings_for_lead(user=request.user)[:500],
        "no_shows": no_shows(
            user=request.user, date_from=dates.get("date_from"), date_to=dates.get("date_to")
        ),
    }
    return render(request, "events/staff.html", context)


@require_GET
def feed(request):
    response = HttpResponse(
        sessions_feed_ics(sessions=sessions_upcoming()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="training-events.ics"'
    return response
