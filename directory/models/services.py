"""ORUK 3.0 service and the records nested in it (schedules, languages, contacts, ...)."""

import datetime
import uuid

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable
from wagtail.search import index

from directory.models.fields import DashedUUIDField
from directory.models.locations import Location
from directory.models.organizations import Organization
from directory.models.taxonomy import TaxonomyTerm
from directory.models.validators import (
    byday_parts,
    language_name,
    validate_byday,
    validate_iso639_3,
    validate_uk_phone,
)

DEMO_DATA_TERM = "demo-data"
# The text search configuration of the stored search document and of every query against it.
SEARCH_CONFIG = "english"
STALE_AFTER = datetime.timedelta(days=365)


class ServiceStatus(models.TextChoices):
    """ORUK 3.0 service.status."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class ReviewStatus(models.TextChoices):
    """The editorial state: only published entries are searchable, linkable and in the API."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Awaiting review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Service(index.Indexed, ClusterableModel):
    # directory/signals.py keeps the search index instead, so that an import can batch it.
    search_auto_update = False
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # ORUK 3.0 requires neither an organization nor a description of a service.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services", null=True, blank=True
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    how_to_refer = models.TextField(
        blank=True, help_text="Who can refer and how (HSDS application_process)."
    )
    eligibility = models.TextField(
        blank=True, help_text="Who the service is for (HSDS eligibility_description)."
    )
    url = models.URLField("website", blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    review_status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    free = models.BooleanField("free of charge", default=True)
    fees = models.TextField("fees description", blank=True)
    delivers_in_person = models.BooleanField("in person", default=False)
    delivers_by_phone = models.BooleanField("by phone", default=False)
    delivers_online = models.BooleanField("online", default=False)
    accreditations = models.TextField(blank=True)
    alert = models.TextField(blank=True, help_text="A short-term notice, e.g. a waiting list.")
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the entry was last checked with the provider."
    )
    assurer_email = models.EmailField(
        blank=True, help_text="Who checks this entry; they get the weekly review reminder."
    )
    last_modified = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # PostgreSQL only: the weighted tsvector behind the search page, with a GIN index (0004);
    # kept current by directory.services.search_document. Unused (NULL) on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    search_fields = [
        index.SearchField("name", boost=4),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.SearchField("how_to_refer"),
        index.SearchField("eligibility"),
        index.SearchField("search_extra_text"),
        index.RelatedFields("organization", [index.SearchField("name")]),
        index.FilterField("id"),
        index.FilterField("review_status"),
        index.FilterField("name"),
    ]

    content_panels = [
        FieldPanel("organization"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("how_to_refer"),
        FieldPanel("eligibility"),
        FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")], heading="Ages"),
        MultiFieldPanel(
            [
                FieldPanel("delivers_in_person"),
                FieldPanel("delivers_by_phone"),
                FieldPanel("delivers_online"),
            ],
            heading="How it is delivered",
        ),
        InlinePanel("attributes", label="Categories", min_num=1),
        InlinePanel("languages", label="Languages spoken"),
        InlinePanel("service_areas", label="Areas served"),
    ]
    contact_panels = [
        FieldPanel("url"),
        FieldPanel("email"),
        InlinePanel("phones", label="Phone numbers"),
        InlinePanel("contacts", label="Named contacts"),
        InlinePanel("service_at_locations", label="Locations"),
        InlinePanel("schedules", label="Opening times"),
    ]
    cost_panels = [
        FieldPanel("free"),
        FieldPanel("fees"),
        InlinePanel("cost_options", label="Costs"),
        InlinePanel("funding", label="Funding"),
    ]
    review_panels = [
        FieldPanel("status"),
        FieldPanel("review_status"),
        FieldPanel("alert"),
        FieldPanel("accreditations"),
        FieldRowPanel([FieldPanel("assured_date"), FieldPanel("assurer_email")]),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Service"),
            ObjectList(contact_panels, heading="Contact and locations"),
            ObjectList(cost_panels, heading="Cost"),
            ObjectList(review_panels, heading="Review"),
        ]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_age_range",
            )
        ]
        indexes = [models.Index(fields=["review_status", "assured_date"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service_detail", kwargs={"service_id": self.pk})

    @property
    def is_stale(self) -> bool:
        """Not assured within the last 12 months (or never)."""
        if self.assured_date is None:
            return True
        return self.assured_date < timezone.localdate() - STALE_AFTER

    @property
    def is_demo(self) -> bool:
        return any(a.taxonomy_term.term == DEMO_DATA_TERM for a in self.attributes.all())

    def search_extra_text(self) -> str:
        """Category, language and area names, so "Romani" or "advocacy" finds the entry."""
        parts = [a.taxonomy_term.name for a in self.attributes.all()]
        parts += [f"{lang.name} {lang.code}" for lang in self.languages.all()]
        parts += [area.name for area in self.service_areas.all()]
        return " ".join(parts)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            raise ValidationError({"maximum_age": "The maximum age must not be below the minimum."})


class Attribute(Orderable):
    """ORUK attribute: links a service to a taxonomy term."""

    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="service_attributes"
    )
    link_type = models.CharField(max_length=50, blank=True, default="service")

    panels = [FieldPanel("taxonomy_term")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="directory_attribute_unique_term"
            )
        ]


class Language(Orderable):
    """ORUK language, with the HSDS 3.0 name and ISO 639-3 code."""

    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="languages")
    # Blank is allowed: ORUK 3.0 requires only a language's id.
    code = models.CharField(
        max_length=3,
        blank=True,
        validators=[validate_iso639_3],
        help_text="ISO 639-3, e.g. rom for Romani.",
    )
    name = models.CharField(max_length=100, blank=True, help_text="Left blank: the ISO name.")
    note = models.CharField(max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("name")]), FieldPanel("note")]

    def clean(self) -> None:
        self.code = self.code.lower()
        self.name = self.name or language_name(self.code)

    def save(self, *args, **kwargs):
        self.clean()  # also for writes that skip full_clean (factories, shell)
        super().save(*args, **kwargs)


