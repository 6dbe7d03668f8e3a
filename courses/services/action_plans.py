"""Practice action plans: learners write one at the end of a course; their agency leads read it."""

import datetime

from courses.models import ActionPlan, CoursePage, Enrolment
from courses.services.learning import LearningError


def action_plan_save(
    *,
    user,
    course: CoursePage,
    actions: str,
    support: str = "",
    review_by: datetime.date | None = None,
) -> ActionPlan:
    """Create or update the learner's plan for the course (idempotent per learner and course);
    raises LearningError if they never enrolled or wrote no actions."""
    if not Enrolment.objects.filter(user=user, course=course).exists():
        raise LearningError("Start the course before writing its action plan.")
    if not actions.strip():
        raise LearningError("Write at least one thing you will do differently.")
    plan, _ = ActionPlan.objects.update_or_create(
        user=user,
        course=course,
        defaults={"actions": actions.strip(), "support": support.strip(), "review_by": review_by},
    )
    return plan
