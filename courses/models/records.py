"""Certificates, refresher notices and required-learning rules."""

import secrets

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from accounts.models import Sector
from courses.models.fields import ChoiceListField

# Crockford-style alphabet: no I, L, O or U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def certificate_code_new() -> str:
    """A random 12-character verification code, grouped in fours, e.g. 7K3M-Q2XD-9PHT."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class Certificate(models.Model):
    """The certificate issued for one completion; every issue is kept as history."""

    completion = models.OneToOneField(
        "courses.Completion", on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=14, unique=True, default=certificate_code_new)
    issued_at = models.DateTimeField(default=timezone.now)
    # Copied at issue so the certificate says what it said then, even if names change.
    learner_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=255)
    cpd_minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code


class RefresherNoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due in 30 days"
    EXPIRED = "expired", "Expired"


class RefresherNotice(models.Model):
    """An email sent about a completion's expiry; the unique row makes reminders idempotent."""

    completion = models.ForeignKey(
        "courses.Completion", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=RefresherNoticeKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["completion", "kind"], name="courses_refreshernotice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} notice for completion {self.completion_id}"


class RequiredLearning(ClusterableModel):
    """A course that staff in some sectors or job roles must complete, and how soon."""

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="requirements"
    )
    sectors = ChoiceListField(
        options=Sector.choices, verbose_name="agency sectors", help_text="Empty means every sector."
    )
    job_roles = ParentalManyToManyField(
        "accounts.JobRole", blank=True, related_name="+", help_text="Empty means every job role."
    )
    due_within_months = models.PositiveSmallIntegerField(
        default=3,
        help_text="New starters must complete it within this many months of registering.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("course"),
        FieldPanel("sectors"),
        FieldPanel("job_roles"),
        FieldPanel("due_within_months"),
    ]

    class Meta:
        verbose_name = "required learning rule"
        ordering = ["course__title"]

    def __str__(self) -> str:
        sectors = ", ".join(Sector(s).label for s in self.sectors) or "every sector"
        return f"{self.course.title} for {sectors}"
