"""Report pages, exports, reminders and subscriptions; evaluations for learners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Agency
from reports.forms import EvaluationForm, FollowUpForm, ReminderForm, ReportFilterForm
from reports.models import FollowUp, ReportSubscription
from reports.selectors.evaluation import evaluation_completion, event_evaluation_completion
from reports.selectors.scope import report_agency_ids, viewer_sees_all
from reports.selectors.tables import BUILDERS, report_table
from reports.selectors.traceability import traceability_matrix
from reports.services.evaluation import (
    EvaluationError,
    evaluation_submit,
    event_evaluation_submit,
    follow_up_answer,
)
from reports.services.exports import report_pdf, table_csv, table_xlsx
from reports.services.reminders import ReminderError, staff_reminders_create
from reports.services.subscriptions import subscription_set

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _agency_param(request) -> int | None:
    value = request.GET.get("agency", "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise Http404("No such agency.") from error


def _agency_choices(request) -> list[tuple[int, str]]:
    """The agency filter's choices: every agency for partnership admins, none for leads."""
    if not viewer_sees_all(viewer=request.user):
        return []
    return list(Agency.objects.order_by("name").values_list("pk", "name"))


def _context(request, form, filters, names, **extra) -> dict:
    report_agency_ids(viewer=request.user, agency_id=filters.agency_id)  # 403 / 404 first
    query = request.GET.copy()
    if filters.agency_id:
        query["agency"] = filters.agency_id
    query["group_by"] = filters.group_by  # exports use the screen's default grouping too
    return {
        "form": form,
        "filters": filters,
        "query": query.urlencode(),
        "tables": {n: report_table(name=n, viewer=request.user, filters=filters) for n in names},
        "subscribed": ReportSubscription.objects.filter(user=request.user).exists(),
        **extra,
    }


@login_required
@require_GET
def dashboard(request):
    """Partnership admins see every agency; an agency lead sees their own agency's dashboard."""
    if not viewer_sees_all(viewer=request.user):
        agency_ids = report_agency_ids(viewer=request.user)
        return agency_dashboard(request, agency_ids[0])
    form = ReportFilterForm(request.GET or None, default_group="sector")
    filters = form.filters()
    context = _context(
        request,
        form,
        filters,
        ["figures", "breakdown", "required_events", "trend"],
        agency_names=list(Agency.objects.values_list("pk", "name")),
    )
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def agency_dashboard(request, agency_id: int):
    """One agency's figures and staff list (the viewer's own agency, or any for admins)."""
    report_agency_ids(viewer=request.user, agency_id=agency_id)
    agency = get_object_or_404(Agency, pk=agency_id)
    form = ReportFilterForm(request.GET or None, agency_id=agency_id, default_group="team")
    filters = form.filters()
    context = _context(
        request,
        form,
        filters,
        ["figures", "breakdown", "required_events", "trend", "staff"],
        agency=agency,
        reminder_form=ReminderForm(),
    )
    return render(request, "reports/agency_dashboard.html", context)


@login_required
@require_GET
def section(request, name: str):
    """Scenario insight or evaluation, as a page of its own."""
    pages = {
        "insight": ("Scenario insight", ["insight"]),
        "evaluation": ("Evaluation", ["evaluation", "confidence"]),
    }
    title, names = pages[name]
    form = ReportFilterForm(request.GET or None, agency_id=_agency_param(request), grouping=False)
    choices = _agency_choices(request)
    context = _context(
        request, form, form.filters(), names, title=title, section=name, agency_choices=choices
    )
    return render(request, "reports/section.html", context)


@login_required
@require_GET
def traceability(request):
    """One summary card per review reference: what serves it, linked, and who completed it."""
    form = ReportFilterForm(request.GET or None, agency_id=_agency_param(request), grouping=False)
    filters = form.filters()
    agencies, references = traceability_matrix(viewer=request.user, filters=filters)
    context = _context(
        request,
        form,
        filters,
        [],
        title="Review traceability",
        section="traceability",
        agency_choices=_agency_choices(request),
        references=references,
        scope=agencies[0].name if len(agencies) == 1 else "All partner agencies",
    )
    return render(request, "reports/traceability.html", context)


