"""Report rollups, evaluations, subscriptions, staff reminders and the review traceability map.

The rollup rows (one per learner and course, one per learner and module) are derived data:
``reports.services.rollup`` keeps them up to date from learning events and can rebuild them
from the courses app's records at any time. They hold no agency: every figure joins the
learner's *current* agency, team and job role, so people who move take their history with them.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CourseRollup(models.Model):
    """A learner's standing on one course: first enrolment, open attempt, latest completion."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    enrolled_at = models.DateTimeField(null=True, blank=True)
    in_progress = models.BooleanField(default=False)
    # The latest completion that was not revoked; its expiry makes "refresher due" at read time.
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="reports_courserollup_unique")
        ]
        indexes = [models.Index(fields=["course", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} on course {self.course_id}"


class ModuleRollup(models.Model):
    """A learner's standing on one module, over all their attempts at its course."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A copy of CourseRollup.completed_at, so that "overdue for this module" needs no join.
    course_completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="reports_modulerollup_unique")
        ]
        indexes = [models.Index(fields=["module", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} on module {self.module_id}"


class Evaluation(models.Model):
    """A learner's evaluation of one course completion or one training event attended.

    An event's evaluation points at the learning event that recorded its completion
    (EVENT_COMPLETED): reports never import events, so the event's id and title are copied
    from that learning event's ``extra`` when the evaluation is submitted.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    completion = models.OneToOneField(
        "courses.Completion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    event_completion = models.OneToOneField(
        "learning.LearningEvent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    event_id = models.PositiveIntegerField(null=True, blank=True)  # the event page's id
    title = models.CharField(max_length=255, blank=True)  # the event's title, when evaluated
    usefulness = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(completion__isnull=False, course__isnull=False)
                    & models.Q(event_completion__isnull=True)
                )
                | (
                    models.Q(completion__isnull=True, course__isnull=True)
                    & models.Q(event_completion__isnull=False, event_id__isnull=False)
                ),
                name="reports_evaluation_course_or_event",
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.course_id or self.title} by {self.user_id}"

    @property
    def subject_title(self) -> str:
        """What was evaluated: the course's title, or the event's when it was evaluated."""
        return self.course.title if self.course_id else self.title


class EvaluationConfidence(models.Model):
    """Confidence before and after the course in one learning outcome (1 to 5)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="confidence")
    position = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=500)
    before = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    after = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="reports_confidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} outcome {self.position}"


class PracticeChange(models.TextChoices):
    YES = "yes", "Yes, my practice has changed"
    PARTLY = "partly", "Partly"
    NO = "no", "No, not yet"


class FollowUp(models.Model):
    """The 8 to 12 week follow-up question sent after an evaluation, and its answer."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="follow_up"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    practice_changed = models.CharField(max_length=10, choices=PracticeChange.choices, blank=True)
    example = models.TextField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"Follow-up of {self.evaluation_id}"


class ReportSubscription(models.Model):
    """A lead or admin who gets the assurance report PDF by email each month."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscription"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Monthly report for {self.user_id}"


class StaffReminder(models.Model):
    """A reminder an agency lead asked to send to one member of staff (one email)."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_reminders"
    )
    message = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reminder to {self.recipient_id}"


class ReferenceKind(models.TextChoices):
    LEARNING_POINT = "learning_point", "Learning point"
    RECOMMENDATION = "recommendation", "Recommendation"


class ReviewReference(models.Model):
    """A learning point (LP1-LP4) or recommendation (R1-R11) of the practice review."""

    code = models.CharField(max_length=8, unique=True)
    kind = models.CharField(max_length=20, choices=ReferenceKind.choices)
    title = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class LinkKind(models.TextChoices):
    COURSE = "course", "Course"
    MODULE = "module", "Module"
    DECISION = "decision", "Scenario decision"
    FEATURE = "feature", "Platform feature"


class ReviewLink(models.Model):
    """Something that serves a review reference, by its stable key from traceability.yaml."""

    reference = models.ForeignKey(ReviewReference, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    # course slug, "course-slug/module-slug", "scenario-slug/node-key" or a feature's name
    target = models.CharField(max_length=300)

    class Meta:
        ordering = ["reference", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "kind", "target"], name="reports_reviewlink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference_id} {self.kind} {self.target}"
