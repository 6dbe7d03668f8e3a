"""A learner's progress through a course: enrolments, section views, answers and reflections."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EnrolmentSource(models.TextChoices):
    SELF = "self", "Enrolled themselves"
    ASSIGNED = "assigned", "Assigned"


class EnrolmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    """One attempt at a course. A retake (e.g. a refresher) is a new enrolment; all are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    # The xAPI registration grouping every statement of this attempt.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(
        max_length=20, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.IN_PROGRESS
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    # Set when someone assigns the course with a deadline: it then counts as required learning.
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_module = models.ForeignKey(
        "courses.ModulePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status="in_progress"),
                name="courses_enrolment_one_open_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course_id} ({self.status})"


class ModuleProgress(models.Model):
    """When an enrolled learner started and completed (every section viewed) a module."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="modules")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module"], name="courses_moduleprogress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} module {self.module_id}"


class SectionView(models.Model):
    """A section (a top-level body block, by its stable block id) that a learner has viewed."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="sections")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module", "block_id"], name="courses_sectionview_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} viewed {self.block_id}"


class CheckAnswer(models.Model):
    """One answer to a knowledge check. Every attempt is kept; the latest one counts."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="answers")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    chosen = models.JSONField(default=list)  # option positions, 0-based
    correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "pk"]
        indexes = [models.Index(fields=["enrolment", "module", "block_id"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} answered {self.block_id}"


class Reflection(models.Model):
    """A learner's private answer to a reflection prompt; nobody else can read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    text = models.TextField(max_length=5000)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "block_id"], name="courses_reflection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Reflection by {self.user_id} on {self.block_id}"


class Completion(models.Model):
    """A completed course. Kept for ever; it expires after the course's refresher interval."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="completions"
    )
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="completion")
    completed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # percent; None: no checks
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["user", "course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course_id} on {self.completed_at:%Y-%m-%d}"

    def is_expired(self, at=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (at or timezone.now())

    def is_valid(self, at=None) -> bool:
        return self.revoked_at is None and not self.is_expired(at)