class ServiceArea(Orderable):
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=255, help_text="E.g. Oldham, Greater Manchester, England.")
    service_area = models.TextField("description", blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.URLField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("service_area")]


class Phone(Orderable):
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=30, validators=[validate_uk_phone])
    description = models.CharField(max_length=255, blank=True)
    # ORUK phone.languages: the language objects as given (codes normalised to ISO 639-3).
    languages = models.JSONField(default=list, blank=True)

    panels = [FieldPanel("number"), FieldPanel("description")]


class Contact(Orderable):
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("title")]), FieldPanel("email")]


class ServiceAtLocation(Orderable):
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="service_at_locations"
    )

    panels = [FieldPanel("location")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_service_at_location_unique"
            )
        ]


class ScheduleFrequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class Schedule(Orderable):
    """ORUK schedule: opening times as an RFC 5545-style rule: weekly days, or monthly
    occurrences such as "-1TH" (the last Thursday), with opening and closing times."""

    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(
        max_length=10, choices=ScheduleFrequency.choices, default=ScheduleFrequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(
        "days",
        max_length=30,
        blank=True,
        validators=[validate_byday],
        help_text="E.g. MO,TU,WE,TH,FR. Monthly: 1MO is the first Monday, -1TH the last "
        "Thursday. Leave blank when only the description applies.",
    )
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(
        null=True, blank=True, help_text="Earlier than the opening time means past midnight."
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)

    panels = [
        FieldRowPanel([FieldPanel("freq"), FieldPanel("byday")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("description"),
    ]

    def _normalise_byday(self) -> None:
        days = (d.strip().upper().lstrip("+") for d in self.byday.split(","))
        self.byday = ",".join(d for d in days if d)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self._normalise_byday()
        try:
            parts = byday_parts(self.byday)
        except ValueError:
            return  # the field validator reports it
        # RFC 5545: a numbered day ("-1TH") only has a meaning within a MONTHLY (or yearly) rule.
        if self.freq == ScheduleFrequency.WEEKLY and any(n is not None for n, _ in parts):
            raise ValidationError(
                {"byday": "A day like 1MO or -1TH needs the monthly frequency (MONTHLY)"}
            )

    def save(self, *args, **kwargs):
        self._normalise_byday()
        super().save(*args, **kwargs)


class Funding(Orderable):
    """ORUK funding: where the money for a service comes from."""

    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)

    panels = [FieldPanel("source")]


class CostOption(Orderable):
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=255, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    panels = [
        FieldPanel("option"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("amount_description")]),
    ]

    @property
    def label(self) -> str:
        """One line for the service page: "Per session: £30.00 (for a family)", "Free"."""
        option = self.option.strip()
        if self.amount is None:
            price = ""
        elif self.amount == 0:
            price = "" if option.lower() == "free" else "free"
        else:
            price = f"£{self.amount:,.2f}"
        text = ": ".join(part for part in (option, price) if part) or "Cost"
        description = self.amount_description.strip()
        return f"{text} ({description})" if description else text
