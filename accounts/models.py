"""People, partner agencies, teams and job roles.

Personal data is kept minimal: a name to put on a certificate, an email to sign in with, and the
agency, team and job role that reports group by. ``pseudonym`` is the stable random id that xAPI
statements sent outside the platform use instead of an email.
"""

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel


class Sector(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    RESIDENTIAL_CARE = "residential_care", "Residential care provider"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(ClusterableModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    local_authority_area = models.CharField(max_length=120, blank=True)
    requires_approval = models.BooleanField(
        default=False, help_text="New members wait for an agency lead to approve them."
    )
    headcount = models.PositiveIntegerField(
        default=0, help_text="Declared number of practitioners: the denominator of coverage."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive agencies are not offered at registration."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("sector"),
        FieldPanel("local_authority_area"),
        FieldPanel("headcount"),
        FieldPanel("requires_approval"),
        FieldPanel("is_active"),
        InlinePanel("domains", heading="Email domains", label="Email domain"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class AgencyDomain(models.Model):
    """An email domain whose owners belong to an agency (pre-selects it at registration)."""

    agency = ParentalKey(Agency, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        max_length=190,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
                "Enter a domain such as police.example.org, without the @.",
            )
        ],
        help_text="The part of the email address after the @, such as police.example.org.",
    )

    panels = [FieldPanel("domain")]

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="accounts_agencydomain_unique_domain")
        ]

    def __str__(self) -> str:
        return self.domain


class AgencyIdentityProvider(models.Model):
    """An agency's own OpenID Connect provider: an allauth SocialApp its members sign in with.

    Everyone it signs in must have an email address in one of the agency's domains (and, for
    Microsoft Entra ID, come from its tenant), so one agency's provider cannot speak for another's
    people.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="identity_providers")
    social_app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.CASCADE, related_name="agency_link"
    )
    tenant_id = models.CharField(
        "Entra ID tenant id",
        max_length=64,
        blank=True,
        help_text="Microsoft Entra ID only: the directory (tenant) id; other tenants are refused.",
    )

    class Meta:
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"{self.social_app.name} ({self.agency.name})"


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)

    panels = [FieldPanel("agency"), FieldPanel("name")]

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="accounts_team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class JobRole(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sectors = models.JSONField(
        default=list, blank=True, help_text="Sectors where this role is found; empty means any."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for agency approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    membership_status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.APPROVED
    )
    started_on = models.DateField("start date", null=True, blank=True)
    left_on = models.DateField(
        "leaving date",
        null=True,
        blank=True,
        help_text="From this date they cannot sign in and drop out of coverage and reminders.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Erasure(models.Model):
    """A record that a person was erased: who did it, when, and what went (no personal data).

    The person's id is kept as a plain number so that a later question ("was person 123
    erased?") can be answered from the audit log without keeping who they were.
    """

    person_id = models.PositiveIntegerField()
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"Person {self.person_id} erased {self.erased_at:%Y-%m-%d}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Course assigned"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    APPROVED = "approved", "Membership approved"
    CERTIFICATE_READY = "certificate_ready", "Certificate ready"


class Notification(models.Model):
    """Something a learner should know: stored when it happens, so "read" can be remembered.

    Lives here, the lowest app, so that any app can create one (accounts.services
    .notification_create). Holds only a short text and a link on the platform; deleted with the
    account, exported with it, and removed once read for ``RETENTION["read_notifications"]``.
    ``key`` makes creation idempotent: one notice per event (e.g. "assigned:<enrolment id>").
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    text = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="accounts_notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text}"