@login_required
@require_GET
def export(request, name: str, fmt: str):
    """One table as CSV or XLSX, with the same filters (and scope) as the screen."""
    if name not in BUILDERS:
        raise Http404("No such table.")
    form = ReportFilterForm(request.GET, agency_id=_agency_param(request))
    if not form.is_valid():
        return JsonResponse(
            {"error": "The report filters are not valid.", "fields": form.errors}, status=400
        )
    filters = form.filters()
    try:
        table = report_table(name=name, viewer=request.user, filters=filters)
    except ValueError as error:  # e.g. a staff list without one agency chosen
        return JsonResponse({"error": str(error)}, status=400)
    filename = f"{table.name}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(table_csv(table=table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table=table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def pdf(request):
    """The assurance report for the board as a PDF, for the viewer's scope and filters."""
    form = ReportFilterForm(request.GET, agency_id=_agency_param(request))
    if not form.is_valid():
        return JsonResponse(
            {"error": "The report filters are not valid.", "fields": form.errors}, status=400
        )
    report_agency_ids(viewer=request.user, agency_id=form.agency_id)
    response = HttpResponse(report_pdf(viewer=request.user, filters=form.filters()))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = 'attachment; filename="assurance-report.pdf"'
    return response


@login_required
@require_POST
def remind(request, agency_id: int):
    """Queue reminder emails to the chosen staff of the agency."""
    report_agency_ids(viewer=request.user, agency_id=agency_id)
    form = ReminderForm(request.POST, staff_ids=request.POST.getlist("staff"))
    back = reverse("reports:agency", args=[agency_id])
    if not form.is_valid():
        messages.error(request, "Choose at least one person to remind.")
        return redirect(f"{back}#staff")
    try:
        reminders = staff_reminders_create(
            sender=request.user,
            user_ids=form.cleaned_data["staff"],
            message=form.cleaned_data["message"],
            agency_id=agency_id,
        )
    except ReminderError as error:
        messages.error(request, str(error))
        return redirect(f"{back}#staff")
    count = len(reminders)
    messages.success(request, f"Reminder sent to {count} {'person' if count == 1 else 'people'}.")
    return redirect(back)


@login_required
@require_POST
def subscription(request):
    """Turn the monthly PDF email on or off."""
    subscribed = subscription_set(user=request.user, subscribed=request.POST.get("on") == "1")
    messages.success(
        request,
        "You will get the assurance report by email each month."
        if subscribed
        else "You will no longer get the monthly report by email.",
    )
    return redirect("reports:dashboard")


@login_required
def evaluation(request, course_id: int):
    """The end-of-course evaluation, offered from the course completion page."""
    completion = evaluation_completion(user=request.user, course_id=course_id)
    if completion is None:
        raise Http404("Complete the course before evaluating it.")
    course = completion.course
    if hasattr(completion, "evaluation"):
        return render(request, "reports/evaluation_done.html", {"course": course})
    form = EvaluationForm(request.POST or None, outcomes=course.learning_outcome_list)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(
                user=request.user,
                completion=completion,
                usefulness=form.cleaned_data["usefulness"],
                confidence=form.confidence(),
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "reports/evaluation_done.html", {"course": course})
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/evaluation.html", {"form": form, "course": course}, status=status
    )


@login_required
def event_evaluation(request, registration):
    """The evaluation of a training event, offered from "Your training bookings" once the
    trainer's register records the person attended (404 before, or for someone else's)."""
    completion = event_evaluation_completion(user=request.user, registration=registration)
    if completion is None:
        raise Http404("Attend the event before evaluating it.")
    event = {"title": completion.extra.get("event_title", "the training event")}
    if hasattr(completion, "evaluation"):
        return render(request, "reports/evaluation_done.html", {"course": event})
    form = EvaluationForm(
        request.POST or None,
        outcomes=completion.extra.get("learning_outcomes", []),
        subject="event",
    )
    if request.method == "POST" and form.is_valid():
        try:
            event_evaluation_submit(
                user=request.user,
                event_completion=completion,
                usefulness=form.cleaned_data["usefulness"],
                confidence=form.confidence(),
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "reports/evaluation_done.html", {"course": event})
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "course": event, "subject": "event"}
    return render(request, "reports/evaluation.html", context, status=status)


@login_required
def follow_up(request, token):
    """The practice-change question sent 8 to 12 weeks after the evaluation."""
    item = get_object_or_404(
        FollowUp.objects.select_related("evaluation__course", "evaluation__event_completion"),
        token=token,
        evaluation__user=request.user,
    )
    initial = {"practice_changed": item.practice_changed, "example": item.example}
    subject = "event" if item.evaluation.event_completion_id else "course"
    form = FollowUpForm(request.POST or None, initial=initial, subject=subject)
    if request.method == "POST" and form.is_valid():
        follow_up_answer(
            follow_up=item,
            user=request.user,
            practice_changed=form.cleaned_data["practice_changed"],
            example=form.cleaned_data["example"],
        )
        messages.success(request, "Thank you. Your answer has been saved.")
        return redirect("reports:follow_up", token=token)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/follow_up.html", {"form": form, "item": item}, status=status)
