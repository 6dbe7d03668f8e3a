"""Multi-agency training events: EventIndexPage (/events/) > EventPage, with its sessions
inline, and the bookings people make on those sessions (booking, waiting list, attendance)."""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import Sector
from courses.blocks import markdown_html
from courses.models.fields import ChoiceListField
from courses.models.pages import LEARNING_POINTS, RECOMMENDATIONS, Level, lines


class EventIndexPage(Page):
    """The programme at /events/: upcoming sessions, filterable without JavaScript."""

    introduction = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from events.forms import SessionFilterForm
        from events.selectors import sessions_upcoming

        context = super().get_context(request, *args, **kwargs)
        form = SessionFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        context["filter_form"] = form
        context["sessions"] = sessions_upcoming(**filters)
        return context


class EventPage(Page):
    """A multi-agency training event: what it covers, who it is for, its booking rules."""

    summary = models.CharField(max_length=300, help_text="One or two sentences for the listing.")
    description = models.TextField(blank=True, help_text="Markdown.")
    learning_outcomes = models.TextField(blank=True, help_text="One per line.")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.FOUNDATION)
    audience_sectors = ChoiceListField(options=Sector.choices)
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="+",
        help_text="E-learning to complete before booking.",
    )
    learning_points = ChoiceListField(options=LEARNING_POINTS)
    recommendations = ChoiceListField(options=RECOMMENDATIONS)
    delivered_with = models.CharField(
        max_length=200, blank=True, help_text="A partner or community organisation, if any."
    )
    cpd_minutes = models.PositiveIntegerField(default=180)
    requires_approval = models.BooleanField(
        default=False, help_text="An agency lead approves each booking before it is confirmed."
    )
    cancellation_cutoff_hours = models.PositiveIntegerField(
        default=48, help_text="Learners may cancel up to this many hours before the start."
    )
    offer_hours = models.PositiveIntegerField(
        default=48, help_text="Hours a person on the waiting list has to accept a freed place."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("audience_sectors"),
                FieldPanel("prerequisites"),
                FieldPanel("delivered_with"),
            ],
            heading="Audience",
        ),
        MultiFieldPanel(
            [FieldPanel("learning_points"), FieldPanel("recommendations")],
            heading="Practice review",
        ),
        MultiFieldPanel(
            [
                FieldPanel("requires_approval"),
                FieldRowPanel([FieldPanel("cancellation_cutoff_hours"), FieldPanel("offer_hours")]),
                FieldPanel("cpd_minutes"),
            ],
            heading="Booking",
        ),
        InlinePanel("sessions", heading="Sessions", label="Session"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("level"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    @property
    def learning_outcome_list(self) -> list[str]:
        return lines(self.learning_outcomes)

    @property
    def description_html(self):
        return markdown_html(self.description)

    def get_context(self, request, *args, **kwargs):
        from events.selectors import event_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(event_overview(event=self, user=request.user))
        return context


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class EventSession(Orderable, ClusterableModel):
    """One date of an event. Times are stored in UTC and shown in Europe/London."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=SessionMode.choices)
    venue = models.TextField(blank=True, help_text="Address, for sessions in person.")
    joining_link = models.URLField(
        blank=True, help_text="For online sessions; shown only to people with a booking."
    )
    capacity = models.PositiveIntegerField(default=20)
    agency_quota = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most places one agency may hold; empty for no limit."
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="training_sessions",
        limit_choices_to={"groups__name": "Trainer"},
    )

    panels = [
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("mode"),
        FieldPanel("venue"),
        FieldPanel("joining_link"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("agency_quota")]),
        FieldPanel("trainers"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_session_ends_after"
            )
        ]

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The session must end after it starts."})
        if self.mode == SessionMode.IN_PERSON and not self.venue:
            raise ValidationError({"venue": "Give the venue of a session in person."})
        if self.mode == SessionMode.ONLINE and not self.joining_link:
            raise ValidationError({"joining_link": "Give the joining link of an online session."})

    @property
    def fingerprint(self) -> str:
        """What a booked person's calendar holds; a change means they are sent an update."""
        parts = (self.starts_at.isoformat(), self.ends_at.isoformat(), self.mode, self.venue)
        return hashlib.sha256("|".join((*parts, self.joining_link)).encode()).hexdigest()[:32]

    def __str__(self) -> str:
        from django.utils.timezone import localtime

        return f"{self.page.title}, {localtime(self.starts_at):%-d %b %Y %H:%M}"


class BookingStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", "Waiting for approval"
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    OFFERED = "offered", "Place offered"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED = "declined", "Not approved"
    EXPIRED = "expired", "Offer expired"


# The statuses that hold a place (a pending approval or an open offer keeps it for the person).
HOLDING = (BookingStatus.BOOKED, BookingStatus.PENDING_APPROVAL, BookingStatus.OFFERED)
ACTIVE = (*HOLDING, BookingStatus.WAITING)


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Arrived late"
    LEFT_EARLY = "left_early", "Left early"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED_LATE = "cancelled_late", "Cancelled late"


# Attendance that earns the event's completion (and certificate); left early is attended only.
COMPLETING = (Attendance.ATTENDED, Attendance.LATE)
PRESENT = (*COMPLETING, Attendance.LEFT_EARLY)
NO_SHOW = (Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_LATE)


class Booking(models.Model):
    """One person's place (or place in the queue) on a session, and their attendance."""

    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_bookings"
    )
    # The agency when booked: quotas and no-show reports stay right if the person moves.
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    # The iCalendar UID and the xAPI registration of this booking.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # iCalendar SEQUENCE: each update or cancellation sent increases it (RFC 5545 3.8.7.4).
    sequence = models.PositiveIntegerField(default=0)
    access_needs = models.TextField(blank=True)
    dietary_needs = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Waiting-list order: when the person joined the queue.
    queued_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    # The session's fingerprint when this person was last sent its details (see
    # booking_updates_send): publishing a changed session sends them an updated invitation.
    sent_fingerprint = models.CharField(max_length=32, blank=True)
    reminded_week_at = models.DateTimeField(null=True, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=[s.value for s in ACTIVE]),
                name="events_booking_one_active_per_person",
            )
        ]
        indexes = [models.Index(fields=["status", "offer_expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.session} ({self.get_status_display()})"


class EventRequirement(ClusterableModel):
    """Required learning met by attending any one of some events, renewed every so many months.

    Like courses' RequiredLearning (sectors, job roles, due within months of joining), but for
    training events: courses and reports count it through settings.REQUIRED_LEARNING_PROVIDERS
    (events.selectors.event_requirement_standings), so they never import events.
    """

    events = ParentalManyToManyField(
        EventPage, related_name="+", help_text="Attending any one of these meets the requirement."
    )
    sectors = ChoiceListField(
        options=Sector.choices, verbose_name="agency sectors", help_text="Empty means every sector."
    )
    job_roles = ParentalManyToManyField(
        "accounts.JobRole", blank=True, related_name="+", help_text="Empty means every job role."
    )
    due_within_months = models.PositiveSmallIntegerField(
        default=6, help_text="New starters must attend within this many months of registering."
    )
    renew_every_months = models.PositiveSmallIntegerField(
        default=36, help_text="Attendance counts for this many months (36 is every 3 years)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("events"),
        FieldPanel("sectors"),
        FieldPanel("job_roles"),
        FieldRowPanel([FieldPanel("due_within_months"), FieldPanel("renew_every_months")]),
    ]

    class Meta:
        verbose_name = "required training event rule"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(renew_every_months__gt=0), name="events_requirement_renews"
            )
        ]

    @property
    def title(self) -> str:
        """What My learning and the reports call it: the events, then how often."""
        names = sorted(event.title for event in self.events.all())
        every = f"every {self.renew_every_months} months"
        if len(names) == 1:
            return f"{names[0]} ({every})"
        return f"One of: {'; '.join(names)} ({every})"

    def __str__(self) -> str:
        sectors = ", ".join(Sector(s).label for s in self.sectors) or "every sector"
        return f"{self.title} for {sectors}"
