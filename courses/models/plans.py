"""A practice action plan: what a learner will do differently after a course, seen by their lead."""

from django.conf import settings
from django.db import models


class ActionPlan(models.Model):
    """One plan per learner and course, edited in place; the learner's agency leads can read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_plans"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="action_plans"
    )
    actions = models.TextField(help_text="What the learner will do differently in practice.")
    support = models.TextField(blank=True, help_text="Support the learner asks of their manager.")
    review_by = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_actionplan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.course_id}"
