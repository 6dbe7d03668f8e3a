"""Account pages beyond allauth's: profile, personal-data download, waiting page, members."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import MembershipDecisionForm, ProfileForm
from accounts.models import MembershipStatus, User
from accounts.selectors import (
    agency_members,
    agency_members_pending,
    notifications_for_user,
    user_has_second_factor,
    user_is_agency_lead,
    user_is_approved_member,
    user_is_partnership_admin,
)
from accounts.services import (
    membership_decide,
    notifications_mark_read,
    user_data_export,
    user_mfa_reset,
    user_profile_update,
)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        was_approved = user_is_approved_member(user=request.user)
        user = user_profile_update(user=request.user, **_profile_fields(form))
        if was_approved and user.membership_status == MembershipStatus.PENDING:
            messages.info(request, f"{user.agency} approves its members: we have asked its leads.")
        else:
            messages.success(request, "Your details have been updated.")
        return redirect("accounts:profile")
    return render(request, "account/profile.html", {"form": form})


def _profile_fields(form: ProfileForm) -> dict:
    data = form.cleaned_data
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "agency": data["agency"],
        "team": data.get("team"),
        "job_role": data["job_role"],
    }


@login_required
@require_GET
def profile_data(request: HttpRequest) -> HttpResponse:
    """Download everything held about the signed-in user as a JSON file."""
    export = user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(export, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = f"safeguarding-training-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def membership_waiting(request: HttpRequest) -> HttpResponse:
    if user_is_approved_member(user=request.user):
        return redirect("/")
    return render(request, "account/membership_waiting.html")


@login_required
@require_http_methods(["GET", "POST"])
def agency_members_view(request: HttpRequest) -> HttpResponse:
    """An agency lead's list of their own agency's members, with pending approvals to decide."""
    if not user_is_agency_lead(user=request.user):
        raise PermissionDenied("Only agency leads can see their agency's members.")
    agency = request.user.agency
    if request.method == "POST":
        form = MembershipDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose approve or reject for a member on this page.")
            return redirect("accounts:agency_members")
        approve = form.cleaned_data["decision"] == "approve"
        try:
            member = membership_decide(
                decided_by=request.user, member_id=form.cleaned_data["member"], approve=approve
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            verb = "approved" if approve else "rejected"
            messages.success(request, f"You {verb} {member}. We have emailed them.")
        return redirect("accounts:agency_members")
    return render(
        request,
        "account/agency_members.html",
        {
            "agency": agency,
            "pending": agency_members_pending(agency=agency).select_related("team", "job_role"),
            "members": agency_members(agency=agency),
        },
    )


@require_http_methods(["GET", "POST"])
def user_mfa_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """Wagtail admin: a partnership admin resets a person's lost authenticator app."""
    if not user_is_partnership_admin(user=request.user):
        raise PermissionDenied("Only partnership admins can reset a second factor.")
    member = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        user_mfa_reset(reset_by=request.user, user_id=member.pk)
        messages.success(request, f"{member.email} will set up a new authenticator app.")
        return redirect("wagtailusers_users:index")
    return render(
        request,
        "accounts/admin/mfa_reset.html",
        {
            "member": member,
            "has_factor": user_has_second_factor(user=member),
            "page_title": "Reset authenticator app",
            "header_icon": "key",
        },
    )


@login_required
@require_GET
def notifications_view(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, those not seen before marked "New"; opening
    the page marks them all read (as Moodle and Totara do), so the header count clears."""
    notifications = notifications_for_user(user=request.user)
    unread_ids = {n.pk for n in notifications if n.read_at is None}
    notifications_mark_read(user=request.user)
    return render(
        request,
        "account/notifications.html",
        {"notifications": notifications, "unread_ids": unread_ids},
    )
