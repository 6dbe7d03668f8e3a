"""ORUK 3.0 organization: who provides services."""

import uuid

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from directory.models.fields import DashedUUIDField


class Organization(index.Indexed, models.Model):
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    logo = models.URLField(blank=True)
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
