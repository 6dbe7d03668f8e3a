"""Bulk staff import pages for agency leads (their agency) and partnership admins (any agency).

Upload, then a dry run listing every row's result; confirming runs the import as a task, whose
progress the next page shows (it refreshes itself, so a 10,000-row file needs no script).
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import Agency, User
from accounts.selectors import user_report_agencies
from accounts.services import leavers_import, person_mark_left
from accounts.staff_import import PENDING_SECONDS, Action, pending_key, staff_import_plan

MAX_BYTES = 5 * 1024 * 1024


class StaffImportForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), empty_label=None)
    file = forms.FileField(
        label="CSV file", help_text="Columns: name, email, team, job role, start date."
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError("The file is larger than 5 MB; split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError("Save the file as CSV UTF-8 and upload it again.") from error


def _agencies(request: HttpRequest):
    agencies = user_report_agencies(user=request.user)
    if not agencies.exists():
        raise PermissionDenied("Only agency leads and partnership admins can import staff.")
    return agencies


@login_required
@require_http_methods(["GET", "POST"])
def staff_import_view(request: HttpRequest) -> HttpResponse:
    agencies = _agencies(request)
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        pending = cache.get(pending_key(token))
        if pending is None or not agencies.filter(pk=pending["agency_id"]).exists():
            form = StaffImportForm(agencies=agencies)
            form.add_error(None, "That dry run has expired. Upload the file again.")
            return render(request, "account/staff_import.html", {"form": form})
        from accounts.tasks import staff_import_apply_task

        cache.set(pending_key(token) + ":progress", {"state": "queued"}, PENDING_SECONDS)
        staff_import_apply_task.delay(token)
        return redirect("accounts:staff_import_progress", token=token)
    form = StaffImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency, csv_text = form.cleaned_data["agency"], form.cleaned_data["file"]
        try:
            plan = staff_import_plan(agency=agency, csv_text=csv_text)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = uuid.uuid4().hex
            cache.set(
                pending_key(token), {"agency_id": agency.pk, "csv": csv_text}, PENDING_SECONDS
            )
            counts = {
                a: plan.count(a)
                for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED, Action.ERROR)
            }
            return render(
                request,
                "account/staff_import_dry_run.html",
                {"agency": agency, "plan": plan, "counts": counts, "token": token},
            )
    return render(request, "account/staff_import.html", {"form": form})


@login_required
def staff_import_progress_view(request: HttpRequest, token: str) -> HttpResponse:
    _agencies(request)
    progress = cache.get(pending_key(token) + ":progress") or {"state": "unknown"}
    return render(request, "account/staff_import_progress.html", {"progress": progress})


class LeaverForm(forms.Form):
    email = forms.EmailField(label="Email address")
    left_on = forms.DateField(
        label="Leaving date",
        help_text="For example, 2026-12-31.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class LeaversFileForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: email, leaving date.")


def _leavers_agency(request: HttpRequest) -> tuple:
    """The agencies the user may mark leavers in, and the one this page is for (``agency`` in
    the query or form; else their own, else the first)."""
    agencies = user_report_agencies(user=request.user).order_by("name")
    if not agencies.exists():
        raise PermissionDenied("Only agency leads and partnership admins can mark leavers.")
    wanted = request.POST.get("agency") or request.GET.get("agency")
    if wanted:
        agency = agencies.filter(pk=wanted).first() if wanted.isdigit() else None
        if agency is None:
            raise Http404("You cannot mark leavers in that agency.")
        return agencies, agency
    own = agencies.filter(pk=request.user.agency_id).first()
    return agencies, own or agencies.first()


@login_required
@require_http_methods(["GET", "POST"])
def leavers_view(request: HttpRequest) -> HttpResponse:
    """Agency leads mark their members as left, one by one or from a CSV file; partnership
    admins do the same for any agency, chosen at the top of the page."""
    agencies, agency = _leavers_agency(request)
    one = LeaverForm(request.POST if "email" in request.POST else None)
    many = LeaversFileForm(
        request.POST if "csv" in request.POST else None,
        request.FILES if "csv" in request.POST else None,
    )
    if one.is_bound and one.is_valid():
        member = User.objects.filter(agency=agency, email=one.cleaned_data["email"].lower()).first()
        if member is None:
            one.add_error("email", f"No member of {agency} has this email address.")
        else:
            try:
                person_mark_left(
                    by=request.user, member=member, left_on=one.cleaned_data["left_on"]
                )
            except PermissionDenied as refusal:
                one.add_error("email", str(refusal))
            else:
                messages.success(request, f"{member} leaves on {member.left_on:%d %B %Y}.")
                return _leavers_redirect(agency)
    if many.is_bound and many.is_valid():
        text = many.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
        errors = leavers_import(by=request.user, agency=agency, csv_text=text)
        if not errors:
            messages.success(request, "The leavers in the file are recorded.")
            return _leavers_redirect(agency)
        for error in errors[:50]:
            many.add_error("file", error)
    leavers = User.objects.filter(agency=agency, left_on__isnull=False).order_by("-left_on")
    return render(
        request,
        "account/leavers.html",
        {
            "agency": agency,
            "agencies": agencies if len(agencies) > 1 else None,
            "one": one,
            "many": many,
            "leavers": leavers[:200],
        },
    )


def _leavers_redirect(agency: Agency) -> HttpResponse:
    return redirect(f"{reverse('accounts:leavers')}?agency={agency.pk}")
