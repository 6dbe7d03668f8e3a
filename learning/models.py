"""LearningEvent is the one record of every learning action that matters."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventKind(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COURSE_LAUNCHED = "course_launched", "Course launched"
    MODULE_LAUNCHED = "module_launched", "Module launched"
    SECTION_VIEWED = "section_viewed", "Section viewed"
    CHECK_ANSWERED = "check_answered", "Knowledge check answered"
    REFLECTION_SUBMITTED = "reflection_submitted", "Reflection submitted"
    MODULE_COMPLETED = "module_completed", "Module completed"
    COURSE_COMPLETED = "course_completed", "Course completed"
    COURSE_PASSED = "course_passed", "Course passed"
    COURSE_FAILED = "course_failed", "Course failed"
    COMPLETION_REVOKED = "completion_revoked", "Completion revoked"
    SCENARIO_LAUNCHED = "scenario_launched", "Scenario launched"
    SCENARIO_CHOICE = "scenario_choice", "Scenario choice made"
    SCENARIO_SUSPENDED = "scenario_suspended", "Scenario left to resume later"
    SCENARIO_COMPLETED = "scenario_completed", "Scenario completed"
    EVENT_BOOKED = "event_booked", "Training event place booked"
    EVENT_BOOKING_CANCELLED = "event_booking_cancelled", "Training event booking cancelled"
    EVENT_ATTENDED = "event_attended", "Training event attended"
    EVENT_COMPLETED = "event_completed", "Training event completed"
    EVENT_ATTENDANCE_CORRECTED = "event_attendance_corrected", "Training event register corrected"


class LearningEvent(models.Model):
    """One learning action. Its ``id`` becomes the xAPI statement id, so it is a UUID."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_events"
    )
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A stable key for what was acted on, e.g. "module:42" or "decision:7:n3" (never a slug).
    activity = models.CharField(max_length=200)
    # The enrolment's or scenario attempt's registration, grouping events of one attempt.
    registration = models.UUIDField(null=True, blank=True, db_index=True)
    course = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # score (raw, min, max, scaled), success, completion, duration_seconds, response.
    result = models.JSONField(default=dict, blank=True)
    # Anything else the statement needs: choice ids, scenario revision, voided event id.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "courses_learningevent"  # created by the courses app, which owned it first
        ordering = ["occurred_at"]
        indexes = [models.Index(fields=["user", "kind", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.activity}"
