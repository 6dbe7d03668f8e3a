"""Reads of learners' action plans: their own, their agency lead's view, one course's."""

from django.db.models import QuerySet

from courses.models import ActionPlan


def action_plans_for_learner(*, user) -> QuerySet[ActionPlan]:
    """The learner's own action plans, newest first."""
    return ActionPlan.objects.filter(user=user).select_related("course")


def action_plans_for_lead(*, user) -> QuerySet[ActionPlan]:
    """Plans an agency lead may read: those of other members of their own agency, else none."""
    from accounts.selectors import user_is_agency_lead

    if not user_is_agency_lead(user=user):
        return ActionPlan.objects.none()
    return (
        ActionPlan.objects.filter(user__agency_id=user.agency_id)
        .exclude(user=user)
        .select_related("course", "user")
    )


def action_plan_for_viewer(*, user, pk: int) -> ActionPlan | None:
    """The plan if the user wrote it or leads the writer's agency; None otherwise (a 404)."""
    plan = ActionPlan.objects.select_related("course", "user").filter(pk=pk).first()
    if plan is None:
        return None
    if plan.user_id == user.pk or action_plans_for_lead(user=user).filter(pk=pk).exists():
        return plan
    return None


def action_plan_for_course(*, user, course) -> ActionPlan | None:
    """The learner's plan for one course, if written."""
    return ActionPlan.objects.filter(user=user, course=course).first()
