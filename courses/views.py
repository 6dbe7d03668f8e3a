"""Learner views outside the page tree: enrol, answers, reflections, My learning, certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import (
    notification_newest_unread,
    user_is_agency_lead,
    user_is_partnership_admin,
)
from courses.forms import ActionPlanForm, AssignForm, CheckAnswerForm, ReflectionForm
from courses.models import CoursePage, ModulePage
from courses.selectors.action_plans import (
    action_plan_for_course,
    action_plan_for_viewer,
    action_plans_for_lead,
    action_plans_for_learner,
)
from courses.selectors.records import certificate_for_user, certificate_verify
from courses.selectors.requirements import assignable_learners, my_learning
from courses.selectors.structure import course_modules, module_block
from courses.services.action_plans import action_plan_save
from courses.services.certificates import certificate_pdf
from courses.services.learning import (
    LearningError,
    check_answer,
    enrolment_create,
    enrolments_assign,
    reflection_save,
)


def _section_url(module: ModulePage, block_id: str, fragment: str = "") -> str:
    """The module page at the section holding the block, anchored on the block (or fragment)."""
    for position, section in enumerate(module.body, start=1):
        if any(child.id == block_id for child in section.value["content"]):
            return f"{module.url}?section={position}#{fragment or f'block-{block_id}'}"
    return module.url


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        enrolment_create(user=request.user, course=course)
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(course.url)
    modules = course_modules(course=course)
    return redirect(modules[0].url if modules else course.url)


@login_required
@require_POST
def answer(request, module_id: int, block_id: str):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    block = module_block(module=module, block_id=block_id)
    if block is None or block.block_type != "check":
        raise Http404("No such question")
    form = CheckAnswerForm(request.POST, option_count=len(block.value["options"]))
    if not form.is_valid():
        messages.error(request, "Choose an answer to the question.")
        return redirect(_section_url(module, block_id))
    try:
        check_answer(
            user=request.user,
            module=module,
            block_id=block_id,
            chosen=form.cleaned_data["option"],
        )
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(_section_url(module, block_id))
    # The fragment names the focusable result banner: browsers focus it on load, with or
    # without JavaScript, so screen readers announce the result.
    return redirect(_section_url(module, block_id, f"check-{block_id}-result"))


@login_required
@require_POST
def reflect(request, module_id: int, block_id: str):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    block = module_block(module=module, block_id=block_id)
    if block is None or block.block_type != "reflection":
        raise Http404("No such reflection prompt")
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        # Show the form again with the learner's text, so nothing they wrote is lost.
        context = {"form": form, "module": module, "block": block, "block_id": block_id}
        return render(request, "courses/reflection_error.html", context, status=400)
    reflection_save(
        user=request.user, module=module, block_id=block_id, text=form.cleaned_data["text"]
    )
    messages.success(request, "Your reflection has been saved. Only you can see it.")
    return redirect(_section_url(module, block_id))


@login_required
@require_GET
def my_learning_view(request):
    context = my_learning(user=request.user)
    context["notification"] = notification_newest_unread(user=request.user)
    return render(request, "courses/my_learning.html", context)


@login_required
def assign(request):
    """Agency leads assign a course to their own staff; partnership admins to anyone."""
    if not (user_is_agency_lead(user=request.user) or user_is_partnership_admin(user=request.user)):
        raise PermissionDenied("Only agency leads and partnership admins assign courses.")
    learners = assignable_learners(user=request.user)
    form = AssignForm(
        request.POST or None,
        courses=CoursePage.objects.live().order_by("title"),
        learners=learners,
    )
    if request.method == "POST":
        if form.is_valid():
            course, due_at = form.cleaned_data["course"], form.cleaned_data["due_at"]
            chosen = form.cleaned_data["everyone"]
            done = enrolments_assign(
                course=course, learners=chosen, assigned_by=request.user, due_at=due_at
            )
            due = f", due {due_at:%-d %B %Y}" if due_at else ""
            messages.success(
                request, f"Assigned “{course.title}” to {len(done)} of {len(chosen)}{due}."
            )
            return redirect("courses:assign")
        return render(request, "courses/assign.html", {"form": form}, status=400)
    return render(request, "courses/assign.html", {"form": form})


@login_required
@require_GET
def certificate_download(request, code: str):
    certificate = certificate_for_user(user=request.user, code=code)
    if certificate is None:
        raise Http404("No such certificate")
    response = HttpResponse(certificate_pdf(certificate=certificate), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@require_GET
def certificate_check(request, code: str = ""):
    """Public: anyone (an employer, an inspector) can check a certificate without signing in."""
    code = code or request.GET.get("code", "").strip()
    result = certificate_verify(code=code) if code else None
    status = 404 if result and result["status"] == "unknown" else 200
    return render(request, "courses/certificate_verify.html", {"result": result}, status=status)


@login_required
@require_GET
def action_plan_list(request):
    """The learner's own plans and, for an agency lead, their agency's members' plans."""
    context = {
        "plans": action_plans_for_learner(user=request.user),
        "agency_plans": action_plans_for_lead(user=request.user),
        "is_lead": user_is_agency_lead(user=request.user),
    }
    return render(request, "courses/action_plan_list.html", context)


@login_required
def action_plan_edit(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    plan = action_plan_for_course(user=request.user, course=course)
    initial = (
        {"actions": plan.actions, "support": plan.support, "review_by": plan.review_by}
        if plan
        else None
    )
    form = ActionPlanForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                action_plan_save(user=request.user, course=course, **form.cleaned_data)
            except LearningError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your action plan is saved. Your agency lead can see it.")
                return redirect("courses:action_plans")
        status = 400
    context = {"form": form, "course": course, "plan": plan}
    return render(request, "courses/action_plan_edit.html", context, status=status)


@login_required
@require_GET
def action_plan_detail(request, pk: int):
    plan = action_plan_for_viewer(user=request.user, pk=pk)
    if plan is None:  # 404 rather than 403: do not confirm that someone else's plan exists
        raise Http404("No such action plan")
    return render(request, "courses/action_plan_detail.html", {"plan": plan})
