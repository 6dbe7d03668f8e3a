"""ORUK 3.0 location with its single address and accessibility note.

ORUK nests ``addresses`` and ``accessibility`` lists in a location; a directory of practitioner
services needs one address per location, so both are columns here and their ORUK ids are kept
so that an exported feed round-trips with stable identifiers.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from directory.models.fields import DashedUUIDField
from directory.models.validators import postcode_normalise, validate_uk_postcode


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class Location(index.Indexed, models.Model):
    # directory/signals.py keeps the search index instead, so that an import can batch it.
    search_auto_update = False
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    confidential = models.BooleanField(
        default=False,
        help_text="A refuge or safe house: the address and map position are never shown, "
        "exported or used for distance searches.",
    )
    address_id = models.UUIDField(default=uuid.uuid4, editable=False)
    address_attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField("address line 1", max_length=255, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField("county", max_length=100, blank=True)
    # UK format checked in clean() when the country is GB; feeds from elsewhere keep theirs.
    postal_code = models.CharField("postcode", max_length=20, blank=True)
    country = models.CharField(max_length=2, default="GB")
    # ORUK address.address_type ("physical" or "postal"); blank: derived from location_type.
    address_type = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    accessibility_id = models.UUIDField(default=uuid.uuid4, editable=False)
    accessibility = models.TextField(
        blank=True, help_text="Step-free access, hearing loops, parking, quiet rooms."
    )
    accessibility_details = models.TextField(blank=True)
    accessibility_url = models.URLField(max_length=500, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("location_type"),
        FieldPanel("confidential"),
        MultiFieldPanel(
            [
                FieldPanel("address_1"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("state_province")]),
                FieldPanel("postal_code"),
            ],
            heading="Address",
        ),
        FieldRowPanel(
            [FieldPanel("latitude"), FieldPanel("longitude")],
            heading="Map position (filled from the postcode when left blank)",
        ),
        FieldPanel("accessibility"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("confidential")]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="directory_location_latlng")]

    def __str__(self) -> str:
        if self.confidential:
            return f"{self.name or 'Location'} (confidential)"
        parts = [self.name, self.address_1, self.city, self.postal_code]
        return ", ".join(part for part in parts if part) or "Location"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.postal_code and self.country.upper() in ("", "GB"):
            try:
                validate_uk_postcode(self.postal_code)
            except ValidationError as error:
                raise ValidationError({"postal_code": error.messages}) from error
            self.postal_code = postcode_normalise(self.postal_code)
