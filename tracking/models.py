"""Tracking models: LRS destinations and the delivery outbox.

The Learning Record Store's own models live in tracking.lrs.models (re-exported here).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tracking.hosts import host_refusal
from tracking.lrs.models import (  # noqa: F401
    Activity,
    Attachment,
    Document,
    LRSClient,
    Statement,
    StatementIndex,
)


class IdentifierType(models.TextChoices):
    ACCOUNT = "account", "Pseudonymous account (recommended)"
    MBOX = "mbox", "Email address (mbox)"


class XAPIVersion(models.TextChoices):
    V1_0_3 = "1.0.3", "xAPI 1.0.3"
    V2_0 = "2.0.0", "xAPI 2.0 (IEEE 9274.1.1)"


class LRSDestination(models.Model):
    """A partner agency's Learning Record Store that receives a filtered copy of statements."""

    name = models.CharField(max_length=200, unique=True)
    endpoint = models.URLField(
        help_text="The LRS's xAPI base address, ending before “statements”, "
        "e.g. https://lrs.police.example.org/xapi/",
    )
    username = models.CharField("Key (Basic auth user name)", max_length=255)
    # Fernet ciphertext (tracking.credentials): we must send the secret, so it cannot be hashed.
    secret_encrypted = models.TextField(editable=False, default="")
    xapi_version = models.CharField(
        "xAPI version", max_length=10, choices=XAPIVersion.choices, default=XAPIVersion.V1_0_3
    )
    identifier = models.CharField(
        "Learner identifier",
        max_length=10,
        choices=IdentifierType.choices,
        default=IdentifierType.ACCOUNT,
        help_text="Send an email address only where an agreement allows this agency to have it.",
    )
    agencies = models.ManyToManyField(
        "accounts.Agency", blank=True, help_text="Only these agencies' learners; none means all."
    )
    courses = models.ManyToManyField(
        "courses.CoursePage", blank=True, help_text="Only these courses; none means all."
    )
    verbs = models.JSONField(
        default=list, blank=True, help_text="Only these verbs (IRIs); empty means all."
    )
    is_active = models.BooleanField(default=True)
    batch_size = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    timeout_seconds = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    # Set when the destination refuses our credentials (401/403): delivery stops until fixed.
    paused_reason = models.TextField(blank=True, default="", editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "LRS destination"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse loopback, private and link-local hosts (issue 15); delivery checks what the
        name resolves to as well."""
        super().clean()
        reason = host_refusal(url=self.endpoint or "")
        if reason and self.endpoint:
            raise ValidationError(
                {
                    "endpoint": f"{reason}: a destination must be on a public address "
                    "(LRS_DESTINATION_ALLOWED_HOSTS can allow a host)"
                }
            )


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    RETRY = "retry", "Waiting to retry"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """The outbox: one statement to one destination, with its delivery state machine."""

    destination = models.ForeignKey(
        LRSDestination, on_delete=models.CASCADE, related_name="deliveries"
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb_id = models.TextField()
    course_id = models.IntegerField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "statement"], name="tracking_delivery_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["destination", "state", "next_attempt_at", "id"],
                name="tracking_delivery_due",
            ),
            models.Index(fields=["state", "claimed_at"], name="tracking_delivery_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.destination_id} ({self.state})"
