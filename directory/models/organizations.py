"""ORUK 3.0 organization: who provides services."""

import uuid

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from directory.models.fields import DashedUUIDField


class Organization(index.Indexed, models.Model):
    # directory/signals.py keeps the search index instead, so that an import can batch it.
    search_auto_update = False
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    logo = models.URLField(blank=True)
    # ORUK parent_organization_id: kept as given, the parent need not be in this directory.
    parent_organization_id = models.UUIDField(null=True, blank=True)
    last_modified = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("email"),
        FieldPanel("website"),
        FieldPanel("uri"),
        FieldPanel("logo"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(models.Model):
    """ORUK organization_identifier: a charity or company number and its scheme."""

    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_type = models.CharField(max_length=255)
    identifier = models.CharField(max_length=255)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"
