"""The learner's player: server-rendered, one step per page, POST then redirect, no JS needed.

Attempts are private: every attempt view looks the attempt up by registration *and* learner,
so anyone else's attempt is a 404 (not a 403, which would confirm that it exists).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.images import get_image_model
from wagtail.models import Page

from scenarios import engine
from scenarios.blocks import LEARNING_POINTS
from scenarios.forms import ChoiceForm
from scenarios.models import Attempt, AttemptStatus, Scenario
from scenarios.selectors import (
    attempt_choices,
    attempt_for_learner,
    attempt_played,
    attempt_unfinished,
    scenario_list_published,
    score_range,
    services_for_ids,
)
from scenarios.services import (
    STALE_STEP,
    AttemptError,
    StaleStepError,
    attempt_back,
    attempt_choose,
    attempt_resume,
    attempt_start,
    attempt_suspend,
)


def _can_preview(request: HttpRequest) -> bool:
    return request.user.has_perm("scenarios.change_scenario")


def _scenario(request: HttpRequest, slug: str, preview: bool) -> Scenario:
    if preview:
        if not _can_preview(request):
            raise PermissionDenied
        return get_object_or_404(Scenario, slug=slug)
    return get_object_or_404(Scenario, slug=slug, live=True)


def _attempt(request: HttpRequest, registration) -> Attempt:
    try:
        return attempt_for_learner(user=request.user, registration=registration)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt") from None


def _module(raw: str | None) -> Page | None:
    """The course module a scenario was launched from: only a live module page counts, so a
    crafted id cannot show a draft or another page's title on the break and end pages."""
    if not raw or not raw.isdigit():
        return None
    # Read by content type, not by importing courses (which builds on scenarios).
    modules = Page.objects.live().filter(
        content_type__app_label="courses", content_type__model="modulepage"
    )
    return modules.filter(pk=int(raw)).first()


def _url(name: str, attempt: Attempt) -> str:
    return reverse(f"scenarios:{name}", args=[attempt.registration])


def scenario_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scenarios/scenario_list.html", {"scenarios": scenario_list_published()})


def scenario_detail(request: HttpRequest, slug: str) -> HttpResponse:
    preview = request.GET.get("preview") == "1"
    scenario = _scenario(request, slug, preview)
    shown = scenario.get_latest_revision_as_object() if preview else scenario
    unfinished = None
    if request.user.is_authenticated:
        unfinished = attempt_unfinished(user=request.user, scenario=scenario, preview=preview)
    return render(
        request,
        "scenarios/scenario_detail.html",
        {
            "scenario": shown,
            "unfinished": unfinished,
            "preview": preview,
            "module": request.GET.get("module", ""),
        },
    )


@login_required
@require_POST
def attempt_create(request: HttpRequest, slug: str) -> HttpResponse:
    preview = request.POST.get("preview") == "1"
    scenario = _scenario(request, slug, preview)
    try:
        attempt = attempt_start(
            user=request.user,
            scenario=scenario,
            module=_module(request.POST.get("module")),
            preview=preview,
        )
    except AttemptError as error:
        return render(request, "scenarios/problem.html", {"message": str(error)}, status=400)
    return redirect(_url("play", attempt))


@login_required
@require_http_methods(["GET", "POST"])
def attempt_play(request: HttpRequest, registration) -> HttpResponse:
    attempt = _attempt(request, registration)
    if attempt.status == AttemptStatus.COMPLETED:
        return redirect(_url("end", attempt))
    if attempt.status == AttemptStatus.SUSPENDED:
        attempt = attempt_resume(attempt=attempt)
    scenario, state = attempt_played(attempt=attempt)
    node = state.current
    form = image = None
    if node.media is not None and node.media.image_id:
        image = get_image_model().objects.filter(pk=node.media.image_id).first()
    if node.type == "decision":
        ordered = engine.choice_order(node, seed=str(attempt.registration))
        choices = [(c.key, c.label) for c in ordered]
        data = request.POST if request.method == "POST" else None
        form = ChoiceForm(data, choices=choices)
    posted_node = request.POST.get("node") or None
    if request.method == "POST" and posted_node not in (None, node.key):
        messages.info(request, STALE_STEP)
        return redirect(_url("play", attempt))
    if request.method == "POST":
        if form is not None and not form.is_valid():
            status = 400
        else:
            try:
                result = attempt_choose(
                    attempt=attempt,
                    choice=form.cleaned_data["choice"] if form else None,
                    node_key=posted_node,
                )
            except StaleStepError as error:
                messages.info(request, str(error))
                return redirect(_url("play", attempt))
            except (AttemptError, engine.StepError) as error:
                return render(
                    request, "scenarios/problem.html", {"message": str(error)}, status=400
                )
            if result.choice is not None:
                return redirect(_url("feedback", attempt))
            return redirect(_url("end" if result.state.finished else "play", attempt))
    else:
        status = 200
    return render(
        request,
        "scenarios/attempt_play.html",
        {
            "attempt": attempt,
            "scenario": scenario,
            "state": state,
            "node": node,
            "form": form,
            "image": image,
        },
        status=status,
    )


@login_required
def attempt_feedback(request: HttpRequest, registration) -> HttpResponse:
    attempt = _attempt(request, registration)
    pending = attempt.state.get("feedback")
    if not pending:
        return redirect(_url("play", attempt))
    scenario, state = attempt_played(attempt=attempt)
    node = state.scenario.node(pending["node"])
    return render(
        request,
        "scenarios/attempt_feedback.html",
        {
            "attempt": attempt,
            "scenario": scenario,
            "state": state,
            "decision": node,
            "choice": node.choice(pending["choice"]),
            "next_url": _url("end" if state.finished else "play", attempt),
        },
    )


@login_required
@require_POST
def attempt_go_back(request: HttpRequest, registration) -> HttpResponse:
    attempt = _attempt(request, registration)
    try:
        attempt_back(attempt=attempt)
    except AttemptError as error:
        return render(request, "scenarios/problem.html", {"message": str(error)}, status=400)
    return redirect(_url("play", attempt))


@login_required
@require_http_methods(["GET", "POST"])
def attempt_break(request: HttpRequest, registration) -> HttpResponse:
    attempt = _attempt(request, registration)
    if request.method == "POST":
        attempt_suspend(attempt=attempt)
        return redirect(_url("break", attempt))
    return render(
        request,
        "scenarios/attempt_break.html",
        {"attempt": attempt, "scenario": attempt.scenario},
    )


@login_required
def attempt_end(request: HttpRequest, registration) -> HttpResponse:
    attempt = _attempt(request, registration)
    if attempt.status != AttemptStatus.COMPLETED:
        return redirect(_url("play", attempt))
    scenario, state = attempt_played(attempt=attempt)
    steps = []
    for record in attempt_choices(attempt=attempt):
        decision = state.scenario.by_key.get(record.node_key)
        choice = decision.choice(record.choice_key) if decision else None
        steps.append({"record": record, "decision": decision, "choice": choice})
    ending = state.current
    codes = set(ending.learning_points).union(
        *(s["choice"].learning_points for s in steps if s["choice"])
    )
    learning_points = [label for code, label in LEARNING_POINTS if code in codes]
    return render(
        request,
        "scenarios/attempt_end.html",
        {
            "attempt": attempt,
            "scenario": scenario,
            "ending": ending,
            "notes": engine.ending_notes(state),
            "steps": steps,
            "learning_points": learning_points,
            "services": services_for_ids(ids=list(ending.services)),
            "score_range": score_range(state=state),
        },
    )
